/* Objects with known values for the kernel model's gdb comparison (ObjGdbTest): everything is
 * initialised statically, so gdb and kdive both read it from the executable's .data. */
struct list_head { struct list_head *next, *prev; };

struct flags {
    unsigned int a : 3;
    int b : 5;
    unsigned int c : 1;
    signed char d : 4;
    unsigned long e : 40;
    long f : 23;
};

enum color { RED = -1, GREEN = 1, BLUE = 7 };

struct node {
    int id;
    short s;
    unsigned char u8;
    long l;
    struct flags f;
    struct list_head link;
    char name[16];
    struct node *peer;
    union {
        int i;
        unsigned char bytes[4];
    };
    enum color color;
    _Bool ok;
};

typedef struct node node_t;

struct node nodes[3] = {
    {.id = 1, .s = -2, .u8 = 250, .l = -5, .f = {5, -3, 1, -8, 0x12345678ab, -1234567},
     .link = {&nodes[1].link, &nodes[2].link}, .name = "first", .peer = &nodes[1], .i = 0x01020304,
     .color = RED, .ok = 1},
    {.id = 2, .s = 300, .u8 = 7, .l = 1L << 40, .f = {2, 15, 0, 7, 1, 4194303},
     .link = {&nodes[2].link, &nodes[0].link}, .name = "second", .peer = &nodes[2], .i = -1, .color = BLUE},
    {.id = 3, .s = -32768, .u8 = 0, .l = -9223372036854775807L, .f = {7, -16, 1, 0, 0xffffffffff, -4194304},
     .link = {&nodes[0].link, &nodes[1].link}, .name = "third", .peer = 0, .color = GREEN},
};

node_t *head = &nodes[0];
const volatile unsigned long counter = 42;
int matrix[2][3] = {{1, 2, 3}, {4, 5, -6}};
void *opaque = &matrix[1][1];
struct node **indirect = &head;

int main(void) { return nodes[0].id; }

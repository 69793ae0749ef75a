/* Prints the layout gcc chose (offsetof, sizeof, bitfield bit positions) for the types below, so
   a test can compare it with what the DWARF of this very program says. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

struct flags { unsigned a : 3; unsigned b : 5; signed c : 7; unsigned long long d : 40; };
struct list_head { struct list_head *next, *prev; };
struct sock {
    int id;
    struct flags f;
    struct list_head sk_write_queue;
    char name[12];
    struct { int x, y; } pos[3];
    int (*cmp)(const void *, const void *);
    const volatile unsigned long counters[2][5];
};
typedef struct sock sock_t;
enum color { RED = 1, GREEN = 20, BLUE = -3 };
struct tail { int n; enum color c; char data[]; };

sock_t global_sock;
struct tail *global_tail;
enum color global_color = GREEN;

static int bit_of(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n * 8; i++)
        if (b[i / 8] >> (i % 8) & 1)
            return (int) i;
    return -1;
}

#define BIT(field) do { struct flags z; memset(&z, 0, sizeof z); z.field = ~0; \
    printf("bit flags." #field " %d\n", bit_of(&z, sizeof z)); } while (0)

int main(void)
{
    printf("size struct sock %zu\n", sizeof(struct sock));
    printf("size struct flags %zu\n", sizeof(struct flags));
    printf("size struct tail %zu\n", sizeof(struct tail));
    printf("offset sock.id %zu\n", offsetof(struct sock, id));
    printf("offset sock.f %zu\n", offsetof(struct sock, f));
    printf("offset sock.sk_write_queue %zu\n", offsetof(struct sock, sk_write_queue));
    printf("offset sock.name %zu\n", offsetof(struct sock, name));
    printf("offset sock.pos %zu\n", offsetof(struct sock, pos));
    printf("offset sock.cmp %zu\n", offsetof(struct sock, cmp));
    printf("offset sock.counters %zu\n", offsetof(struct sock, counters));
    printf("offset tail.data %zu\n", offsetof(struct tail, data));
    BIT(a); BIT(b); BIT(c); BIT(d);
    printf("addr global_sock %lx\n", (unsigned long) &global_sock);
    return global_color == BLUE;
}

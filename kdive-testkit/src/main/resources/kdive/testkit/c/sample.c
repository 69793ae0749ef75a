#include <stdio.h>
#include <stdlib.h>

struct inner { unsigned a : 3; unsigned b : 5; int c; };
struct outer { long x; struct inner in; char name[16]; };

int counter = 42;
static struct outer global_outer = { 1, { 2, 3, 4 }, "hello" };

static inline int add3(int a) { return a + 3; }
static inline int twice(int a) { return add3(a) * 2; }

__attribute__((noinline)) int compute(int n) {
    int s = 0;
    for (int i = 0; i < n; i++) {
        s += twice(i) ^ counter;
    }
    return s + global_outer.in.b;
}

int main(int argc, char **argv) {
    (void) argv;
    printf("%d %s\n", compute(argc * 10), global_outer.name);
    return 0;
}

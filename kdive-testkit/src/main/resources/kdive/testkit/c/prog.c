#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "list.h"

struct flags { unsigned a : 3; unsigned b : 5; signed c : 7; unsigned long long d : 40; };
struct sock { int id; struct flags f; struct sk_buff_head sk_write_queue; char name[12]; struct { int x, y; } pos[3]; };
typedef int (*cmp_fn)(const void *, const void *);

volatile int sink;
struct sock global_sock;
static const char *const names[] = { "alpha", "beta", "gamma", "delta" };

static inline int square(int x) { return x * x; }
static inline int sum_squares(int n) { int s = 0; for (int i = 0; i < n; i++) s += square(i) + (i & 1 ? 3 : 5); return s; }

__attribute__((noinline)) void skb_entail(struct sock *sk, struct sk_buff *skb)
{
    __skb_queue_tail(&sk->sk_write_queue, skb);
    sk->f.b++;
}

__attribute__((noinline)) static int compare(const void *a, const void *b)
{
    return strcmp(*(const char *const *) a, *(const char *const *) b);
}

__attribute__((noinline)) int work(int n)
{
    int total = 0;
    for (int i = 0; i < n; i++) {
        switch (i % 4) {
        case 0: total += sum_squares(i); break;
        case 1: total -= square(i); break;
        case 2: total ^= (int) strlen(names[i % 4]); break;
        default: total += i;
        }
    }
    return total;
}

int main(int argc, char **argv)
{
    struct sk_buff skbs[4];
    cmp_fn cmp = compare;
    const char *sorted[4];
    memcpy(sorted, names, sizeof sorted);
    qsort(sorted, 4, sizeof sorted[0], cmp);
    global_sock.sk_write_queue.next = global_sock.sk_write_queue.prev = (struct sk_buff *) &global_sock.sk_write_queue;
    for (int i = 0; i < 4 && i < argc + 3; i++)
        skb_entail(&global_sock, &skbs[i]);
    sink = work(argc * 100);
    printf("%s %d %u\n", sorted[0], sink, global_sock.sk_write_queue.qlen);
    (void) argv;
    return 0;
}

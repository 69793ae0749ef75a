/* Kernel-style C for the Code: window measurement: lists, structs, locks, bit ops, switch tables. */
typedef unsigned long u64; typedef unsigned int u32; typedef unsigned short u16; typedef unsigned char u8;
typedef long s64; typedef int s32;
struct list_head { struct list_head *next, *prev; };
struct hlist_node { struct hlist_node *next, **pprev; };
struct sk_buff { struct sk_buff *next, *prev; u32 len, data_len; u16 mac_len, hdr_len; u8 flags; u8 *head, *data;
                 u32 truesize; int users; u64 tstamp; struct list_head list; char cb[48]; };
struct sock { int sk_state; u32 sk_wmem_queued; u32 sk_forward_alloc; struct sk_buff *sk_send_head;
              struct list_head tcp_rtx_queue; u64 stats[16]; int sk_err; u32 pad[200]; struct sk_buff_head {
              struct sk_buff *next, *prev; u32 qlen; int lock; } sk_write_queue; };
void *memcpy(void *d, const void *s, unsigned long n) { char *a = d; const char *b = s; while (n--) *a++ = *b++; return d; }
void *memset(void *d, int c, unsigned long n) { char *a = d; while (n--) *a++ = (char)c; return d; }
int memcmp(const void *x, const void *y, unsigned long n) { const u8 *a = x, *b = y; for (; n; n--, a++, b++) if (*a != *b) return *a - *b; return 0; }
static inline void list_add_tail(struct list_head *n, struct list_head *h) { struct list_head *p = h->prev; n->next = h; n->prev = p; p->next = n; h->prev = n; }
static inline void list_del(struct list_head *e) { e->next->prev = e->prev; e->prev->next = e->next; e->next = (void *)0xdead000000000100; e->prev = (void *)0xdead000000000122; }
extern u64 jiffies_global; u64 jiffies_global;
struct stats { u64 rx, tx, drops; u32 cpu; } percpu_stats[64];
__attribute__((noinline)) void skb_entail(struct sock *sk, struct sk_buff *skb) {
    skb->tstamp = jiffies_global; skb->cb[36] = 1; skb->truesize += skb->len;
    struct sk_buff_head *q = &sk->sk_write_queue; skb->next = (struct sk_buff *)q; skb->prev = q->prev;
    q->prev->next = skb; q->prev = skb; q->qlen++;
    sk->sk_wmem_queued += skb->truesize; if (!sk->sk_send_head) sk->sk_send_head = skb;
}
__attribute__((noinline)) int skb_copy_bits(const struct sk_buff *skb, int off, void *to, int len) {
    if (off > (int)skb->len - len) return -14;
    int start = skb->len - skb->data_len; int copy = start - off;
    if (copy > 0) { if (copy > len) copy = len; memcpy(to, skb->data + off, copy); if ((len -= copy) == 0) return 0; }
    return len ? -14 : 0;
}
__attribute__((noinline)) void purge(struct list_head *head, struct stats *st) {
    struct list_head *pos = head->next, *n;
    for (n = pos->next; pos != head; pos = n, n = pos->next) { struct sk_buff *skb = (void *)((char *)pos - __builtin_offsetof(struct sk_buff, list));
        list_del(pos); st->drops += skb->len; if (skb->users-- == 1) memset(skb, 0, sizeof *skb); }
}
__attribute__((noinline)) u32 hash32(u32 v, unsigned bits) { return (v * 0x61C88647u) >> (32 - bits); }
__attribute__((noinline)) u64 fold(const u8 *p, unsigned long n) { u64 h = 0xcbf29ce484222325ull; while (n--) { h ^= *p++; h *= 0x100000001b3ull; } return h; }
__attribute__((noinline)) int find_bit(const u64 *map, int size, int start) {
    for (int i = start; i < size; i++) if (map[i / 64] & (1ul << (i % 64))) return i; return size; }
__attribute__((noinline)) int classify(int state, int ev) {
    switch (state * 8 + ev) { case 0: return 3; case 1: return 7; case 2: return 1; case 3: return 9; case 5: return 11;
    case 8: return 13; case 9: return 2; case 10: return 5; case 12: return 4; case 17: return 6; default: return -22; } }
__attribute__((noinline)) void account(int cpu, u64 bytes, int tx) { struct stats *s = &percpu_stats[cpu & 63];
    if (tx) s->tx += bytes; else s->rx += bytes; s->cpu = cpu; }
struct rb_node { unsigned long parent_color; struct rb_node *right, *left; };
__attribute__((noinline)) struct rb_node *rb_next(const struct rb_node *node) {
    struct rb_node *parent; if (node->right) { node = node->right; while (node->left) node = node->left; return (struct rb_node *)node; }
    while ((parent = (struct rb_node *)(node->parent_color & ~3ul)) && node == parent->right) node = parent; return parent; }
struct kmem_cache { unsigned size, object_size, offset; const char *name; struct list_head list; unsigned long flags; int refcount; };
__attribute__((noinline)) void *slab_alloc(struct kmem_cache *s, void **freelist, unsigned long *tid) {
    void *obj = *freelist; if (!obj) return 0; void *next = *(void **)((char *)obj + s->offset);
    *freelist = next; (*tid)++; if (s->flags & 0x100) memset(obj, 0, s->object_size); return obj; }
__attribute__((noinline)) long parse_num(const char *s, int base) { long v = 0; int neg = 0; if (*s == '-') { neg = 1; s++; }
    for (; *s; s++) { int d = *s >= 'a' ? *s - 'a' + 10 : *s >= 'A' ? *s - 'A' + 10 : *s - '0'; if (d >= base) break; v = v * base + d; }
    return neg ? -v : v; }
__attribute__((noinline)) int tcp_window(struct sock *sk, u32 mss, u32 space) { u32 w = space; if (sk->sk_err) return 0;
    if (w > 65535u << 3) w = 65535u << 3; w = (w / mss) * mss; if (sk->sk_forward_alloc < w) sk->sk_forward_alloc += mss * 2;
    return (int)w; }
__attribute__((noinline)) void sort_u32(u32 *a, int n) { for (int i = 1; i < n; i++) { u32 k = a[i]; int j = i - 1;
    while (j >= 0 && a[j] > k) { a[j + 1] = a[j]; j--; } a[j + 1] = k; } }
__attribute__((noinline)) int bitmap_weight(const u64 *m, int n) { int w = 0; for (int i = 0; i < n; i++) { u64 x = m[i]; while (x) { x &= x - 1; w++; } } return w; }
__attribute__((noinline)) void hlist_add(struct hlist_node *n, struct hlist_node **h) { struct hlist_node *first = *h; n->next = first;
    if (first) first->pprev = &n->next; *h = n; n->pprev = h; }
__attribute__((noinline)) u64 div_stats(u64 a, u32 b, u64 *rem) { *rem = a % b; return a / b; }
__attribute__((noinline)) int atomic_dec_and_test(int *v) { return __atomic_sub_fetch(v, 1, __ATOMIC_SEQ_CST) == 0; }
__attribute__((noinline)) unsigned long cmpxchg_loop(unsigned long *p, unsigned long mask) { unsigned long old = *p, new;
    do { new = old | mask; } while (!__atomic_compare_exchange_n(p, &old, new, 0, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)); return old; }
void _start(void) { }

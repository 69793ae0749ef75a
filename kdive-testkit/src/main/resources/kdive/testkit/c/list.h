/* A user-space copy of the kernel's sk_buff queue helpers: the inline chain of the seed crash. */
struct sk_buff { struct sk_buff *next, *prev; unsigned len; };
struct sk_buff_head { struct sk_buff *next, *prev; unsigned qlen; };

static inline void __skb_insert(struct sk_buff *newsk, struct sk_buff *prev, struct sk_buff *next,
                                struct sk_buff_head *list)
{
    newsk->next = next;
    newsk->prev = prev;
    next->prev = newsk;
    prev->next = newsk;
    list->qlen++;
}

static inline void __skb_queue_before(struct sk_buff_head *list, struct sk_buff *next, struct sk_buff *newsk)
{
    __skb_insert(newsk, next->prev, next, list);
}

static inline void __skb_queue_tail(struct sk_buff_head *list, struct sk_buff *newsk)
{
    __skb_queue_before(list, (struct sk_buff *) list, newsk);
}

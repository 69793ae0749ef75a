// SPDX-License-Identifier: GPL-2.0
/*
 * crashlab_skb: reproduces the seed incident for kdive's vmcore fixtures.
 *
 * A global sk_buff_head gets its .prev set to NULL; a write to /proc/crashlab_skb then
 * calls __skb_queue_tail() from a noinline function, so the inlined __skb_insert() stores
 * through the NULL prev pointer (mov %rsi,(%rax) with RAX=0), as skb_entail() did in the
 * original crash.
 */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/skbuff.h>

struct crashlab_state {
	struct sk_buff_head queue;
	unsigned long writes;
};

/* Global, so the corrupted queue is reachable from a symbol in the dump. */
struct crashlab_state crashlab_state;
EXPORT_SYMBOL_GPL(crashlab_state);

static struct proc_dir_entry *crashlab_entry;

/* noipa, not just noinline: constant propagation of the global would drop the queue argument. */
static noinline __attribute__((__noipa__)) void crashlab_entail(struct sk_buff_head *queue, struct sk_buff *skb)
{
	__skb_queue_tail(queue, skb);
}

static ssize_t crashlab_write(struct file *file, const char __user *buf, size_t len,
			      loff_t *pos)
{
	struct sk_buff *skb = alloc_skb(128, GFP_KERNEL);

	if (!skb)
		return -ENOMEM;
	crashlab_state.writes++;
	crashlab_entail(&crashlab_state.queue, skb);
	return len;
}

static const struct proc_ops crashlab_ops = {
	.proc_write = crashlab_write,
};

static int __init crashlab_init(void)
{
	struct sk_buff *first = alloc_skb(128, GFP_KERNEL);

	if (!first)
		return -ENOMEM;
	skb_queue_head_init(&crashlab_state.queue);
	__skb_queue_tail(&crashlab_state.queue, first);
	/* The corruption under study: the tail pointer is lost. */
	crashlab_state.queue.prev = NULL;
	crashlab_entry = proc_create("crashlab_skb", 0200, NULL, &crashlab_ops);
	if (!crashlab_entry)
		return -ENOMEM;
	pr_info("crashlab_skb: queue at %px, prev set to NULL\n", &crashlab_state.queue);
	return 0;
}

static void __exit crashlab_exit(void)
{
	proc_remove(crashlab_entry);
}

module_init(crashlab_init);
module_exit(crashlab_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kdive fixture: NULL sk_buff_head.prev written through in __skb_insert");

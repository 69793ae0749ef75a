package kdive.kernel.helpers;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import kdive.io.FaultException;
import kdive.kernel.Memory;
import kdive.kernel.arch.X86_64;

/**
 * Walks the kernel's circular doubly linked lists (include/linux/list.h: struct list_head
 * {next, prev}, next at offset 0, prev at 8) without trusting them: every step checks that the
 * next pointer is readable, not NULL, not a LIST_POISON value, and that next->prev points back;
 * a node seen twice is a cycle that misses the head. The walk is bounded by a node count. A
 * broken list is a result, not an exception: the nodes read so far plus what broke, so a
 * caller can print what it has and the broken link.
 */
public final class Lists {
    /** include/linux/poison.h on x86-64 (the architecture's poison table holds them). */
    public static final long LIST_POISON1 = X86_64.LIST_POISON1;
    public static final long LIST_POISON2 = X86_64.LIST_POISON2;
    private static final long PREV = 8;

    private Lists() {}

    /**
     * The nodes (list_head addresses, the head excluded) in next order and, when the walk could
     * not close back on the head, why.
     */
    public record Walk(long head, List<Long> nodes, Optional<String> problem) {
        public Walk {
            nodes = List.copyOf(nodes);
        }

        public boolean ok() { return problem.isEmpty(); }
    }

    /** Walks the list headed at {@code head}, giving up after {@code max} nodes. */
    public static Walk walk(Memory mem, long head, int max) {
        var nodes = new ArrayList<Long>();
        // Visited nodes, at most max of them: the memory bound is the caller's bound.
        Set<Long> seen = new HashSet<>();
        long cur = head;
        while (true) {
            long next;
            try {
                next = mem.u64(cur);
            } catch (FaultException e) {
                return broken(head, nodes, "cannot read the next pointer of 0x%016x: %s".formatted(cur, e.reason()));
            }
            String bad = badPointer(next);
            if (bad != null) {
                return broken(head, nodes, "0x%016x->next is %s".formatted(cur, bad));
            }
            // Before the back-link check: a loop back to a node already walked fails that check
            // too, but "cycle" names what happened.
            if (next != head && !seen.add(next)) {
                return broken(head, nodes, "cycle: 0x%016x->next = 0x%016x, reached again after %d nodes without returning to the head"
                        .formatted(cur, next, nodes.size()));
            }
            long back;
            try {
                back = mem.u64(next + PREV);
            } catch (FaultException e) {
                return broken(head, nodes, "0x%016x->next = 0x%016x, which cannot be read: %s"
                        .formatted(cur, next, e.reason()));
            }
            if (back != cur) {
                return broken(head, nodes, "0x%016x->next = 0x%016x but 0x%016x->prev = 0x%016x"
                        .formatted(cur, next, next, back));
            }
            if (next == head) {
                return new Walk(head, nodes, Optional.empty());
            }
            if (nodes.size() >= max) {
                return broken(head, nodes, "more than %d nodes: stopped".formatted(max));
            }
            nodes.add(next);
            cur = next;
        }
    }

    /** Why {@code p} cannot be a list_head pointer, or null when it may be one. */
    static String badPointer(long p) {
        if (p == 0) {
            return "NULL";
        }
        if (p == LIST_POISON1 || p == LIST_POISON2) {
            return "LIST_POISON%d (0x%016x): the node was deleted".formatted(p == LIST_POISON1 ? 1 : 2, p);
        }
        if (p >>> 56 != 0xff || (p & 7) != 0) { // kernel half for 4- and 5-level paging
            return "0x%016x, not an aligned kernel address".formatted(p);
        }
        return null;
    }

    private static Walk broken(long head, List<Long> nodes, String why) {
        return new Walk(head, nodes, Optional.of("list at 0x%016x: %s".formatted(head, why)));
    }
}

package kdive.kernel.helpers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kdive.dump.DumpFile;
import kdive.elf.ElfFile;
import kdive.kernel.Dumps;
import kdive.kernel.Memory;
import kdive.kernel.Obj;
import kdive.kernel.Program;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The task list of a real dump (init_task.tasks), walked intact and then with doctored words
 * laid over the dump's memory: each corruption is reported with the broken link, and a cycle
 * that misses the head ends the walk.
 */
@Tag("vmcore")
@Tag("every-kernel")
class ListsTest {
    private static ElfFile vmlinux;
    private static DumpFile dump;
    private static Program prog;
    private static long head;
    private static List<Long> nodes;

    @BeforeAll
    static void open() {
        vmlinux = Dumps.openVmlinux();
        dump = DumpFile.open(Dumps.file("sysrq", "kdump-zlib"));
        prog = Program.of(dump, vmlinux);
        head = prog.object("init_task").member("tasks").address();
        Lists.Walk w = Lists.walk(prog, head, 1 << 16);
        assertThat(w.problem()).isEmpty();
        nodes = w.nodes();
        // every process but the idle tasks: init, kthreadd and the kernel threads ps listed or that
        // started after it; threads are on their group's list, not this one
        long late = Tasks.list(prog).tasks().stream().filter(TasksTruthTest.bornAfterPs("sysrq")).count();
        assertThat(nodes).hasSize((int) (TasksTruthTest.consolePs("sysrq").stream()
                .filter(r -> !r.comm().equals("ps")).count() + late));
        assertThat(Obj.containerOf(prog, nodes.getFirst(), "struct task_struct", "tasks").member("comm").asString(16))
                .isEqualTo("init");
    }

    @AfterAll
    static void close() {
        if (dump != null) {
            dump.close();
            vmlinux.close();
        }
    }

    /** The dump's memory with some 64-bit words replaced. */
    private static Memory doctored(Map<Long, Long> words) {
        return a -> words.containsKey(a) ? words.get(a) : prog.u64(a);
    }

    private static final long PREV = 8;

    @Test
    void nullNextIsReported() {
        long n = nodes.get(10);
        Lists.Walk w = Lists.walk(doctored(Map.of(n, 0L)), head, 1 << 16);
        assertThat(w.nodes()).isEqualTo(nodes.subList(0, 11));
        assertThat(w.problem()).hasValue("list at 0x%016x: 0x%016x->next is NULL".formatted(head, n));
    }

    @Test
    void poisonedNextIsReported() {
        long n = nodes.get(3);
        Lists.Walk w = Lists.walk(doctored(Map.of(n, Lists.LIST_POISON1)), head, 1 << 16);
        assertThat(w.nodes()).hasSize(4);
        assertThat(w.problem().orElseThrow()).contains("LIST_POISON1").contains("%016x->next".formatted(n));
    }

    @Test
    void brokenBackLinkIsReported() {
        long n = nodes.get(20);
        long next = nodes.get(21);
        Lists.Walk w = Lists.walk(doctored(Map.of(next + PREV, nodes.get(5))), head, 1 << 16);
        assertThat(w.nodes()).hasSize(21);
        assertThat(w.problem()).hasValue("list at 0x%016x: 0x%016x->next = 0x%016x but 0x%016x->prev = 0x%016x"
                .formatted(head, n, next, next, nodes.get(5)));
    }

    @Test
    void unreadableNextIsReported() {
        long n = nodes.get(7);
        long nowhere = prog.object("page_offset_base").asLong() + (1L << 40); // beyond the 256 MB of RAM
        Lists.Walk w = Lists.walk(doctored(Map.of(n, nowhere)), head, 1 << 16);
        assertThat(w.nodes()).hasSize(8);
        assertThat(w.problem().orElseThrow()).contains("0x%016x, which cannot be read".formatted(nowhere));
    }

    /** A loop back into the list (the last node pointing at an earlier one) ends the walk, named as a cycle. */
    @Test
    void cycleEnds() {
        long last = nodes.get(30);
        long back = nodes.get(12);
        Lists.Walk w = Lists.walk(doctored(Map.of(last, back)), head, 1 << 16);
        assertThat(w.nodes()).isEqualTo(nodes.subList(0, 31));
        assertThat(w.problem()).hasValue(("list at 0x%016x: cycle: 0x%016x->next = 0x%016x, reached again after 31 nodes"
                + " without returning to the head").formatted(head, last, back));
    }

    /** The same loop with the back link made consistent: the node then has two predecessors, one of them wrong. */
    @Test
    void consistentLoopIsABrokenBackLink() {
        long last = nodes.get(30);
        long back = nodes.get(12);
        var words = new HashMap<Long, Long>();
        words.put(last, back);
        words.put(back + PREV, last);
        Lists.Walk w = Lists.walk(doctored(words), head, 1 << 16);
        assertThat(w.nodes()).isEqualTo(nodes.subList(0, 12));
        assertThat(w.problem().orElseThrow()).endsWith("0x%016x->prev = 0x%016x".formatted(back, last));
    }

    @Test
    void boundStopsALongWalk() {
        Lists.Walk w = Lists.walk(prog, head, 5);
        assertThat(w.nodes()).isEqualTo(nodes.subList(0, 5));
        assertThat(w.problem().orElseThrow()).endsWith("more than 5 nodes: stopped");
    }
}

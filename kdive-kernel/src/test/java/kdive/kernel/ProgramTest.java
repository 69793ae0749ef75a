package kdive.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import kdive.dump.DumpFile;
import kdive.dwarf.Type;
import kdive.elf.ElfFile;
import kdive.elf.Symbol;
import kdive.io.FaultException;
import kdive.io.LookupException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Symbols, objects and type names on the real sysrq dump, against the guest's console. */
@Tag("vmcore")
@Tag("every-kernel")
class ProgramTest {
    private static ElfFile vmlinux;
    private static DumpFile dump;
    private static Program prog;

    @BeforeAll
    static void open() {
        vmlinux = Dumps.openVmlinux();
        dump = DumpFile.open(Dumps.file("sysrq", "kdump-lzo"));
        prog = Program.of(dump, vmlinux);
    }

    @AfterAll
    static void close() {
        if (dump != null) {
            dump.close();
            vmlinux.close();
        }
    }

    /** The console's kallsyms lines ("ffffffffbc800000 T _stext") are what sym prints for those names. */
    @Test
    void symbolsAreKallsyms() {
        List<String> kallsyms = Dumps.truth("sysrq", "stext");
        assertThat(kallsyms).hasSize(2);
        for (String line : kallsyms) {
            String[] f = line.split(" ");
            List<SymbolHit> hits = prog.symbols(f[2]);
            assertThat(hits).hasSize(1);
            assertThat("%016x %c %s".formatted(hits.getFirst().address(), hits.getFirst().letter(), hits.getFirst().name()))
                    .isEqualTo(line);
            // and back: the address names a symbol there, offset 0
            assertThat(prog.symbolize(hits.getFirst().address())).hasValueSatisfying(h -> assertThat(h.offset()).isZero());
        }
    }

    /** Address -> symbol+offset inverts name -> address for every function of the vmlinux. */
    @Test
    void everyFunctionSymbolizesToItself() {
        int checked = 0;
        for (Symbol s : vmlinux.symbols().sortedByAddress()) {
            if (s.isFunction() && s.size() > 1 && s.bind() == Symbol.STB_GLOBAL) {
                long at = prog.runtime(s.value()) + s.size() / 2;
                SymbolHit h = prog.symbolize(at).orElseThrow();
                assertThat(h.address() + h.offset()).isEqualTo(at);
                assertThat(Character.toUpperCase(h.letter())).isEqualTo('T');
                if (h.name().equals(s.name())) {
                    assertThat(h.offset()).isEqualTo(s.size() / 2);
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(10_000);
    }

    @Test
    void stringsAndIntegersReadThroughTypes() {
        Obj uts = prog.object("init_uts_ns").member("name");
        String release = Dumps.truth("sysrq", "uname").getLast().substring("release ".length());
        assertThat(uts.member("release").asString(65)).isEqualTo(release);
        assertThat(uts.member("release").typeName()).isEqualTo("char [65]");
        // a char * in memory: the kernel's copy of the command line
        Obj cmdline = prog.object("saved_command_line");
        assertThat(cmdline.typeName()).isEqualTo("char *");
        assertThat(cmdline.asString(4096)).isEqualTo(Dumps.truth("sysrq", "cmdline").getFirst());
        assertThat(cmdline.asString(7)).isEqualTo(Dumps.truth("sysrq", "cmdline").getFirst().substring(0, 7));
        // init_task.tasks.next->prev == &init_task.tasks, through deref and containerOf
        Obj tasks = prog.object("init_task").member("tasks");
        Obj first = Obj.containerOf(prog, tasks.member("next").asLong(), "struct task_struct", "tasks");
        assertThat(first.member("pid").asLong()).isEqualTo(1);
        assertThat(first.member("comm").asString(16)).isEqualTo("init");
        assertThat(first.member("tasks.prev").asLong()).isEqualTo(tasks.address());
        assertThat(first.member("real_parent").deref().address()).isEqualTo(prog.symbol("init_task"));
        assertThat(first.member("real_parent.pid").asLong()).isZero();
        assertThat(first.addressOf().typeName()).isEqualTo("struct task_struct *");
        // an array of pointers indexed, a signed int sign-extended
        assertThat(prog.object("__per_cpu_offset").index(0).asLong()).isNotZero();
        assertThat(prog.object("panic_cpu").member("counter").typeName()).isEqualTo("int");
    }

    /** A bitfield read through Obj equals the bits taken by hand from the storage bytes. */
    @Test
    void bitfields() {
        Type.Struct ts = (Type.Struct) prog.type("struct task_struct");
        Obj init = Obj.containerOf(prog, prog.object("init_task").member("tasks.next").asLong(), "struct task_struct", "tasks");
        int bitfields = 0;
        for (Type.Member m : ts.members()) {
            if (m.isBitfield()) {
                long word = prog.u64(init.address() + m.bitOffset() / 64 * 8);
                long expected = word >>> (m.bitOffset() % 64) & ((1L << m.bitSize()) - 1);
                if (m.bitOffset() % 64 + m.bitSize() <= 64) {
                    assertThat(init.member(m.name()).asLong()).as(m.name()).isEqualTo(expected);
                    bitfields++;
                }
            }
        }
        assertThat(bitfields).isGreaterThan(5);
    }

    @TestFactory
    Stream<DynamicTest> typeNamesAsGdbPrintsThem() {
        String[][] cases = {
            {"struct task_struct", "comm", "char [16]"},
            {"struct task_struct", "mm", "struct mm_struct *"},
            {"struct task_struct", "tasks", "struct list_head"},
            {"struct task_struct", "pid", "pid_t"},
            // 5.14 renamed task_struct.state to __state and made it an unsigned int
            prog.object("struct task_struct", 0).hasMember("__state")
                    ? new String[] {"struct task_struct", "__state", "unsigned int"}
                    : new String[] {"struct task_struct", "state", "volatile long"},
            {"struct file_operations", "read", "ssize_t (*)(struct file *, char *, size_t, loff_t *)"},
            {"struct file_operations", "write", "ssize_t (*)(struct file *, const char *, size_t, loff_t *)"},
            {"struct file_operations", "owner", "struct module *"},
            {"struct mm_struct", "pgd", "pgd_t *"},
            {"struct list_head", "next", "struct list_head *"},
            {"struct sk_buff", "cb", "char [48]"},
            {"struct rq", "curr", "struct task_struct *"},
        };
        return Stream.of(cases).map(c -> DynamicTest.dynamicTest(c[0] + "." + c[1], () -> {
            // member() only computes addresses (mm_struct.pgd sits in an anonymous struct): nothing at 0 is read
            assertThat(prog.object(c[0], 0).member(c[1]).typeName()).isEqualTo(c[2]);
        }));
    }

    @Test
    void baseTypesAreSpelledAsInC() {
        assertThat(prog.object("jiffies").typeName()).isEqualTo("volatile unsigned long");
    }

    /** One Program read by several threads at once gives each the same task list as one thread alone. */
    @Test
    void threadSafe() throws Exception {
        var alone = kdive.kernel.helpers.Tasks.list(prog).tasks();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<List<kdive.kernel.helpers.Task>>>();
            for (int i = 0; i < 8; i++) {
                futures.add(pool.submit(() -> kdive.kernel.helpers.Tasks.list(prog).tasks()));
            }
            for (var f : futures) {
                assertThat(f.get()).isEqualTo(alone);
            }
        }
    }

    @Test
    void faultsNameTheAddress() {
        // The direct map ends with RAM (256 MB): 1 TB above its base nothing is mapped.
        long unmapped = prog.object("page_offset_base").asLong() + (1L << 40);
        Obj o = prog.object("struct task_struct", unmapped);
        assertThatThrownBy(() -> o.member("pid").asLong()).isInstanceOf(FaultException.class)
                .hasMessageContaining("%016x".formatted(unmapped + Obj.offsetOf(prog, o.type().offset(), "pid")));
        assertThatThrownBy(() -> prog.object("init_task").member("no_such_member"))
                .isInstanceOf(LookupException.class).hasMessage("struct task_struct has no member no_such_member");
        assertThatThrownBy(() -> prog.type("struct no_such_struct")).isInstanceOf(LookupException.class);
    }
}

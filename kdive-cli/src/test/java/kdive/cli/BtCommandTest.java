package kdive.cli;

import static kdive.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kdive.elf.ElfFile;
import kdive.elf.Symbol;
import kdive.testkit.Fixtures;
import kdive.testkit.Tools;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** kdive bt as a user runs it on the fixture dumps: crash's layout, inline frames as addr2line gives them, bad input. */
@Tag("vmcore")
@Tag("every-kernel")
class BtCommandTest {
    private static final Pattern FRAME = Pattern.compile("^ ?#(\\d+) \\[([0-9a-f]{16})\\] (\\S+) at ([0-9a-f]{16})");

    private static String vmlinux() {
        Path p = Fixtures.kernel().resolve("vmlinux");
        Fixtures.require(Files.exists(p), "no vmlinux at " + p + ": run scripts/fetch-kernel.sh");
        return p.toString();
    }

    private static String dump(String scenario) {
        return Fixtures.scenario(scenario).resolve("kdump-zlib").toString();
    }

    private static List<String> frameNames(String out) {
        var names = new ArrayList<String>();
        for (String l : out.lines().toList()) {
            Matcher m = FRAME.matcher(l);
            if (m.find()) {
                names.add(m.group(3));
            }
        }
        return names;
    }

    /** The module crash: crash's header and exception block, the module's inline chain, none of the stale words crash shows. */
    @Test
    void theModuleCrash() {
        CliRun r = run("bt", "--vmlinux", vmlinux(), dump("skb"));
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.getFirst()).matches("PID: 1        TASK: [0-9a-f]{16}  CPU: \\d    COMMAND: \"init\"");
        assertThat(r.out()).contains("    [exception RIP: crashlab_entail+20]", "    [inline] __skb_insert at ",
                "    ORIG_RAX: ffffffffffffffff  CS: 0010  SS: 0018");
        assertThat(lines.getLast()).isEqualTo("    ORIG_RAX: 0000000000000001  CS: 0033  SS: 002b");
        List<String> names = frameNames(r.out());
        assertThat(names).containsSubsequence("asm_exc_page_fault", "crashlab_entail", "crashlab_write",
                "proc_reg_write", "vfs_write", "ksys_write", "do_syscall_64", "entry_SYSCALL_64_after_hwframe");
        // crash 8.0.2 shows these stale stack words between do_syscall_64 and the entry; the kernel marks them '?'.
        assertThat(names).doesNotContain("handle_mm_fault", "do_user_addr_fault", "exit_to_user_mode_prepare",
                "filp_close", "do_dup2");
        assertThat(r.out()).contains("crashlab_write at ").contains(" [crashlab_skb]");
    }

    /** Every frame's inline chain and file:line (-l) are addr2line -f -i's at its PC (PC - 1 after a call). */
    @Test
    void inlineFramesAreAddr2lines() throws Exception {
        CliRun r = run("bt", "--json", "--vmlinux", vmlinux(), dump("sysrq"));
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode frames = new ObjectMapper().readTree(r.out()).get("traces").get(0).get("frames");
        int checked = 0;
        try (ElfFile elf = ElfFile.open(Path.of(vmlinux()))) {
            for (JsonNode f : frames) {
                if (f.get("function").isNull() || !f.get("module").isNull()) {
                    continue;
                }
                Symbol s = elf.symbols().findByName(f.get("function").asText()).orElseThrow();
                long link = s.value() + f.get("offset").asLong() - (f.get("exact").asBoolean() ? 0 : 1);
                List<String> a2l = Tools.run(List.of("addr2line", "-f", "-i", "-e", vmlinux(), Long.toHexString(link)))
                        .lines().map(l -> l.replaceFirst(" \\(discriminator \\d+\\)$", "")).toList();
                var ours = new ArrayList<String>();
                for (JsonNode in : f.get("inline")) {
                    ours.add(in.get("function").asText());
                    ours.add(in.get("file").asText() + ":" + in.get("line").asText());
                }
                assertThat(a2l.subList(0, a2l.size() - 2)).as("inline chain at 0x%x", link).isEqualTo(ours);
                String own = a2l.getLast();
                if (!f.get("file").isNull()) {
                    assertThat(own).isEqualTo(f.get("file").asText() + ":" + f.get("line").asText());
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(5);
    }

    /** --locals: in the frame the oops interrupted, __skb_insert's prev is the NULL it wrote through (%rax in pt_regs). */
    @Test
    void localsOfTheInterruptedFrame() {
        CliRun r = run("bt", "--locals", "--vmlinux", vmlinux(), dump("skb"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("    __skb_insert: struct sk_buff * prev = 0x0  [%rax]");
    }

    @Test
    void everyCpuAndEveryTask() throws Exception {
        CliRun a = run("bt", "-a", "--vmlinux", vmlinux(), dump("sysrq"));
        assertThat(a.code()).as(a.err()).isZero();
        long cpus = a.out().lines().filter(l -> l.startsWith("PID: ")).count();
        assertThat(cpus).isGreaterThanOrEqualTo(2);
        CliRun all = run("bt", "--all-tasks", "--json", "--vmlinux", vmlinux(), dump("sysrq"));
        assertThat(all.code()).as(all.err()).isZero();
        JsonNode traces = new ObjectMapper().readTree(all.out()).get("traces");
        CliRun ps = run("ps", "--vmlinux", vmlinux(), dump("sysrq"));
        assertThat((long) traces.size()).isEqualTo(ps.out().lines().count() - 1);
        for (JsonNode t : traces) {
            assertThat(t.get("stop").get("kind").asText()).as(t.get("task").toString()).isIn("UserMode", "EndOfStack");
        }
    }

    /** Bad input: one line each on stderr, exit 2 when nothing could be printed, 1 when some was. */
    @Test
    void badTasks() {
        for (String bad : List.of("99999", "0xffff888812345678", "zz")) {
            CliRun r = run("bt", "--vmlinux", vmlinux(), bad, dump("skb"));
            assertThat(r.code()).as(bad).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err().lines().toList()).as(bad).hasSize(1).first().asString().startsWith("kdive bt: " + bad + ": ");
        }
        CliRun some = run("bt", "--vmlinux", vmlinux(), "2", "99999", dump("skb"));
        assertThat(some.code()).isEqualTo(1);
        assertThat(some.out()).startsWith("PID: 2 ");
    }
}

package kdive.cli;

import static kdive.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kdive.testkit.Fixtures;
import kdive.testkit.Tools;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code p} and {@code whatis} against crash 8.0.2 run on the same dump: each expression's
 * output, line for line (crash numbers its values $1, $2...; ours is always $1). Expressions
 * cover globals, members through pointers, arrays of structs, char arrays, casts, sizeof,
 * pointers to data and functions, per-CPU data and container_of, which crash evaluates as the
 * kernel macro it is not (so it is checked against its expansion).
 */
@Tag("vmcore")
@Tag("every-kernel")
class PrintCommandTest {
    private static final List<String> EXPRESSIONS = List.of(
            "jiffies", "init_task.comm", "init_task.pid", "init_task.tasks", "&init_task",
            "init_task.sched_class", "init_uts_ns.name", "init_task.thread.fsbase", "init_task.signal->nr_threads",
            "(unsigned char)-1", "sizeof(struct task_struct)", "init_task.thread_info",
            "*init_task.tasks.next", "init_task.pid == 0", "init_task.prio + 1", "&init_task.tasks");
    /** Printed with -x: narrow negative values are masked to their type's width, as gdb's p/x does. */
    private static final List<String> HEX = List.of("init_task.prio", "(int)-1", "(char)-1", "init_task.tasks");

    @Test
    void printsWhatCrashPrints() throws Exception {
        String vmlinux = Fixtures.kernel().resolve("vmlinux").toString();
        Path dump = Fixtures.scenario("sysrq").resolve("kdump-zlib");
        Fixtures.require(Files.exists(dump), "no " + dump);
        var input = new StringBuilder();
        for (String e : EXPRESSIONS) {
            input.append("p ").append(e).append('\n');
        }
        for (String e : HEX) {
            input.append("p -x ").append(e).append('\n');
        }
        input.append("quit\n");
        String crash;
        try {
            crash = Tools.runWithInput(List.of("crash", "-s", vmlinux, dump.toString()), input.toString());
        } catch (java.io.IOException e) {
            // crash 8.0.2 refuses 6.12's dumps ("vmlinux and dump do not match"): no reference there.
            Assumptions.abort("crash cannot read " + dump + ": " + e.getMessage().lines().findFirst().orElse(""));
            return;
        }
        List<String> theirs = values(crash);
        assertThat(theirs).hasSize(EXPRESSIONS.size() + HEX.size());
        for (int i = 0; i < EXPRESSIONS.size() + HEX.size(); i++) {
            boolean hex = i >= EXPRESSIONS.size();
            String e = hex ? HEX.get(i - EXPRESSIONS.size()) : EXPRESSIONS.get(i);
            CliRun r = hex ? run("p", "-x", "--vmlinux", vmlinux, e, dump.toString()) : run("p", "--vmlinux", vmlinux, e, dump.toString());
            assertThat(r.err()).as(e).isEmpty();
            assertThat(r.out().strip()).as(e).isEqualTo(theirs.get(i).replaceFirst("\\$\\d+ = ", "\\$1 = "));
        }
    }

    @Test
    void containerOfIsTheKernelMacro() {
        String vmlinux = Fixtures.kernel().resolve("vmlinux").toString();
        String dump = Fixtures.scenario("sysrq").resolve("kdump-zlib").toString();
        CliRun macro = run("p", "--vmlinux", vmlinux, "container_of(init_task.tasks.next, struct task_struct, tasks)->pid", dump);
        CliRun expanded = run("p", "--vmlinux", vmlinux,
                "((struct task_struct *)((char *)init_task.tasks.next - offsetof(struct task_struct, tasks)))->pid", dump);
        assertThat(macro.out()).isEqualTo(expanded.out()).isEqualTo("$1 = 1\n");
    }

    @Test
    void badExpressionsAreOneLine() {
        String vmlinux = Fixtures.kernel().resolve("vmlinux").toString();
        String dump = Fixtures.scenario("sysrq").resolve("kdump-zlib").toString();
        for (String[] c : List.of(
                new String[] {"init_task.tasks.nxt", "kdive: column 1: init_task.tasks.nxt: struct list_head has no member nxt"},
                new String[] {"1 +", "kdive: column 4: expected an expression, found end of input"},
                new String[] {"nosuch", "kdive: column 1: nosuch: no variable named nosuch"},
                new String[] {"*(struct task_struct *)0", "kdive: column 1: *(struct task_struct *)0: "})) {
            CliRun r = run("p", "--vmlinux", vmlinux, c[0], dump);
            assertThat(r.code()).as(c[0]).isEqualTo(2);
            assertThat(r.out()).as(c[0]).isEmpty();
            assertThat(r.err()).as(c[0]).startsWith(c[1]).endsWith("\n").hasLineCount(1);
        }
    }

    @Test
    void whatis() {
        String vmlinux = Fixtures.kernel().resolve("vmlinux").toString();
        String dump = Fixtures.scenario("sysrq").resolve("kdump-zlib").toString();
        assertThat(run("whatis", "--vmlinux", vmlinux, "init_task", dump).out()).isEqualTo("struct task_struct init_task;\n");
        assertThat(run("whatis", "--vmlinux", vmlinux, "init_task.tasks.next", dump).out()).isEqualTo("type = struct list_head *\n");
        assertThat(run("whatis", "--vmlinux", vmlinux, "init_task.comm", dump).out()).isEqualTo("type = char [16]\n");
        assertThat(run("whatis", "--vmlinux", vmlinux, "struct sock *", dump).out()).isEqualTo("type = struct sock *\n");
    }

    /** crash's answers: each "$N = ..." or "name = $N = ..." with the lines of a multi-line value. */
    private static List<String> values(String crash) {
        var out = new ArrayList<String>();
        StringBuilder cur = null;
        for (String l : crash.lines().toList()) {
            if (l.matches("^(\\w+ = )?\\$\\d+ = .*")) {
                if (cur != null) {
                    out.add(cur.toString());
                }
                cur = new StringBuilder(l);
            } else if (cur != null && (l.startsWith(" ") || l.equals("}"))) {
                cur.append('\n').append(l);
            }
        }
        if (cur != null) {
            out.add(cur.toString());
        }
        return out;
    }
}

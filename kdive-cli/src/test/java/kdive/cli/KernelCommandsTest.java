package kdive.cli;

import static kdive.cli.CliRun.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kdive.testkit.Fixtures;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * sys, ps and sym as a user runs them, against crash 8.0.2's output on the same crash
 * (crash-kdump-zlib.txt) where crash is right, and the guest's kallsyms.
 */
@Tag("vmcore")
@Tag("every-kernel")
class KernelCommandsTest {



    private static Path dir(String scenario) {
        return Fixtures.scenario(scenario);
    }

    private static String vmlinux() {
        Path p = Fixtures.kernel().resolve("vmlinux");
        Fixtures.require(Files.exists(p), "no vmlinux at " + p + ": run scripts/fetch-kernel.sh");
        return p.toString();
    }

    private static List<String> crash(String scenario) throws IOException {
        return Fixtures.crashOutput(dir(scenario).resolve("crash-kdump-zlib.txt"));
    }

    /**
     * The tasks of the guest's processes: those its ps listed but ps itself (gone by the crash),
     * and the three extra threads of crashlab/threads.c (its "threads" section lists the group's TIDs).
     */
    private static int consoleProcesses(String scenario) {
        long processes = truth(scenario, "ps").stream().filter(l -> l.matches(" *\\d+ +\\d+ .*") && !l.endsWith(" ps")).count();
        long tids = truth(scenario, "threads").stream().filter(l -> l.matches("\\d+")).count();
        assertThat(tids).as("TIDs of the threads process").isEqualTo(4);
        return (int) (processes + tids - 1 + kernelThreadsAfterPs(scenario));
    }

    /**
     * Kernel threads started after the guest's ps ran (a kworker spawned in the seconds before a
     * 6.12 crash): children of kthreadd with a PID above ps's own, as our ps lists them. They are
     * in the dump (drgn lists them too); the console could not list them.
     */
    private static long kernelThreadsAfterPs(String scenario) {
        int psPid = truth(scenario, "ps").stream().filter(l -> l.endsWith(" ps")).mapToInt(l -> Integer.parseInt(l.strip().split(" +")[0]))
                .max().orElseThrow();
        CliRun ps = run("ps", "--vmlinux", vmlinux(), dir(scenario).resolve("kdump-zlib").toString());
        return ps.out().lines().map(l -> l.replaceFirst("^>", "").strip().split(" +"))
                .filter(f -> f.length >= 9 && f[0].matches("\\d+") && Integer.parseInt(f[0]) > psPid && f[1].equals("2")
                        && f[f.length - 1].startsWith("["))
                .count();
    }

    /** crash's sys header, line for line, but TASKS (crash finds 3 of 55) and DUMPFILE's directory (crash ran in a .tmp). */
    @Test
    void sysPrintsCrashsLines() throws IOException {
        for (String s : List.of("sysrq", "skb")) {
            CliRun r = run("sys", "--vmlinux", vmlinux(), dir(s).resolve("kdump-zlib").toString());
            assertThat(r.code()).isZero();
            assertThat(r.err()).isEmpty();
            List<String> ours = r.out().lines().toList();
            List<String> theirs = crash(s).stream().dropWhile(l -> !l.contains("KERNEL: ")).limit(13).toList();
            assertThat(ours).hasSize(13);
            for (int i = 0; i < 13; i++) {
                if (theirs.get(i).contains("TASKS: ")) {
                    assertThat(ours.get(i)).isEqualTo("       TASKS: " + (consoleProcesses(s) + 2));
                } else if (theirs.get(i).contains("DUMPFILE: ")) {
                    assertThat(ours.get(i)).isEqualTo(theirs.get(i).replace(".tmp/", "/"));
                } else {
                    assertThat(ours.get(i)).isEqualTo(theirs.get(i));
                }
            }
        }
        CliRun json = run("sys", "--json", "--vmlinux", vmlinux(), dir("skb").resolve("qemu.elf").toString());
        assertThat(json.out()).contains("\"release\":\"" + crashField("skb", "RELEASE") + "\"",
                "\"tasks\":\"" + (consoleProcesses("skb") + 2) + "\"",
                "\"panic\":\"" + crashField("skb", "PANIC").replace("\"", "\\\"") + "\"");
    }

    /** The value of one line of crash's sys header ("     RELEASE: 6.1.0-56-cloud-amd64"). */
    private static String crashField(String scenario, String field) throws IOException {
        return crash(scenario).stream().filter(l -> l.startsWith(" ".repeat(Math.max(0, 12 - field.length())) + field + ": "))
                .findFirst().orElseThrow().substring(14);
    }

    /**
     * crash's rows for the tasks it does find (both idle tasks, init) are ours, but init's RSS:
     * crash 8.0.2 leaves out MM_SHMEMPAGES, where the kernel's get_mm_rss() counts them (busybox
     * runs from the initramfs, so its pages are shmem: 416 of init's 432).
     */
    @Test
    void psPrintsCrashsRowsAndEveryOtherTask() throws IOException {
        CliRun r = run("ps", "--vmlinux", vmlinux(), dir("skb").resolve("kdump-lzo").toString());
        assertThat(r.code()).isZero();
        List<String> ours = r.out().lines().toList();
        List<String> theirs = crash("skb").stream().dropWhile(l -> !l.contains("PPID  CPU")).limit(4).toList();
        assertThat(ours.getFirst()).isEqualTo(theirs.getFirst()).isEqualTo(PsCommand.HEADER);
        assertThat(ours.subList(1, 3)).isEqualTo(theirs.subList(1, 3));
        // init's RSS differs on purpose: crash 8.0.2 leaves shmem pages out, kdive counts them as
        // the kernel's get_mm_rss() does. Every other column is crash's.
        String[] mine = ours.get(3).replace(">", "").trim().split("\\s+");
        String[] crashs = theirs.get(3).replace(">", "").trim().split("\\s+");
        assertThat(mine).hasSameSizeAs(crashs).hasSize(9);
        for (int col : new int[] {0, 1, 2, 3, 4, 6, 8}) {
            assertThat(mine[col]).as("column %d of %s", col, ours.get(3)).isEqualTo(crashs[col]);
        }
        assertThat(Long.parseLong(mine[7])).isGreaterThanOrEqualTo(Long.parseLong(crashs[7]));
        assertThat(ours.get(3)).startsWith(">");
        assertThat(ours).hasSize(1 + consoleProcesses("skb") + 2);
        assertThat(ours).anySatisfy(l -> assertThat(l).matches(" +2 +0 +[01]  ffff[0-9a-f]{12}  IN   0\\.0 +0 +0  \\[kthreadd\\]"));
        assertThat(ours.stream().filter(l -> l.startsWith(">")).count()).isEqualTo(2);
        CliRun json = run("ps", "--json", "--vmlinux", vmlinux(), dir("skb").resolve("kdump-lzo").toString());
        // The CPU the guest crashed on differs from boot to boot: its oops says which.
        var oopsCpu = java.util.regex.Pattern.compile("CPU: (\\d+) (?:UID: \\d+ )?PID: 1 Comm: init")
                .matcher(Files.readString(dir("skb").resolve("console.log"), StandardCharsets.ISO_8859_1));
        assertThat(oopsCpu.find()).isTrue();
        assertThat(json.out()).contains("\"panicCpu\":" + oopsCpu.group(1) + ",", "\"problems\":[]", "\"comm\":\"kthreadd\"");
    }

    /**
     * What {@code nm -n -S} says is at {@code _stext + delta}: the text symbol whose size covers it
     * (startup_64 on 6.1, sev_es_terminate on 6.12), printed as sym prints it at the dump's address.
     */
    private static String nmSymbolAt(long delta) throws IOException, InterruptedException {
        List<String[]> text = new java.util.ArrayList<>();
        for (String l : kdive.testkit.Tools.run(List.of("nm", "-n", "-S", vmlinux())).split("\n")) {
            String[] f = l.split(" ");
            String type = f[f.length - 2];
            if ((f.length == 3 || f.length == 4) && (type.equals("t") || type.equals("T"))) {
                text.add(f);
            }
        }
        long stext = text.stream().filter(f -> f[f.length - 1].equals("_stext"))
                .mapToLong(f -> Long.parseUnsignedLong(f[0], 16)).findFirst().orElseThrow();
        long target = stext + delta;
        String[] hit = text.stream().filter(f -> f.length == 4).filter(f -> {
            long a = Long.parseUnsignedLong(f[0], 16);
            return a <= target && target < a + Long.parseUnsignedLong(f[1], 16);
        }).findFirst().orElseThrow(() -> new AssertionError("nm has no sized symbol at _stext+0x" + Long.toHexString(delta)));
        return "%016x (%s) %s+%d".formatted(runtimeStext() + delta, hit[2], hit[3], target - Long.parseUnsignedLong(hit[0], 16));
    }

    private static long runtimeStext() {
        return Long.parseUnsignedLong(truth("sysrq", "stext").getFirst().substring(0, 16), 16);
    }

    /** A "=== kdive-truth: NAME ===" section of the scenario's console. */
    private static List<String> truth(String scenario, String section) {
        return Fixtures.truth(dir(scenario).resolve("console.log"), section);
    }

    /**
     * mod lists what the guest's /proc/modules listed; sym resolves module addresses and names
     * from the modules' own symbol tables as the guest's /proc/kallsyms did.
     */
    @Test
    void modAndModuleSymbolsAreTheGuests() throws IOException {
        List<String[]> procModules = truth("sysrq", "modules").stream().map(l -> l.split(" +")).filter(f -> f.length >= 6).toList();
        String dump = dir("sysrq").resolve("kdump-zlib").toString();
        CliRun mod = run("mod", "--vmlinux", vmlinux(), dump);
        assertThat(mod.code()).isZero();
        assertThat(mod.err()).isEmpty();
        List<String> rows = mod.out().lines().toList();
        assertThat(rows.getFirst()).isEqualTo(ModCommand.HEADER);
        assertThat(rows).hasSize(1 + procModules.size());
        for (int i = 0; i < procModules.size(); i++) {
            String[] ours = rows.get(i + 1).trim().split(" +");
            String[] guest = procModules.get(i);
            assertThat(new String[] {ours[1], "0x" + ours[2], ours[3]}).containsExactly(guest[0], guest[5], guest[1]);
        }
        // The first module function of the guest's /proc/kallsyms: "ADDR t NAME\t[MODULE]" (its
        // notes come first, but "_note_7" names vmlinux symbols too, and sym prefers the vmlinux's).
        String[] sym = truth("sysrq", "modsyms").stream().map(l -> l.split("[ \t]+"))
                .filter(f -> f.length == 4 && f[1].equals("t")).findFirst().orElseThrow();
        CliRun byName = run("sym", "--vmlinux", vmlinux(), sym[2], dump);
        assertThat(byName.out()).contains("%s (%s) %s %s".formatted(sym[0], sym[1], sym[2], sym[3]));
        long plus = Long.parseUnsignedLong(sym[0], 16) + 1;
        CliRun byAddr = run("sym", "--json", "--vmlinux", vmlinux(), Long.toHexString(plus), dump);
        assertThat(byAddr.code()).isZero();
        assertThat(byAddr.out()).contains("\"offset\":1,", "\"module\":\"" + sym[3].substring(1, sym[3].length() - 1) + "\"");
    }

    @Test
    void symFindsKallsymsAddresses() throws IOException, InterruptedException {
        String stext = truth("sysrq", "stext").getFirst(); // "ffffffffbc800000 T _stext"
        String addr = stext.substring(0, 16);
        CliRun byName = run("sym", "--vmlinux", vmlinux(), "_stext", dir("sysrq").resolve("kdump-elf").toString());
        assertThat(byName.out().strip()).isEqualTo(addr + " (T) _stext");
        long plus = Long.parseUnsignedLong(addr, 16) + 0x20;
        CliRun byAddr = run("sym", "--vmlinux", vmlinux(), Long.toHexString(plus), dir("sysrq").resolve("kdump-elf").toString());
        assertThat(byAddr.code()).isZero();
        assertThat(byAddr.out().strip()).isEqualTo(nmSymbolAt(plus - Long.parseUnsignedLong(addr, 16)));
        // Without --vmlinux: found by the dump's release and build-id, here in the fixture's kernel directory
        CliRun found = run("sym", "--debug-dir", Path.of(vmlinux()).getParent().toString(), "_stext",
                dir("sysrq").resolve("kdump-elf").toString());
        assertThat(found.out()).isEqualTo(byName.out());
        assertThat(found.err()).startsWith("vmlinux: ");
        CliRun none = run("sym", "--vmlinux", vmlinux(), "no_such_symbol_anywhere", dir("sysrq").resolve("kdump-elf").toString());
        assertThat(none.code()).isEqualTo(Main.EXIT_NOTHING);
        assertThat(none.err()).contains("no such symbol");
        CliRun json = run("sym", "--json", "--vmlinux", vmlinux(), "_stext", dir("sysrq").resolve("kdump-elf").toString());
        assertThat(json.out()).contains("\"address\":\"0x" + addr + "\",\"type\":\"T\",\"name\":\"_stext\"");
    }

    /** Without vmcoreinfo the release is unknown: the vmlinux must be given, and then KASLR comes from it. */
    @Test
    void dumpWithoutVmcoreinfoNeedsTheVmlinux() {
        String dump = dir("novmcoreinfo").resolve("qemu-kdump-zlib.flat").toString();
        CliRun r = run("ps", dump);
        assertThat(r.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err().lines().toList()).hasSize(1);
        assertThat(r.err()).startsWith("kdive: ps needs the kernel's debug vmlinux (--vmlinux FILE): ")
                .contains("no vmcoreinfo");
        CliRun ok = run("ps", "--vmlinux", vmlinux(), dump);
        assertThat(ok.code()).isZero();
        assertThat(ok.out().lines().filter(l -> l.startsWith(">")).count()).isEqualTo(2);
    }

    @Test
    void aVmlinuxOfAnotherBuildIsRefusedInOneLine() {
        Path ko = dir("skb").resolve("crashlab_skb.ko");
        CliRun r = run("sys", "--vmlinux", ko.toString(), dir("sysrq").resolve("kdump-zlib").toString());
        assertThat(r.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err().lines().toList()).hasSize(1);
        assertThat(r.err()).contains("does not match").contains("build-id");
    }
}

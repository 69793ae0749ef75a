package kdive.dwarf;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kdive.elf.ElfFile;
import kdive.elf.Section;
import kdive.testkit.Fixtures;
import kdive.testkit.Tools;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every CIE's initial row and every FDE's full table, in .eh_frame and .debug_frame, equal
 * readelf --debug-dump=frames-interp's: gcc output at several optimization and unwind-table
 * settings (executables, objects, shared libraries, i386 when gcc can target it), hand-written
 * entries for the rare layouts, the system libc and the Debian vmlinux's .debug_frame. Every
 * row is also looked up again by address through the FDE index.
 */
@Tag("every-kernel")
class CallFramesVsReadelfTest {
    @TempDir
    static Path dir;

    /** Counts and the first differences of one comparison. */
    static final class Result {
        int cies;
        int fdes;
        int rows;
        int lookups;
        int skipped;
        final List<String> diffs = new ArrayList<>();

        void diff(String s) {
            if (diffs.size() < 20) {
                diffs.add(s);
            }
        }
    }

    static Path frames(String flags) throws Exception {
        var args = new ArrayList<>(List.of(flags.split(" ")));
        String out = "f" + flags.replaceAll("[^a-z0-9]", "_") + (flags.contains("-shared") ? ".so" : flags.contains("-c") ? ".o" : "");
        return Tools.gcc(dir, Tools.source("frames.c"), out, args.toArray(String[]::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "-O2", "-O0", "-O2 -fno-omit-frame-pointer", "-O2 -fasynchronous-unwind-tables -g",
        "-O2 -fno-asynchronous-unwind-tables -g", "-O0 -fno-asynchronous-unwind-tables -g -gdwarf-5",
        "-O2 -fexceptions", "-O2 -c", "-O2 -fno-asynchronous-unwind-tables -g -c", "-O2 -fexceptions -c",
        "-O2 -fexceptions -fPIC -shared", "-O2 -fno-asynchronous-unwind-tables -g -fPIC -shared"})
    void gccOutputMatchesReadelf(String flags) throws Exception {
        Path file = frames(flags);
        Result r = compare(file);
        int hdr = checkEhFrameHdr(file);
        System.out.printf("frames.c %s: %d CIEs, %d FDEs, %d rows, %d lookups, %d .eh_frame_hdr entries%n",
                flags, r.cies, r.fdes, r.rows, r.lookups, hdr);
        assertThat(r.diffs).isEmpty();
        assertThat(r.fdes).isGreaterThanOrEqualTo(9);
        if (!flags.contains("-c") && !flags.contains("-fno-asynchronous-unwind-tables")) {
            assertThat(hdr).isGreaterThanOrEqualTo(9); // (without unwind tables only crt*.o's FDEs are in .eh_frame)
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"-m32 -O2 -c", "-m32 -O0 -c -fno-omit-frame-pointer", "-m32 -O2 -fno-asynchronous-unwind-tables -g -c"})
    void i386ObjectsMatchReadelf(String flags) throws Exception {
        // Objects only: linking needs 32-bit libc (gcc-multilib), compiling does not.
        // Not a project fixture: a gcc without i386 support skips this even in CI.
        Assumptions.assumeTrue(Tools.gccAccepts(dir, Tools.source("frames.c"), "-m32"), "gcc cannot compile -m32");
        Path file = frames(flags);
        Result r = compare(file);
        System.out.printf("frames.c %s: %d CIEs, %d FDEs, %d rows%n", flags, r.cies, r.fdes, r.rows);
        assertThat(r.diffs).isEmpty();
        assertThat(r.fdes).isGreaterThanOrEqualTo(9);
    }

    @Test
    void handWrittenEntriesMatchReadelf() throws Exception {
        Path src = Fixtures.root().resolve("kdive-dwarf/src/test/resources/kdive/dwarf/raw-frames.s");
        Path obj = Tools.gcc(dir, src, "raw-frames.o", "-c");
        Result r = compare(obj);
        System.out.printf("raw-frames.s: %d CIEs, %d FDEs, %d rows, %d not comparable%n", r.cies, r.fdes, r.rows, r.skipped);
        assertThat(r.diffs).isEmpty();
        assertThat(r.fdes).isEqualTo(11);
        // readelf loses the CIE of the 64-bit-length .eh_frame FDE; the LSB layout gives it.
        assertThat(r.skipped).isEqualTo(1);
        try (var elf = ElfFile.open(obj)) {
            CallFrames eh = CallFrames.of(elf, CallFrames.EH_FRAME);
            Fde f64 = eh.fdeAt(0xc000).orElseThrow();
            assertThat(f64.cie().augmentation()).isEqualTo("eh");
            assertThat(f64.pcEnd()).isEqualTo(0xc010);
            assertThat(eh.at(0xc001).orElseThrow().cfa()).isEqualTo(new CfaRule.RegisterOffset(7, 16));
            Fde pl = eh.fdeAt(0xa008).orElseThrow();
            assertThat(pl.cie().personality()).contains(new Cie.Pointer(0xdead0000L, false));
            assertThat(pl.lsda()).contains(new Cie.Pointer(0xbeef, false));
            CallFrames debug = CallFrames.of(elf, CallFrames.DEBUG_FRAME);
            assertThat(debug.cies()).extracting(Cie::version).containsExactly(1, 3, 4, 1);
            assertThat(debug.cies()).extracting(Cie::addressSize).containsExactly(8, 8, 8, 8);
            assertThat(debug.cies()).extracting(Cie::segmentSize).containsExactly(0, 0, 0, 0);
            // Both sections: .eh_frame first, .debug_frame for the rest.
            CallFrames both = CallFrames.of(elf);
            assertThat(both.fdeAt(0x1004).orElseThrow().section()).isEqualTo(".debug_frame");
            assertThat(both.fdeAt(0x5004).orElseThrow().section()).isEqualTo(".eh_frame");
            assertThat(both.at(0x0fff)).isEmpty();
            assertThat(both.at(0x1040)).isEmpty();
        }
    }

    @Test
    void signalFrameTrampolineRules() throws Exception {
        Path exe = frames("-O2");
        try (var elf = ElfFile.open(exe)) {
            long t = elf.symbols().all().stream().filter(s -> s.name().equals("trampoline")).findFirst().orElseThrow().value();
            CallFrames cf = CallFrames.of(elf);
            FrameRow first = cf.at(t).orElseThrow();
            assertThat(first.signalFrame()).isTrue();
            assertThat(first.cfa()).isEqualTo(new CfaRule.RegisterOffset(7, 8));
            FrameRow second = cf.at(t + 1).orElseThrow();
            assertThat(second.cfa()).isInstanceOfSatisfying(CfaRule.Expression.class,
                    e -> assertThat(e.expression().bytes()).containsExactly(0x77, 0xa0, 0x01));
            assertThat(second.rule(6)).get().isInstanceOf(RegisterRule.Expression.class);
            assertThat(second.rule(3)).get().isInstanceOf(RegisterRule.ValExpression.class);
            FrameRow third = cf.at(t + 2).orElseThrow();
            assertThat(third.rule(12)).contains(new RegisterRule.ValOffset(-16));
            assertThat(third.rule(13)).contains(new RegisterRule.ValOffset(16));
            assertThat(third.rule(14)).contains(new RegisterRule.Offset(24));
            FrameRow fourth = cf.at(t + 3).orElseThrow();
            assertThat(fourth.rule(6)).contains(new RegisterRule.Register(0));
            assertThat(fourth.rule(16)).contains(new RegisterRule.Undefined());
            assertThat(fourth.cfa()).isEqualTo(new CfaRule.RegisterOffset(7, 24));
            // restore_state brought back the CFA rule of before remember_state.
            assertThat(cf.at(t + 4).orElseThrow().cfa()).isEqualTo(new CfaRule.RegisterOffset(7, 16));
        }
    }

    @Test
    void personalityAndLsdaOfCleanups() throws Exception {
        Path so = frames("-O2 -fexceptions -fPIC -shared");
        try (var elf = ElfFile.open(so)) {
            long fn = elf.symbols().findByName("with_cleanup").orElseThrow().value();
            Fde f = CallFrames.of(elf).fdeAt(fn).orElseThrow();
            assertThat(f.pcBegin()).isEqualTo(fn);
            assertThat(f.cie().augmentation()).isEqualTo("zPLR");
            // PIC code reaches the personality routine through a DW.ref slot (DW_EH_PE_indirect | pcrel | sdata4).
            long slot = elf.symbols().findByName("DW.ref.__gcc_personality_v0").orElseThrow().value();
            assertThat(f.cie().personality()).contains(new Cie.Pointer(slot, true));
            // The LSDA lives in .gcc_except_table.
            long lsda = f.lsda().orElseThrow().address();
            assertThat(elf.sectionContaining(lsda).orElseThrow().name()).isEqualTo(".gcc_except_table");
            // Functions without cleanups have neither.
            Fde plain = CallFrames.of(elf).fdeAt(elf.symbols().findByName("with_vla").orElseThrow().value()).orElseThrow();
            assertThat(plain.lsda()).isEmpty();
        }
    }

    @Test
    void libcMatchesReadelf() throws Exception {
        Path libc = Path.of("/lib/x86_64-linux-gnu/libc.so.6");
        Fixtures.require(Files.exists(libc), "no " + libc);
        Result r = compare(libc);
        int hdr = checkEhFrameHdr(libc);
        System.out.printf("libc.so.6: %d CIEs, %d FDEs, %d rows, %d lookups, %d .eh_frame_hdr entries%n",
                r.cies, r.fdes, r.rows, r.lookups, hdr);
        timings(libc);
        assertThat(r.diffs).isEmpty();
        assertThat(r.fdes).isGreaterThan(1000);
        assertThat(hdr).isGreaterThan(1000);
    }

    @Test
    void vmlinuxDebugFrameMatchesReadelf() throws Exception {
        Path vmlinux = Fixtures.kernel().resolve("vmlinux");
        Fixtures.require(Files.exists(vmlinux), "no " + vmlinux);
        Result r = compare(vmlinux);
        System.out.printf("vmlinux: %d CIEs, %d FDEs, %d rows, %d lookups%n", r.cies, r.fdes, r.rows, r.lookups);
        timings(vmlinux);
        assertThat(r.diffs).isEmpty();
        assertThat(r.fdes).isGreaterThan(10000);
    }

    @Test
    void kernelModulesMatchReadelf() throws Exception {
        // Relocatable .ko files: .debug_frame with RELA against each function's own section.
        Path debug = Fixtures.kernel().resolve("debug/usr/lib/debug/lib/modules");
        Fixtures.require(Files.isDirectory(debug), "no module debug files under " + debug);
        List<Path> modules;
        try (var walk = Files.walk(debug)) {
            modules = walk.filter(p -> p.toString().endsWith(".ko")).sorted().toList();
        }
        // Every 20th module (about 56 of Debian's 1,121), spread over the tree.
        var picked = new ArrayList<Path>();
        for (int i = 0; i < modules.size(); i += 20) {
            picked.add(modules.get(i));
        }
        Path skb = Fixtures.scenario("skb").resolve("crashlab_skb.ko");
        if (Files.exists(skb)) {
            picked.add(skb);
        }
        int fdes = 0;
        int rows = 0;
        for (Path ko : picked) {
            Result r = compare(ko);
            assertThat(r.diffs).as(ko.toString()).isEmpty();
            fdes += r.fdes;
            rows += r.rows;
        }
        System.out.printf("%d modules: %d FDEs, %d rows%n", picked.size(), fdes, rows);
        assertThat(fdes).isGreaterThan(100);
    }

    /**
     * The sorted table of .eh_frame_hdr (LSB "Linux Standard Base Core Specification", Exception
     * Frames; written by ld): every (initial location, FDE address) pair names an FDE we read with
     * that start, and the index finds it there. Returns the number of entries (0 without the section).
     */
    static int checkEhFrameHdr(Path file) {
        try (var elf = ElfFile.open(file)) {
            var hdr = elf.findSection(".eh_frame_hdr");
            if (hdr.isEmpty()) {
                return 0;
            }
            Section eh = elf.findSection(".eh_frame").orElseThrow();
            long base = hdr.get().addr();
            var r = elf.reader(hdr.get());
            assertThat(r.u8()).isEqualTo(1);
            // The encodings ld writes: pcrel|sdata4 pointer, udata4 count, datarel|sdata4 table.
            assertThat(new int[] {r.u8(), r.u8(), r.u8()}).containsExactly(0x1b, 0x03, 0x3b);
            assertThat(base + 4 + r.s32()).isEqualTo(eh.addr());
            long count = r.u32();
            CallFrames cf = CallFrames.of(elf, CallFrames.EH_FRAME);
            Map<Long, Fde> byOffset = new HashMap<>();
            for (Fde f : cf.fdes()) {
                byOffset.put(f.offset(), f);
            }
            long previous = Long.MIN_VALUE;
            for (long i = 0; i < count; i++) {
                long loc = base + r.s32();
                long fdeOffset = base + r.s32() - eh.addr();
                assertThat(loc).as("hdr table sorted").isGreaterThanOrEqualTo(previous);
                previous = loc;
                Fde f = byOffset.get(fdeOffset);
                assertThat(f).as("FDE at .eh_frame+0x%x", fdeOffset).isNotNull();
                assertThat(f.pcBegin()).isEqualTo(loc);
                if (f.pcEnd() != f.pcBegin()) {
                    assertThat(cf.fdeAt(loc).orElseThrow().pcBegin()).isEqualTo(loc);
                }
            }
            return (int) count;
        }
    }

    /** Index build (best of 5) and decoding every table once, printed for the report. */
    static void timings(Path file) {
        try (var elf = ElfFile.open(file)) {
            long best = Long.MAX_VALUE;
            CallFrames cf = null;
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                cf = CallFrames.of(elf);
                best = Math.min(best, System.nanoTime() - t0);
            }
            long t0 = System.nanoTime();
            long rows = 0;
            for (Fde f : cf.fdes()) {
                rows += cf.rows(f).size();
            }
            long decode = System.nanoTime() - t0;
            System.out.printf("%s: index of %d FDEs (%s) built in %.1f ms; all %d rows decoded in %.1f ms%n", file.getFileName(),
                    cf.fdeCount(), String.join("+", cf.sectionNames()), best / 1e6, rows, decode / 1e6);
        }
    }

    /** Compares every section readelf shows with ours; {@code file}'s FDE lookups are checked row by row. */
    static Result compare(Path file) throws Exception {
        String out = Tools.run(List.of("readelf", "-wN", "--debug-dump=frames-interp", file.toString()));
        var result = new Result();
        try (var elf = ElfFile.open(file)) {
            Map<String, List<ReadelfFrames.Entry>> expected = ReadelfFrames.parse(out);
            assertThat(expected).isNotEmpty();
            for (var section : expected.entrySet()) {
                compareSection(elf, section.getKey(), section.getValue(), result);
            }
        }
        return result;
    }

    private static void compareSection(ElfFile elf, String name, List<ReadelfFrames.Entry> expected, Result result) {
        boolean is64 = elf.is64();
        CallFrames cf = CallFrames.of(elf, name);
        Map<Long, Cie> cies = new HashMap<>();
        for (Cie c : cf.cies()) {
            cies.put(c.offset(), c);
        }
        Map<Long, Fde> fdes = new HashMap<>();
        for (Fde f : cf.fdes()) {
            fdes.put(f.offset(), f);
        }
        Map<Long, ReadelfFrames.Entry> readelfCies = new HashMap<>();
        int expectedCies = 0;
        int expectedFdes = 0;
        for (ReadelfFrames.Entry e : expected) {
            String where = "%s %s 0x%x".formatted(name, e.isCie() ? "CIE" : "FDE", e.offset());
            if (e.isCie()) {
                expectedCies++;
                readelfCies.put(e.offset(), e);
                Cie c = cies.get(e.offset());
                if (c == null) {
                    result.diff(where + ": missing");
                    continue;
                }
                result.cies++;
                String exp = "%s cf=%d df=%d ra=%d".formatted(e.augmentation(), e.codeAlign(), e.dataAlign(), e.ra());
                String act = "%s cf=%d df=%d ra=%d".formatted(c.augmentation(), c.codeAlignment(), c.dataAlignment(), c.returnAddressRegister());
                if (!exp.equals(act)) {
                    result.diff(where + ": " + act + " != readelf " + exp);
                }
                FrameRow initial = cf.initialRow(c);
                if (e.rows().isEmpty()) {
                    // No table: only DW_CFA_nop (glibc's __restore_rt CIE), so no rule at all.
                    if (!(initial.cfa() instanceof CfaRule.Undefined) || !initial.registers().isEmpty()) {
                        result.diff(where + ": rules " + initial + " where readelf shows none");
                    }
                } else {
                    compareRows(where, List.of(initial), e, e, 0, is64, result);
                }
                continue;
            }
            expectedFdes++;
            if (e.cie() == -2) {
                result.skipped++;
                expectedFdes--;
                fdes.remove(e.offset());
                continue;
            }
            Fde f = fdes.get(e.offset());
            if (f == null) {
                result.diff(where + ": missing");
                continue;
            }
            result.fdes++;
            long base = sectionBase(elf, f.pcBegin());
            String exp = "cie=%x pc=%x..%x".formatted(e.cie(), e.pcBegin(), e.pcEnd());
            String act = "cie=%x pc=%x..%x".formatted(f.cie().offset(), f.pcBegin() - base, f.pcEnd() - base);
            if (!exp.equals(act)) {
                result.diff(where + ": " + act + " != readelf " + exp);
                continue;
            }
            List<FrameRow> rows = cf.rows(f);
            ReadelfFrames.Entry cie = readelfCies.get(e.cie());
            if (e.rows().isEmpty()) {
                // No table: the FDE has only DW_CFA_nop, so its one row is the CIE's initial row (at 0).
                compareRows(where, rows, cie, cie, f.pcBegin(), is64, result);
            } else {
                compareRows(where, rows, e, cie, base, is64, result);
            }
            checkLookups(where, cf, f, rows, result);
        }
        if (result.diffs.isEmpty()) {
            assertThat(cies).as(name + " CIEs").hasSize(expectedCies);
            assertThat(fdes).as(name + " FDEs").hasSize(expectedFdes);
        }
    }

    /**
     * Our rows against readelf's table {@code table} (whose CIE, for the "ra" column, is
     * {@code cie}); our locations minus {@code base} (a relocatable object's section placement,
     * or the shift to the FDE start when comparing against the CIE's row at 0).
     */
    private static void compareRows(String where, List<FrameRow> rows, ReadelfFrames.Entry table, ReadelfFrames.Entry cie,
            long base, boolean is64, Result result) {
        List<Integer> columns = ReadelfFrames.columns(table.columns(), cie.ra(), is64);
        if (rows.size() != table.rows().size()) {
            result.diff("%s: %d rows != readelf's %d".formatted(where, rows.size(), table.rows().size()));
            return;
        }
        for (int i = 0; i < rows.size(); i++) {
            FrameRow ours = rows.get(i);
            ReadelfFrames.Row theirs = table.rows().get(i);
            var exp = new StringBuilder("%x %s".formatted(theirs.loc(), ReadelfFrames.cfa(theirs.cfa(), is64)));
            var act = new StringBuilder("%x %s".formatted(ours.start() - base, ReadelfFrames.render(ours.cfa())));
            for (int c = 0; c < columns.size(); c++) {
                exp.append(' ').append(ReadelfFrames.cell(theirs.cells().get(c)));
                act.append(' ').append(ReadelfFrames.render(ours.registers().get(columns.get(c))));
            }
            for (var rule : ours.registers().entrySet()) {
                if (!columns.contains(rule.getKey())) {
                    act.append(" extra r").append(rule.getKey()).append('=').append(ReadelfFrames.render(rule.getValue()));
                }
            }
            if (!exp.toString().equals(act.toString())) {
                result.diff("%s row %d: %s != readelf %s".formatted(where, i, act, exp));
            }
            result.rows++;
        }
    }

    /** Each non-empty row is what {@link CallFrames#at} finds at its first and last byte. */
    private static void checkLookups(String where, CallFrames cf, Fde f, List<FrameRow> rows, Result result) {
        for (FrameRow row : rows) {
            if (row.start() == row.end()) {
                continue;
            }
            for (long pc : new long[] {row.start(), row.end() - 1}) {
                Fde found = cf.fdeAt(pc).orElse(null);
                if (found == null || !found.contains(pc)) {
                    result.diff("%s: no FDE found at 0x%x".formatted(where, pc));
                    return;
                }
                // Overlapping FDEs (possible in a vmlinux) may answer with another one: compare only our own.
                if (found.offset() == f.offset() && !cf.at(pc).orElseThrow().equals(row)) {
                    result.diff("%s: at(0x%x) is not the row starting at 0x%x".formatted(where, pc, row.start()));
                    return;
                }
                result.lookups++;
            }
        }
    }

    /** For relocatable objects, where kdive-elf placed the code section holding {@code pc}; 0 otherwise. */
    private static long sectionBase(ElfFile elf, long pc) {
        if (!elf.header().isRelocatable()) {
            return 0;
        }
        for (Section s : elf.sections()) {
            long placed = elf.placedAddress(s);
            if (s.isExecutable() && s.size() > 0 && pc >= placed && pc < placed + s.size()) {
                return placed;
            }
        }
        return 0;
    }
}

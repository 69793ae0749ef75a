package kdive.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import kdive.dump.LegacyPrintkWriter.Entry;
import kdive.dump.LegacyPrintkWriter.Image;
import kdive.dump.LegacyPrintkWriter.Layout;
import kdive.io.FaultException;
import kdive.io.KdiveException;
import kdive.io.ValidationException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The 3.5-5.9 printk_log ring and the pre-3.5 plain buffer, holding the real records of the
 * fixture dumps stored as those kernels store them (LegacyPrintkWriter): the log read back from
 * vmcoreinfo alone equals the guest console's kernel lines, whole or its newest part after the
 * ring wrapped. No pre-5.10 kernel can be fetched on this project's machines, so the layouts are
 * the ones the kernel exports (SIZE/OFFSET in vmcoreinfo), not a dump of such a kernel.
 */
@Tag("vmcore")
@Tag("every-kernel")
class LegacyLogTest {
    private static final List<Layout> LAYOUTS = List.of(Layout.V3_5, Layout.V4_19, Layout.V5_1_CALLER);
    /** 1 MiB holds every record; 16 and 4 KiB make the ring wrap and drop the oldest ones. */
    private static final List<Integer> SIZES = List.of(1 << 20, 1 << 14, 1 << 12);

    private static List<String> console(String scenario) throws Exception {
        return Files.readAllLines(Fixtures.file(scenario, "console.log"), StandardCharsets.UTF_8).stream()
                .map(l -> l.replace("\r", "")).filter(l -> l.matches("\\[ *\\d+\\.\\d{6}\\] .*")).toList();
    }

    private static List<LogRecord> real(String scenario) {
        try (DumpFile d = DumpFile.open(Fixtures.file(scenario, "kdump-zlib"))) {
            return KernelLog.read(d);
        }
    }

    private static List<String> lines(List<LogRecord> records) {
        return records.stream().flatMap(r -> r.lines().stream()).toList();
    }

    @TestFactory
    Stream<DynamicTest> structuredRingEqualsTheConsole() {
        return Fixtures.SCENARIOS.stream().flatMap(s -> LAYOUTS.stream().flatMap(l -> SIZES.stream()
                .map(size -> DynamicTest.dynamicTest("%s/%s-%d/%d".formatted(s, l.struct(), l.size(), size), () -> {
                    List<LogRecord> recs = real(s);
                    // Some records carry a dictionary (dev_printk's SUBSYSTEM=/DEVICE=), which the log skips.
                    var entries = new ArrayList<Entry>();
                    for (LogRecord r : recs) {
                        entries.add(new Entry(r, r.seq() % 3 == 0 ? "SUBSYSTEM=pci\0DEVICE=+pci:0000:00:01.0" : "", 2));
                    }
                    Image img = LegacyPrintkWriter.structured(entries, l, size);
                    assertThat(KernelLog.format(img.vmcoreInfo(), "t")).isEqualTo(KernelLog.Format.STRUCTURED);
                    List<LogRecord> got = KernelLog.read(img.vmcoreInfo(), img, "t");
                    List<String> console = console(s);
                    assertThat(got).hasSize(recs.size() - (int) img.firstKept());
                    if (size == 1 << 20) {
                        assertThat(img.firstKept()).isZero();
                        assertThat(lines(got)).isEqualTo(console);
                    } else {
                        assertThat(img.firstKept()).isPositive();
                        assertThat(lines(got)).isEqualTo(console.subList(console.size() - lines(got).size(), console.size()));
                    }
                    LogRecord last = got.getLast();
                    LogRecord want = recs.getLast();
                    assertThat(List.of(last.level(), last.facility(), last.tsNsec()))
                            .isEqualTo(List.of(want.level(), want.facility(), want.tsNsec()));
                    assertThat(last.callerId()).isEqualTo(l.callerId() ? want.callerId() : 0);
                }))));
    }

    /** pr_cont() fragments stored as records of their own (LOG_CONT after a record without LOG_NEWLINE) print as one line. */
    @Test
    void continuationFragmentsJoinThePreviousLine() {
        List<LogRecord> recs = real("sysrq");
        var entries = new ArrayList<Entry>();
        for (LogRecord r : recs) {
            String t = r.text();
            if (t.length() > 20 && !t.contains("\n") && r.seq() % 5 == 0) {
                entries.add(new Entry(new LogRecord(0, r.tsNsec(), r.level(), r.facility(), 0, t.substring(0, 7)), "", 0));
                entries.add(new Entry(new LogRecord(0, r.tsNsec() + 1000, 4, 0, 0, t.substring(7, 12)), "", 8));
                entries.add(new Entry(new LogRecord(0, r.tsNsec() + 2000, 4, 0, 0, t.substring(12)), "", 8 | 2));
            } else {
                entries.add(new Entry(r, "", 2));
            }
        }
        assertThat(entries.size()).isGreaterThan(recs.size() + 50);
        Image img = LegacyPrintkWriter.structured(entries, Layout.V4_19, 1 << 20);
        assertThat(lines(KernelLog.read(img.vmcoreInfo(), img, "t"))).isEqualTo(lines(recs));
    }

    @TestFactory
    Stream<DynamicTest> plainBufferEqualsTheConsole() {
        return Fixtures.SCENARIOS.stream().flatMap(s -> Stream.of(1 << 20, 1 << 14)
                .map(size -> DynamicTest.dynamicTest(s + "/" + size, () -> {
                    List<LogRecord> recs = real(s);
                    Image img = LegacyPrintkWriter.plain(recs, size);
                    assertThat(KernelLog.format(img.vmcoreInfo(), "t")).isEqualTo(KernelLog.Format.PLAIN);
                    List<LogRecord> got = KernelLog.read(img.vmcoreInfo(), img, "t");
                    List<String> console = console(s);
                    if (size == 1 << 20) {
                        assertThat(lines(got)).isEqualTo(console);
                        assertThat(got.stream().map(LogRecord::level).toList())
                                .isEqualTo(recs.stream().flatMap(r -> r.lines().stream().map(x -> r.level())).toList());
                    } else {
                        // The oldest line is cut by the ring: all the others are whole.
                        List<String> tail = lines(got).subList(1, got.size());
                        assertThat(tail).hasSizeGreaterThan(100);
                        assertThat(tail).isEqualTo(console.subList(console.size() - tail.size(), console.size()));
                    }
                })));
    }

    @Test
    void plainLinesWithoutLevelOrTime() {
        List<LogRecord> r = PlainLog.parse("<4>[    1.500000] a\nb\n<12>c\n[   12.000001] d");
        assertThat(r).extracting(LogRecord::level).containsExactly(4, -1, 4, -1);
        assertThat(r).extracting(LogRecord::facility).containsExactly(0, -1, 1, -1);
        assertThat(r.stream().flatMap(x -> x.lines().stream()).toList())
                .containsExactly("[    1.500000] a", "b", "c", "[   12.000001] d");
    }

    /** A vmcoreinfo whose SIZE/OFFSET entries cannot describe a header: one FormatException naming the vmcoreinfo. */
    @Test
    void impossibleLayoutsAreFormatErrors() {
        Image good = LegacyPrintkWriter.structured(List.of(), Layout.V5_1_CALLER, 1 << 12);
        for (String bad : List.of("SIZE(printk_log)=8", "SIZE(printk_log)=100000", "OFFSET(printk_log.len)=19",
                "OFFSET(printk_log.dict_len)=18", "OFFSET(printk_log.caller_id)=17", "OFFSET(printk_log.ts_nsec)=-4")) {
            String key = bad.substring(0, bad.indexOf('='));
            String text = bad + "\n" + good.vmcoreInfo().raw().lines().filter(l -> !l.startsWith(key + "="))
                    .collect(java.util.stream.Collectors.joining("\n"));
            VmcoreInfo vi = VmcoreInfo.parse("test-vmcoreinfo", 0, text);
            assertThatThrownBy(() -> KernelLog.read(vi, good, "t")).as(bad)
                    .isInstanceOf(kdive.io.FormatException.class).hasMessageContaining("test-vmcoreinfo");
        }
        assertThat(KernelLog.read(good.vmcoreInfo(), good, "t")).isEmpty();
    }

    /** Corrupt headers and indexes: a ValidationException or FaultException naming the place, never a hang or another exception. */
    @Test
    void corruptRingsFailCleanly() {
        List<LogRecord> recs = real("skb");
        var entries = recs.stream().map(r -> new Entry(r, "", 2)).toList();
        Image good = LegacyPrintkWriter.structured(entries, Layout.V5_1_CALLER, 1 << 14);
        var rnd = new Random(7);
        int failures = 0;
        for (int i = 0; i < 3000; i++) {
            var regions = new java.util.TreeMap<Long, byte[]>();
            good.regions().forEach((k, v) -> regions.put(k, v.clone()));
            byte[] buf = regions.get(LegacyPrintkWriter.LOG_BUF);
            byte[] vars = regions.firstEntry().getValue();
            for (int k = 0; k < 1 + rnd.nextInt(8); k++) {
                if (rnd.nextInt(10) == 0) {
                    vars[8 + rnd.nextInt(24)] = (byte) rnd.nextInt();
                } else {
                    buf[rnd.nextInt(buf.length)] = (byte) rnd.nextInt();
                }
            }
            Image bad = new Image(good.vmcoreInfo(), regions, 0);
            try {
                KernelLog.read(bad.vmcoreInfo(), bad, "t");
            } catch (ValidationException | FaultException e) {
                assertThat(e.getMessage()).doesNotContain("\n");
                failures++;
            } catch (KdiveException e) {
                throw new AssertionError("unexpected " + e, e);
            }
        }
        assertThat(failures).isPositive();
        // The buffer itself unreadable (an excluded page): a fault, not an empty log.
        var regions = new java.util.TreeMap<>(good.regions());
        regions.put(LegacyPrintkWriter.LOG_BUF, new byte[100]);
        Image cut = new Image(good.vmcoreInfo(), regions, 0);
        assertThatThrownBy(() -> KernelLog.read(cut.vmcoreInfo(), cut, "t")).isInstanceOf(FaultException.class);
    }
}

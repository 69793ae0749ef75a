package kdive.dwarf;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kdive.elf.ElfFile;
import kdive.elf.Section;
import kdive.testkit.Fixtures;
import kdive.testkit.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every .debug_aranges set (header and tuples) equals readelf --debug-dump=aranges on gcc
 * output (DWARF 4 and 5, executables and relocated objects) and on the Debian vmlinux; each
 * range's first and last byte lead back to its unit, which is a unit of .debug_info.
 */
@Tag("every-kernel")
class ArangesVsReadelfTest {
    @TempDir
    static Path dir;

    private static final Pattern LENGTH = Pattern.compile("^\\s+Length:\\s+(\\d+)");
    private static final Pattern VERSION = Pattern.compile("^\\s+Version:\\s+(\\d+)");
    private static final Pattern OFFSET = Pattern.compile("^\\s+Offset into \\.debug_info:\\s+(?:0x)?([0-9a-f]+)");
    private static final Pattern POINTER = Pattern.compile("^\\s+Pointer Size:\\s+(\\d+)");
    private static final Pattern SEGMENT = Pattern.compile("^\\s+Segment Size:\\s+(\\d+)");
    private static final Pattern TUPLE = Pattern.compile("^\\s+([0-9a-f]{8,16}) ([0-9a-f]{8,16})\\s*$");

    @ParameterizedTest
    @ValueSource(strings = {"-g -O2 -gdwarf-5", "-g -O2 -gdwarf-4", "-g -O0 -gdwarf-4", "-g -O2 -gdwarf-5 -c", "-g -O2 -gdwarf-4 -c"})
    void gccOutputMatchesReadelf(String flags) throws Exception {
        var args = new ArrayList<>(List.of(flags.split(" ")));
        Path file = Tools.gcc(dir, Tools.source("frames.c"), "a" + flags.replaceAll("[^a-z0-9]", "_"), args.toArray(String[]::new));
        int ranges = compare(file);
        System.out.printf("frames.c %s: %d address ranges%n", flags, ranges);
        assertThat(ranges).isGreaterThanOrEqualTo(flags.contains("-O2") ? 2 : 1);
    }

    @Test
    void vmlinuxMatchesReadelf() throws Exception {
        Path vmlinux = Fixtures.kernel().resolve("vmlinux");
        Fixtures.require(Files.exists(vmlinux), "no " + vmlinux);
        int ranges = compare(vmlinux);
        System.out.printf("vmlinux: %d address ranges%n", ranges);
        assertThat(ranges).isGreaterThan(5000);
    }

    /** Compares sets and tuples; returns the number of tuples compared. */
    static int compare(Path file) throws Exception {
        var expected = new ArrayList<String>();
        for (String line : Tools.run(List.of("readelf", "-wN", "--debug-dump=aranges", file.toString())).split("\n")) {
            Matcher m;
            if ((m = LENGTH.matcher(line)).find()) {
                expected.add("set length=" + m.group(1));
            } else if ((m = VERSION.matcher(line)).find()) {
                expected.add(" version=" + m.group(1));
            } else if ((m = OFFSET.matcher(line)).find()) {
                expected.add(" unit=0x" + Long.toHexString(Long.parseLong(m.group(1), 16)));
            } else if ((m = POINTER.matcher(line)).find()) {
                expected.add(" address size=" + m.group(1));
            } else if ((m = SEGMENT.matcher(line)).find()) {
                expected.add(" segment size=" + m.group(1));
            } else if ((m = TUPLE.matcher(line)).find()) {
                long a = Long.parseUnsignedLong(m.group(1), 16);
                long l = Long.parseUnsignedLong(m.group(2), 16);
                if (a != 0 || l != 0) { // readelf prints the (0, 0) terminator too
                    expected.add("  0x%x+0x%x".formatted(a, l));
                }
            }
        }
        var actual = new ArrayList<String>();
        int tuples = 0;
        try (var elf = ElfFile.open(file)) {
            DwarfSections s = DwarfSections.of(elf);
            Aranges aranges = Aranges.of(s);
            Dwarf dwarf = Dwarf.of(s);
            var units = dwarf.units().stream().map(Unit::offset).toList();
            for (Aranges.UnitRanges set : aranges.sets()) {
                long headerSize = set.offset() + 4 < s.aranges().byteSize() && isDwarf64(s, set.offset()) ? 12 : 4;
                long next = nextOffset(aranges, set, s.aranges().byteSize());
                actual.add("set length=" + (next - set.offset() - headerSize));
                actual.add(" version=" + set.version());
                actual.add(" unit=0x" + Long.toHexString(set.unitOffset()));
                actual.add(" address size=" + set.addressSize());
                actual.add(" segment size=" + set.segmentSize());
                assertThat(units).as("unit of set 0x%x", set.offset()).contains(set.unitOffset());
                for (Aranges.Range r : set.ranges()) {
                    long base = sectionBase(elf, r.address());
                    actual.add("  0x%x+0x%x".formatted(r.address() - base, r.length()));
                    tuples++;
                    if (r.length() > 0) {
                        // Overlaps between units are possible in a vmlinux: then any covering unit will do.
                        long found = aranges.unitAt(r.address()).orElseThrow();
                        long last = aranges.unitAt(r.address() + r.length() - 1).orElseThrow();
                        if (found != set.unitOffset() || last != set.unitOffset()) {
                            assertThat(covers(aranges, found, r.address())).isTrue();
                            assertThat(covers(aranges, last, r.address() + r.length() - 1)).isTrue();
                        }
                    }
                }
            }
            assertThat(aranges.unitAt(0xffffffffffffff00L)).isEmpty();
        }
        assertThat(actual).containsExactlyElementsOf(expected);
        return tuples;
    }

    private static boolean covers(Aranges a, long unit, long address) {
        return a.sets().stream().filter(s -> s.unitOffset() == unit).flatMap(s -> s.ranges().stream())
                .anyMatch(r -> Long.compareUnsigned(address - r.address(), r.length()) < 0);
    }

    private static boolean isDwarf64(DwarfSections s, long offset) {
        return s.reader(s.aranges(), ".debug_aranges").seek(offset).u32() == 0xffffffffL;
    }

    private static long nextOffset(Aranges a, Aranges.UnitRanges set, long size) {
        int i = a.sets().indexOf(set);
        return i + 1 < a.sets().size() ? a.sets().get(i + 1).offset() : size;
    }

    /** readelf leaves a relocatable object's sections at 0; kdive-elf places them (see CallFramesVsReadelfTest). */
    private static long sectionBase(ElfFile elf, long address) {
        if (!elf.header().isRelocatable()) {
            return 0;
        }
        for (Section s : elf.sections()) {
            long placed = elf.placedAddress(s);
            if (s.isExecutable() && s.size() > 0 && address >= placed && address < placed + s.size()) {
                return placed;
            }
        }
        return 0;
    }
}

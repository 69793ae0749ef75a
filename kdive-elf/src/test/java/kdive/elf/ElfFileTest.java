package kdive.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import kdive.io.FormatException;
import kdive.testkit.Tools;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Compares ElfFile with readelf on programs gcc builds at test time. */
class ElfFileTest {
    @TempDir
    static Path dir;
    static Path exe;

    @BeforeAll
    static void build() throws Exception {
        exe = Tools.gcc(dir, Tools.source("sample.c"), "sample", "-g", "-O2", "-Wl,--build-id");
    }

    static Path variant(String name) throws Exception {
        return switch (name) {
            case "exe" -> exe;
            case "pie-zlib" -> Tools.gcc(dir, Tools.source("sample.c"), "zlib", "-g", "-O2", "-gz=zlib");
            case "object" -> Tools.gcc(dir, Tools.source("sample.c"), "sample.o", "-g", "-O2", "-c");
            case "static" -> Tools.gcc(dir, Tools.source("sample.c"), "static", "-O1", "-static");
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static final Pattern SECTION = Pattern.compile(
            "^\\s*\\[\\s*(\\d+)]\\s+(\\S*)\\s+(\\S+)\\s+([0-9a-f]+)\\s+([0-9a-f]+)\\s+([0-9a-f]+)\\s.*$");

    @ParameterizedTest
    @ValueSource(strings = {"exe", "pie-zlib", "object", "static"})
    void sectionsMatchReadelf(String name) throws Exception {
        Path p = variant(name);
        var expected = new ArrayList<String>();
        for (String line : Tools.run(List.of("readelf", "-SW", p.toString())).split("\n")) {
            var m = SECTION.matcher(line);
            if (m.matches()) {
                expected.add("%s %s %s %s %s".formatted(m.group(1), m.group(1).equals("0") ? "" : m.group(2), m.group(4), m.group(5), m.group(6)));
            }
        }
        try (var elf = ElfFile.open(p)) {
            var actual = elf.sections().stream()
                    .map(s -> "%d %s %016x %06x %06x".formatted(s.index(), s.name(), s.addr(), s.offset(), s.size()))
                    .toList();
            assertThat(actual).hasSize(expected.size());
            assertThat(normalize(actual)).isEqualTo(normalize(expected));
        }
    }

    /** readelf pads hex to varying widths; compare numbers, not text. */
    private static List<String> normalize(List<String> rows) {
        return rows.stream().map(r -> {
            String[] f = r.split(" ", -1);
            return f[0] + " " + f[1] + " " + Long.parseUnsignedLong(f[2], 16) + " "
                    + Long.parseUnsignedLong(f[3], 16) + " " + Long.parseUnsignedLong(f[4], 16);
        }).toList();
    }

    private static final Pattern PHDR = Pattern.compile(
            "^\\s+([A-Z_]+)\\s+0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) .*$");

    @ParameterizedTest
    @ValueSource(strings = {"exe", "static"})
    void programHeadersMatchReadelf(String name) throws Exception {
        Path p = variant(name);
        var expected = new ArrayList<String>();
        for (String line : Tools.run(List.of("readelf", "-lW", p.toString())).split("\n")) {
            var m = PHDR.matcher(line);
            if (m.matches()) {
                expected.add("%x %x %x %x %x".formatted(Long.parseLong(m.group(2), 16), Long.parseLong(m.group(3), 16),
                        Long.parseLong(m.group(4), 16), Long.parseLong(m.group(5), 16), Long.parseLong(m.group(6), 16)));
            }
        }
        try (var elf = ElfFile.open(p)) {
            assertThat(elf.programHeaders()).extracting(ph -> "%x %x %x %x %x".formatted(
                    ph.offset(), ph.vaddr(), ph.paddr(), ph.filesz(), ph.memsz())).containsExactlyElementsOf(expected);
            assertThat(elf.programHeaders()).anyMatch(ProgramHeader::isLoad);
        }
    }

    private static final Pattern SYM = Pattern.compile(
            "^\\s*(\\d+): ([0-9a-f]+)\\s+(\\d+|0x[0-9a-f]+) (\\w+)\\s+(\\w+)\\s+\\w+\\s+\\S+\\s?(.*)$");

    @ParameterizedTest
    @ValueSource(strings = {"exe", "object", "static"})
    void symbolsMatchReadelf(String name) throws Exception {
        Path p = variant(name);
        String out = Tools.run(List.of("readelf", "-sW", p.toString()));
        int start = out.indexOf("Symbol table '.symtab'");
        assertThat(start).isNotNegative();
        var expected = new ArrayList<String>();
        for (String line : out.substring(start).split("\n")) {
            var m = SYM.matcher(line);
            if (m.matches()) {
                long size = m.group(3).startsWith("0x") ? Long.parseLong(m.group(3).substring(2), 16) : Long.parseLong(m.group(3));
                // readelf shows a section symbol with its section's name; the symbol itself has none.
                String symName = m.group(4).equals("SECTION") ? "" : m.group(6);
                expected.add("%s %x %d %s".formatted(m.group(1), Long.parseUnsignedLong(m.group(2), 16), size, symName));
            }
        }
        try (var elf = ElfFile.open(p)) {
            var all = elf.symbols().all();
            var actual = new ArrayList<String>();
            for (int i = 0; i < all.size(); i++) {
                var s = all.get(i);
                actual.add("%d %x %d %s".formatted(i, s.value(), s.size(), s.name()));
            }
            assertThat(actual).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void findsSymbolsByNameAndAddress() throws Exception {
        try (var elf = ElfFile.open(exe)) {
            Symbol compute = elf.symbols().findByName("compute").orElseThrow();
            assertThat(compute.isFunction()).isTrue();
            assertThat(compute.size()).isPositive();
            for (long off = 0; off < compute.size(); off++) {
                assertThat(elf.symbols().findByAddress(compute.value() + off)).contains(compute);
            }
            assertThat(elf.symbols().findByName("counter").orElseThrow().type()).isEqualTo(Symbol.STT_OBJECT);
            assertThat(elf.symbols().findByName("no_such_symbol")).isEmpty();
        }
    }

    @Test
    void buildIdMatchesReadelf() throws Exception {
        String out = Tools.run(List.of("readelf", "-n", exe.toString()));
        var m = Pattern.compile("Build ID: ([0-9a-f]+)").matcher(out);
        assertThat(m.find()).isTrue();
        try (var elf = ElfFile.open(exe)) {
            assertThat(elf.buildId()).map(BuildId::hex).contains(m.group(1));
        }
    }

    @Test
    void compressedSectionsEqualObjcopyDecompressed() throws Exception {
        Path z = variant("pie-zlib");
        Path plain = dir.resolve("unz");
        Tools.run(List.of("objcopy", "--decompress-debug-sections", z.toString(), plain.toString()));
        try (var ze = ElfFile.open(z); var pe = ElfFile.open(plain)) {
            int compressed = 0;
            for (Section s : ze.sections()) {
                if (!s.name().startsWith(".debug")) {
                    continue;
                }
                compressed += s.isCompressed() ? 1 : 0;
                byte[] expected = pe.contents(pe.section(s.name())).toArray(ValueLayout.JAVA_BYTE);
                byte[] actual = ze.debugSection(s.name()).orElseThrow().toArray(ValueLayout.JAVA_BYTE);
                assertThat(HexFormat.of().formatHex(actual)).as(s.name()).isEqualTo(HexFormat.of().formatHex(expected));
            }
            assertThat(compressed).isPositive();
        }
    }

    @Test
    void zstdSectionsEqualObjcopyDecompressed() throws Exception {
        // gcc 12 cannot write zstd sections itself; objcopy (binutils >= 2.40 built with zstd) can.
        Path z = dir.resolve("zstd");
        try {
            Tools.run(List.of("objcopy", "--compress-debug-sections=zstd", exe.toString(), z.toString()));
        } catch (java.io.IOException e) {
            Assumptions.abort("objcopy here cannot write zstd sections: " + e.getMessage());
        }
        Path plain = dir.resolve("unzstd");
        Tools.run(List.of("objcopy", "--decompress-debug-sections", z.toString(), plain.toString()));
        try (var ze = ElfFile.open(z); var pe = ElfFile.open(plain)) {
            int compressed = 0;
            for (Section s : ze.sections()) {
                if (s.name().startsWith(".debug")) {
                    compressed += s.isCompressed() ? 1 : 0;
                    assertThat(ze.contents(s).toArray(ValueLayout.JAVA_BYTE)).as(s.name())
                            .isEqualTo(pe.contents(pe.section(s.name())).toArray(ValueLayout.JAVA_BYTE));
                }
            }
            assertThat(compressed).isPositive();
        }
    }

    @Test
    void relocatableDebugInfoDiffersOnlyWhereRelocated() throws Exception {
        Path o = variant("object");
        try (var elf = ElfFile.open(o)) {
            assertThat(elf.header().isRelocatable()).isTrue();
            Section info = elf.section(".debug_info");
            byte[] raw = elf.contents(info).toArray(ValueLayout.JAVA_BYTE);
            byte[] rel = elf.debugSection(".debug_info").orElseThrow().toArray(ValueLayout.JAVA_BYTE);
            assertThat(rel).hasSameSizeAs(raw).isNotEqualTo(raw);
            // .debug_str offsets are applied from section symbols: DW_AT_producer's strp must land on "GNU C".
            assertThat(new String(elf.debugSection(".debug_str").orElseThrow().toArray(ValueLayout.JAVA_BYTE)))
                    .contains("GNU C");
        }
    }

    @Test
    void rejectsNonElfWithOneLine() throws Exception {
        Path p = dir.resolve("not-elf");
        Files.writeString(p, "hello, this is not an ELF file at all");
        assertThatThrownBy(() -> ElfFile.open(p)).isInstanceOf(FormatException.class)
                .hasMessageContaining(p.toString()).hasMessageContaining("offset 0x0");
    }

    @Test
    void truncatedSectionTableNamesTheFile() throws Exception {
        byte[] bytes = Files.readAllBytes(exe);
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 100);
        assertThatThrownBy(() -> ElfFile.of(cut, "cut.elf")).isInstanceOf(FormatException.class)
                .hasMessageStartingWith("cut.elf: offset 0x");
    }
}

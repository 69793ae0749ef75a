package kdive.symbolize;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kdive.elf.ElfFile;
import kdive.elf.Section;
import kdive.testkit.Tools;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every address of .text of gcc-built programs, symbolized by us and by addr2line -f -i: byte-identical. */
class Addr2lineAgreementTest {
    @TempDir
    static Path dir;

    @ParameterizedTest
    @ValueSource(strings = {
        "-g -O2 -gdwarf-4", "-g -O2 -gdwarf-5", "-g -O2 -gz=zlib", "-g -O0", "-g -O3 -gdwarf-4",
        "-g -Os -gdwarf-2", "-g -O2 -c", "-g -O2 -gdwarf-4 -c", "-g -O2 -fPIC -shared"})
    void everyTextAddressMatchesAddr2line(String flags) throws Exception {
        var args = new ArrayList<>(List.of(flags.split(" ")));
        args.add("-I" + Tools.source("list.h").getParent());
        String out = "prog" + flags.replaceAll("[^a-zA-Z0-9]", "_");
        Path exe = Tools.gcc(dir, Tools.source("prog.c"), out, args.toArray(String[]::new));
        long[] addresses;
        try (var elf = ElfFile.open(exe)) {
            var text = new ArrayList<Long>();
            for (Section s : elf.sections()) {
                if (s.isExecutable() && s.isAlloc()) {
                    for (long a = s.addr(); a < s.addr() + s.size(); a++) {
                        text.add(a);
                    }
                }
            }
            addresses = text.stream().mapToLong(Long::longValue).toArray();
        }
        Map<Long, String> expected = addr2line(exe, addresses);
        int same = 0;
        var diffs = new ArrayList<String>();
        try (var sym = Symbolizer.open(exe)) {
            List<Location> locs = sym.symbolizeAll(addresses);
            for (int i = 0; i < addresses.length; i++) {
                String actual = Addr2line.format(locs.get(i));
                String exp = expected.get(addresses[i]);
                if (actual.equals(exp)) {
                    same++;
                } else if (diffs.size() < 20) {
                    diffs.add("0x%x:\n  addr2line: %s\n  kdive:     %s".formatted(addresses[i],
                            String.valueOf(exp).replace("\n", " | "), actual.replace("\n", " | ")));
                }
            }
        }
        System.out.printf("symbolize %-28s %d/%d addresses identical to addr2line -f -i%n", flags, same, addresses.length);
        assertThat(diffs).as("differences from addr2line for %s", flags).isEmpty();
        assertThat(addresses.length).isGreaterThan(100);
    }

    /** addr2line -a -f -i over all addresses in one process; blocks split at the "0x..." address lines. */
    static Map<Long, String> addr2line(Path exe, long[] addresses) throws Exception {
        var in = new StringBuilder();
        for (long a : addresses) {
            in.append(Long.toHexString(a)).append('\n');
        }
        String out = Tools.runWithInput(List.of("addr2line", "-a", "-f", "-i", "-e", exe.toString()), in.toString());
        return parseBlocks(out);
    }

    /** Splits addr2line -a output into one block per "0x..." address line. */
    static Map<Long, String> parseBlocks(String out) {
        var map = new LinkedHashMap<Long, String>();
        Long current = null;
        var block = new StringBuilder();
        for (String line : out.split("\n", -1)) {
            if (line.startsWith("0x") && line.length() >= 10 && line.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                if (current != null) {
                    map.put(current, block.toString());
                }
                current = Long.parseUnsignedLong(line.substring(2), 16);
                block.setLength(0);
            } else if (current != null && !(line.isEmpty() && block.isEmpty())) {
                block.append(line).append('\n');
            }
        }
        if (current != null) {
            String b = block.toString();
            map.put(current, b.endsWith("\n\n") ? b.substring(0, b.length() - 1) : b);
        }
        return map;
    }
}

package kdive.symbolize;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        Agreement a = Agreement.of(exe, addresses, Agreement.addr2line(exe, addresses)).print("symbolize " + flags);
        assertThat(a.same()).as("addresses identical to addr2line for %s", flags).isEqualTo(a.total());
        assertThat(addresses.length).isGreaterThan(100);
    }
}

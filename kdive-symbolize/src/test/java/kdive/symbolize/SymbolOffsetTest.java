package kdive.symbolize;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kdive.elf.ElfFile;
import kdive.elf.Symbol;
import kdive.testkit.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code symbol+offset} in a relocatable object, where every section starts at 0 and a bare address
 * is ambiguous: each function's every byte agrees with {@code addr2line -f -i -j SECTION}, which
 * reads offsets relative to the named section. This is how oops frames of modules are resolved.
 */
class SymbolOffsetTest {
    @TempDir
    static Path dir;

    @Test
    void everyFunctionByteOfARelocatableObjectMatchesAddr2lineInItsSection() throws Exception {
        Path obj = Tools.gcc(dir, Tools.source("prog.c"), "prog.o", "-g", "-O2", "-c",
                "-ffunction-sections", "-I" + Tools.source("list.h").getParent());
        int checked = 0;
        var diffs = new ArrayList<String>();
        try (var elf = ElfFile.open(obj); var sym = Symbolizer.open(obj)) {
            for (Symbol f : elf.symbols().all()) {
                if (f.type() != Symbol.STT_FUNC || f.size() == 0) {
                    continue;
                }
                String section = elf.section(f.shndx()).name();
                var cmd = new ArrayList<>(List.of("addr2line", "-f", "-i", "-j", section, "-e", obj.toString()));
                for (long off = 0; off < f.size(); off++) {
                    cmd.add(Long.toHexString(f.value() + off));
                }
                List<String> expected = Tools.run(cmd).lines().toList();
                int line = 0;
                for (long off = 0; off < f.size(); off++) {
                    Location loc = sym.symbolizeSymbol(f.name(), off);
                    List<String> actual = Addr2line.format(loc).lines().toList();
                    List<String> exp = expected.subList(line, Math.min(expected.size(), line + actual.size()));
                    line += actual.size();
                    checked++;
                    if (!actual.equals(exp) && diffs.size() < 10) {
                        diffs.add("%s+0x%x: addr2line %s, kdive %s".formatted(f.name(), off, exp, actual));
                    }
                }
            }
        }
        System.out.printf("symbolize symbol+offset in prog.o (-ffunction-sections): %d offsets checked%n", checked);
        assertThat(checked).isGreaterThan(100);
        assertThat(diffs).isEmpty();
    }
}

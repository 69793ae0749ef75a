package kdive.kernel.helpers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import kdive.kernel.Dumps;
import kdive.kernel.SymbolHit;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * The module list and the modules' own symbols of every dump file against what the guest printed
 * before the crash: /proc/modules (name, size, base) and the modules' lines of /proc/kallsyms
 * (address, letter, name), on each kernel's layout of struct module.
 */
@Tag("vmcore")
@Tag("every-kernel")
class ModulesTruthTest extends DumpTruthTest {
    /** A line of /proc/modules: "qemu_fw_cfg 20480 0 - Live 0xffffffffc02a8000". */
    record ProcModule(String name, long size, long base) {}

    /** A module's line of /proc/kallsyms: "ffffffffc02a8000 t fw_cfg_sysfs_attr_show\t[qemu_fw_cfg]". */
    record KallsymsLine(long address, char letter, String name, String module) {}

    static List<ProcModule> procModules(String scenario) {
        return Dumps.truth(scenario, "modules").stream().map(l -> l.split(" +"))
                .filter(f -> f.length >= 6 && f[5].startsWith("0x"))
                .map(f -> new ProcModule(f[0], Long.parseLong(f[1]), Long.parseUnsignedLong(f[5].substring(2), 16)))
                .toList();
    }

    static List<KallsymsLine> kallsyms(String scenario) {
        var out = new ArrayList<KallsymsLine>();
        for (String l : Dumps.truth(scenario, "modsyms")) {
            String[] f = l.split("[ \t]+");
            if (f.length == 4 && f[3].startsWith("[")) {
                out.add(new KallsymsLine(Long.parseUnsignedLong(f[0], 16), f[1].charAt(0), f[2], f[3].substring(1, f[3].length() - 1)));
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> modulesAndTheirSymbolsAreTheGuests() {
        var tests = new ArrayList<DynamicTest>();
        for (String s : Dumps.SCENARIOS) {
            for (String f : List.of("kdump-zlib", "qemu.elf", "kdump-elf.flat")) {
                tests.add(DynamicTest.dynamicTest(s + "/" + f, () -> check(s, f)));
            }
        }
        return tests.stream();
    }

    private static void check(String scenario, String file) {
        List<ProcModule> truth = procModules(scenario);
        List<KallsymsLine> syms = kallsyms(scenario);
        assertThat(truth).extracting(ProcModule::name).contains("qemu_fw_cfg");
        assertThat(syms).extracting(KallsymsLine::module).containsOnly(truth.stream().map(ProcModule::name).toArray(String[]::new));
        Modules.ModuleList list = read(scenario, file, Modules::list);
        assertThat(list.problems()).isEmpty();
        // /proc/modules walks the same list, newest first.
        assertThat(list.modules()).extracting(Modules.Module::name, Modules.Module::size, Modules.Module::base)
                .containsExactlyElementsOf(truth.stream().map(m -> org.assertj.core.groups.Tuple.tuple(m.name(), m.size(), m.base())).toList());
        assertThat(syms).hasSizeGreaterThan(20);
        for (KallsymsLine k : syms) {
            // by name: that address and letter, in that module
            assertThat(list.symbols(k.name())).as(k.name())
                    .anySatisfy(h -> {
                        assertThat(h.address()).isEqualTo(k.address());
                        assertThat(h.letter()).isEqualTo(k.letter());
                        assertThat(h.module()).isEqualTo(k.module());
                    });
            // by address: a symbol at exactly that address (several names may share one)
            SymbolHit at = list.symbolize(k.address()).orElseThrow();
            assertThat(at.address()).as(k.name()).isEqualTo(k.address());
            assertThat(at.offset()).isZero();
            SymbolHit inside = list.symbolize(k.address() + 1).orElseThrow();
            assertThat(inside.module()).isEqualTo(k.module());
        }
        // An address past every module is no module's.
        long end = list.modules().stream().flatMap(m -> m.ranges().stream()).mapToLong(r -> r[0] + r[1]).max().orElseThrow();
        assertThat(list.symbolize(end + (1L << 30))).isEmpty();
    }
}

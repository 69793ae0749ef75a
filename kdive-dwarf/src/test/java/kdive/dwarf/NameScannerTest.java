package kdive.dwarf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import kdive.elf.ElfFile;
import kdive.testkit.Fixtures;
import kdive.testkit.Tools;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one-pass scanner against the general DIE reader, attribute by attribute: for every unit,
 * {@link DieReader} decodes each type and unit-level variable DIE in full and the same choice
 * rules are applied to what it decoded. Both must name the same DIE for every type name and the
 * same type and address for every variable, on gcc's output in each DWARF version and on the
 * real kernel.
 */
class NameScannerTest {
    private static final long INCOMPLETE = 1L << 62;

    static Stream<Arguments> dwarfVersions() {
        return Stream.of(Arguments.of("-gdwarf-2"), Arguments.of("-gdwarf-4"), Arguments.of("-gdwarf-5"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dwarfVersions")
    void gccOutputInEachVersion(String version, @TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.c");
        Files.writeString(a, """
                struct list_head { struct list_head *next, *prev; };
                typedef unsigned long long u64;
                struct opaque;
                struct opaque *handle;
                extern int counter;
                int counter = 3;
                static struct list_head head = { &head, &head };
                enum state { IDLE, BUSY } state;
                union u { int i; char c[4]; } un;
                u64 big[4];
                struct list_head *first(void) { struct local { int x; } l = { 1 }; return head.next + l.x; }
                """);
        Path b = dir.resolve("b.c");
        Files.writeString(b, """
                struct opaque { int x; };
                struct list_head { struct list_head *next, *prev; };
                extern int counter;
                struct opaque one = { 1 };
                int use(void) { return counter + one.x; }
                """);
        Path out = dir.resolve("prog");
        Tools.run(List.of("gcc", version, "-O1", "-fPIC", "-c", a.toString(), "-o", dir.resolve("a.o").toString()));
        Tools.run(List.of("gcc", version, "-O1", "-fPIC", "-c", b.toString(), "-o", dir.resolve("b.o").toString()));
        Tools.run(List.of("gcc", "-shared", dir.resolve("a.o").toString(), dir.resolve("b.o").toString(), "-o", out.toString()));
        try (ElfFile elf = ElfFile.open(out)) {
            Dwarf dwarf = Dwarf.of(elf);
            NameScanner.Names names = NameScanner.scan(dwarf);
            assertThat(names).isEqualTo(reference(dwarf));
            assertThat(names.types()).containsKeys("struct list_head", "u64", "struct opaque", "enum state", "union u",
                    "int", "struct local");
            // The complete definition of b.c wins over a.c's declaration.
            assertThat(dwarf.die(names.types().get("struct opaque")).get(DwAt.DECLARATION)).isNull();
            assertThat(names.variables()).containsKeys("handle", "counter", "head", "state", "un", "big", "one");
            assertThat(names.variables().get("counter").address()).isNotEqualTo(-1);
        }
    }

    @Test
    @Tag("every-kernel")
    void theKernel() {
        Path vmlinux = Fixtures.kernel().resolve("vmlinux");
        Fixtures.require(Files.exists(vmlinux), "no " + vmlinux);
        try (ElfFile elf = ElfFile.open(vmlinux)) {
            Dwarf dwarf = Dwarf.of(elf);
            NameScanner.Names names = NameScanner.scan(dwarf);
            NameScanner.Names expected = reference(dwarf);
            assertThat(names.types()).hasSize(expected.types().size()).isEqualTo(expected.types());
            assertThat(names.variables()).hasSize(expected.variables().size()).isEqualTo(expected.variables());
            assertThat(names.types()).containsKeys("struct task_struct", "struct sock", "u64", "unsigned int");
            assertThat(names.variables()).containsKeys("init_task", "jiffies", "init_uts_ns");
            assertThat(names.variables().get("init_task").address()).isEqualTo(
                    elf.symbols().findByName("init_task").orElseThrow().value());
        }
    }

    /** The same rules over every DIE decoded by the general reader. */
    private static NameScanner.Names reference(Dwarf dwarf) {
        var types = new HashMap<String, Long>();
        var typeRank = new HashMap<String, Long>();
        var type = new HashMap<String, Long>();
        var addressRank = new HashMap<String, Long>();
        var address = new HashMap<String, Long>();
        for (Unit u : dwarf.units()) {
            Types.scanNames(dwarf, u, new Types.NameVisitor() {
                @Override
                public void type(String keyword, Die d) {
                    if (Types.isString(d.get(DwAt.NAME))) {
                        long rank = d.get(DwAt.DECLARATION) == null ? 0 : INCOMPLETE;
                        types.merge(keyword + dwarf.string(u, d.get(DwAt.NAME)), rank | d.offset(), Math::min);
                    }
                }

                @Override
                public void variable(Die d) {
                    AttrValue name = d.get(DwAt.NAME);
                    long addr = Types.staticAddress(dwarf, d);
                    long t = Types.typeRef(d);
                    String key = null;
                    if (!Types.isString(name) && addr != -1 && d.get(DwAt.SPECIFICATION) instanceof AttrValue.Reference spec) {
                        Die decl = dwarf.die(spec.offset());
                        t = t == -1 ? Types.typeRef(decl) : t;
                        key = Types.isString(decl.get(DwAt.NAME)) ? dwarf.string(decl.unit(), decl.get(DwAt.NAME)) : null;
                    } else if (Types.isString(name)) {
                        key = dwarf.string(u, name);
                    }
                    if (key == null) {
                        return;
                    }
                    long tr = t == -1 ? Long.MAX_VALUE : (addr != -1 ? 0 : INCOMPLETE) | d.offset();
                    if (tr < typeRank.getOrDefault(key, Long.MAX_VALUE) || !typeRank.containsKey(key)) {
                        typeRank.put(key, tr);
                        type.put(key, t);
                    }
                    if (addr != -1 && d.offset() < addressRank.getOrDefault(key, Long.MAX_VALUE)) {
                        addressRank.put(key, d.offset());
                        address.put(key, addr);
                    }
                }
            });
        }
        types.replaceAll((k, v) -> v & ~INCOMPLETE);
        var vars = new HashMap<String, NameScanner.Variable>();
        typeRank.forEach((k, r) -> vars.put(k, new NameScanner.Variable(r == Long.MAX_VALUE ? -1 : type.get(k),
                address.getOrDefault(k, -1L))));
        return new NameScanner.Names(Map.copyOf(types), Map.copyOf(vars));
    }
}

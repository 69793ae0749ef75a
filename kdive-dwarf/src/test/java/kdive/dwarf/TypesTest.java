package kdive.dwarf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kdive.elf.ElfFile;
import kdive.testkit.Tools;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Struct layouts from DWARF against what the compiled program itself prints (offsetof, sizeof, bit positions). */
class TypesTest {
    @TempDir
    static Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"-gdwarf-5", "-gdwarf-4", "-gdwarf-2", "-gdwarf-5 -gz=zlib"})
    void layoutsMatchTheCompiledProgram(String flags) throws Exception {
        var args = new java.util.ArrayList<>(List.of("-g", "-O0", "-no-pie"));
        args.addAll(List.of(flags.split(" ")));
        Path exe = Tools.gcc(dir, Tools.source("layout.c"), "layout" + flags.replaceAll("[^a-z0-9]", "_"), args.toArray(String[]::new));
        Map<String, String> truth = new HashMap<>();
        for (String line : runAllowingExitStatus(exe).split("\n")) {
            int sp = line.lastIndexOf(' ');
            truth.put(line.substring(0, sp), line.substring(sp + 1));
        }
        try (var elf = ElfFile.open(exe)) {
            Types types = Types.index(Dwarf.of(elf));
            var sock = (Type.Struct) types.findType("struct sock").orElseThrow();
            assertThat(sock.size()).isEqualTo(Long.parseLong(truth.get("size struct sock")));
            for (Type.Member m : sock.members()) {
                assertThat(m.byteOffset()).as("sock.%s", m.name()).isEqualTo(Long.parseLong(truth.get("offset sock." + m.name())));
            }
            assertThat(sock.members()).extracting(Type.Member::name)
                    .containsExactly("id", "f", "sk_write_queue", "name", "pos", "cmp", "counters");

            var flagsType = (Type.Struct) types.strip(sock.members().get(1).type());
            assertThat(flagsType.size()).isEqualTo(Long.parseLong(truth.get("size struct flags")));
            for (Type.Member m : flagsType.members()) {
                assertThat(m.isBitfield()).isTrue();
                assertThat(m.bitOffset()).as("flags.%s", m.name()).isEqualTo(Long.parseLong(truth.get("bit flags." + m.name())));
            }
            assertThat(flagsType.members()).extracting(Type.Member::bitSize).containsExactly(3L, 5L, 7L, 40L);

            var name = (Type.Array) types.type(sock.members().get(3).type());
            assertThat(name.counts()).containsExactly(12L);
            var counters = (Type.Array) types.strip(sock.members().get(6).type());
            assertThat(counters.counts()).containsExactly(2L, 5L);
            assertThat(counters.size()).isEqualTo(80);
            assertThat(types.type(counters.element())).isInstanceOf(Type.Qualified.class);

            var cmp = (Type.Pointer) types.type(sock.members().get(5).type());
            var fn = (Type.Function) types.type(cmp.target());
            assertThat(fn.parameters()).hasSize(2);
            assertThat(types.type(fn.returnType())).isInstanceOfSatisfying(Type.Base.class, b -> assertThat(b.name()).isEqualTo("int"));

            var tail = (Type.Struct) types.findType("struct tail").orElseThrow();
            assertThat(tail.members().get(2).byteOffset()).isEqualTo(Long.parseLong(truth.get("offset tail.data")));
            assertThat(((Type.Array) types.type(tail.members().get(2).type())).counts()).containsExactly(-1L);

            var color = (Type.Enum) types.findType("enum color").orElseThrow();
            assertThat(color.enumerators()).extracting(Type.Enumerator::name, Type.Enumerator::value)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("RED", 1L), org.assertj.core.groups.Tuple.tuple("GREEN", 20L),
                            org.assertj.core.groups.Tuple.tuple("BLUE", -3L));

            assertThat(types.findType("sock_t")).get().isInstanceOf(Type.Typedef.class);
            var global = types.findVariable("global_sock").orElseThrow();
            assertThat(Long.toHexString(global.address())).isEqualTo(truth.get("addr global_sock"));
            assertThat(types.strip(global.type())).isEqualTo(sock);
        }
    }

    private static String runAllowingExitStatus(Path exe) throws Exception {
        Process p = new ProcessBuilder(exe.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }
}

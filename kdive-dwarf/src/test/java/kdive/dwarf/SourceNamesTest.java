package kdive.dwarf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kdive.elf.ElfFile;
import kdive.testkit.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * C type spellings and member designators from DWARF, against gdb reading the same gcc-compiled
 * program: {@code whatis} for type names, {@code &((struct sock *)0)->D} and {@code sizeof} for
 * the offset and width that must lead back to designator D.
 */
class SourceNamesTest {
    @TempDir
    static Path dir;

    /** Expressions gdb types with {@code whatis}; each names a variable or member of layout.c. */
    private static final List<String> TYPED = List.of(
            "global_sock", "global_tail", "global_color", "global_sock.id", "global_sock.f",
            "global_sock.sk_write_queue", "global_sock.sk_write_queue.next", "global_sock.name", "global_sock.pos",
            "global_sock.pos[1]", "global_sock.cmp", "global_sock.counters",
            "global_tail->data", "global_tail->c");

    /** Designators in struct sock that an access of the member's own width must be named by. */
    private static final List<String> DESIGNATORS = List.of(
            "id", "f", "sk_write_queue.next", "sk_write_queue.prev", "name[0]", "name[5]", "name[11]",
            "pos[0].x", "pos[0].y", "pos[2].y", "cmp", "counters[0][0]", "counters[1][3]");

    @ParameterizedTest
    @ValueSource(strings = {"-gdwarf-5", "-gdwarf-4", "-gdwarf-2"})
    void typeNamesAreGdbs(String flag) throws Exception {
        Path exe = Tools.gcc(dir, Tools.source("layout.c"), "layout" + flag.replace('-', '_'), "-g", "-O0", "-no-pie", flag);
        List<String> gdb = gdb(exe, TYPED.stream().map(e -> "whatis " + e).toList());
        try (var elf = ElfFile.open(exe)) {
            Types types = Types.index(Dwarf.of(elf));
            var ours = new ArrayList<String>();
            for (String e : TYPED) {
                ours.add("type = " + TypeNames.of(types, typeOf(types, e)));
            }
            assertThat(ours).containsExactlyElementsOf(gdb);
        }
    }

    /**
     * The DIE offset of the type of one of {@link #TYPED} ({@code var(.member|->member|[i])*}),
     * walked through our own model.
     */
    private static long typeOf(Types types, String expr) {
        String[] tokens = expr.split("(?=\\.|->|\\[)");
        long t = types.findVariable(tokens[0]).orElseThrow().type();
        for (int i = 1; i < tokens.length; i++) {
            String tok = tokens[i];
            if (tok.startsWith("[")) {
                t = ((Type.Array) types.strip(t)).element();
                continue;
            }
            Type base = types.strip(t);
            if (tok.startsWith("->")) {
                base = types.strip(((Type.Pointer) base).target());
            }
            String name = tok.replaceFirst("^(\\.|->)", "");
            t = ((Type.Struct) base).members().stream().filter(m -> name.equals(m.name())).findFirst().orElseThrow().type();
        }
        return t;
    }

    @ParameterizedTest
    @ValueSource(strings = {"-gdwarf-5", "-gdwarf-4", "-gdwarf-2"})
    void offsetsLeadBackToTheirDesignators(String flag) throws Exception {
        Path exe = Tools.gcc(dir, Tools.source("layout.c"), "paths" + flag.replace('-', '_'), "-g", "-O0", "-no-pie", flag);
        var cmds = new ArrayList<String>();
        for (String d : DESIGNATORS) {
            cmds.add("print (long) &((struct sock *) 0)->" + d);
            cmds.add("print sizeof(((struct sock *) 0)->" + d + ")");
        }
        List<String> gdb = gdb(exe, cmds);
        try (var elf = ElfFile.open(exe)) {
            Types types = Types.index(Dwarf.of(elf));
            long sock = types.findType("struct sock").orElseThrow().offset();
            for (int i = 0; i < DESIGNATORS.size(); i++) {
                long offset = value(gdb.get(2 * i));
                long size = value(gdb.get(2 * i + 1));
                MemberPath p = MemberPath.find(types, sock, offset, size).orElseThrow();
                assertThat(p.path()).as("offset %d size %d", offset, size).isEqualTo(DESIGNATORS.get(i));
                assertThat(p.rest()).isZero();
                assertThat(types.sizeOf(p.type())).isEqualTo(size);
                // One byte further in, the same member with the byte left over.
                if (size > 1) {
                    MemberPath inside = MemberPath.find(types, sock, offset + 1, 1).orElseThrow();
                    assertThat(inside.path()).isEqualTo(DESIGNATORS.get(i));
                    assertThat(inside.rest()).isEqualTo(1);
                }
            }
            assertThat(MemberPath.find(types, sock, types.sizeOf(sock), 1)).isEmpty();
        }
    }

    @Test
    void designatorsReadAsC() {
        assertThat(new MemberPath("sk_write_queue.prev", 1, 0).through("sk")).isEqualTo("sk->sk_write_queue.prev");
        assertThat(new MemberPath("", 1, 0).through("prev")).isEqualTo("*prev");
        assertThat(new MemberPath("next", 1, 0).through("next->prev")).isEqualTo("next->prev->next");
        assertThat(new MemberPath("x", 1, 2).through("(char *)p + 0x8")).isEqualTo("((char *)p + 0x8)->x+0x2");
    }

    private static long value(String gdbLine) {
        return Long.parseLong(gdbLine.replaceFirst("^\\$\\d+ = ", "").strip());
    }

    private static List<String> gdb(Path exe, List<String> commands) throws Exception {
        var cmd = new ArrayList<>(List.of("gdb", "-nx", "-batch"));
        for (String c : commands) {
            cmd.add("-ex");
            cmd.add(c);
        }
        cmd.add(exe.toString());
        return Tools.run(cmd).lines().filter(l -> l.startsWith("type = ") || l.startsWith("$")).toList();
    }
}

package kdive.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import kdive.elf.ElfFile;
import kdive.io.LookupException;
import kdive.kernel.arch.PageTable;
import kdive.kernel.types.KType;
import kdive.testkit.Fixtures;
import kdive.testkit.Tools;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Obj and KType against gdb on a gcc-compiled program (objects.c, all data initialised
 * statically): for each C expression, gdb's whatis is our type name and gdb's print our value,
 * through members, bitfields, anonymous unions, enums, casts, integer promotions and conversions,
 * pointer arithmetic, pointer differences and container_of.
 */
class ObjGdbTest {
    @TempDir
    static Path dir;

    /** A C expression, gdb's print format ('x', 'd', 'u', or '-' for whatis alone), and the same in kdive. */
    record Case(String expr, char format, Function<Program, Obj> ours) {}

    private static Obj v(Program p, String name) {
        return p.object(name);
    }

    private static List<Case> cases() {
        var c = new ArrayList<Case>();
        c.add(new Case("nodes", '-', p -> v(p, "nodes")));
        c.add(new Case("head", 'x', p -> v(p, "head")));
        c.add(new Case("*head", '-', p -> v(p, "head").deref()));
        c.add(new Case("head->peer", 'x', p -> v(p, "head").arrow("peer")));
        c.add(new Case("head->peer->peer->id", 'd', p -> v(p, "head").arrow("peer").arrow("peer").arrow("id")));
        c.add(new Case("&nodes[1]", 'x', p -> v(p, "nodes").index(1).addressOf()));
        c.add(new Case("&head", 'x', p -> v(p, "head").addressOf()));
        for (int n = 0; n < 3; n++) {
            int node = n;
            for (String f : List.of("a", "b", "c", "d", "e", "f")) {
                c.add(new Case("nodes[%d].f.%s".formatted(n, f), 'd', p -> v(p, "nodes").index(node).member("f." + f)));
            }
            c.add(new Case("nodes[%d].s".formatted(n), 'd', p -> v(p, "nodes").index(node).member("s")));
            c.add(new Case("nodes[%d].l".formatted(n), 'd', p -> v(p, "nodes").index(node).member("l")));
            c.add(new Case("nodes[%d].color".formatted(n), 'd', p -> v(p, "nodes").index(node).member("color")));
            c.add(new Case("nodes[%d].ok".formatted(n), 'd', p -> v(p, "nodes").index(node).member("ok")));
            c.add(new Case("nodes[%d].i".formatted(n), 'd', p -> v(p, "nodes").index(node).member("i")));
        }
        c.add(new Case("counter", 'u', p -> v(p, "counter")));
        c.add(new Case("matrix[1]", '-', p -> v(p, "matrix").index(1)));
        c.add(new Case("&matrix", 'x', p -> v(p, "matrix").addressOf()));
        c.add(new Case("&matrix[1]", 'x', p -> v(p, "matrix").index(1).addressOf()));
        c.add(new Case("matrix[1][2]", 'd', p -> v(p, "matrix").index(1).index(2)));
        c.add(new Case("head + 1", 'x', p -> v(p, "head").add(1)));
        c.add(new Case("head - 1", 'x', p -> v(p, "head").sub(1)));
        c.add(new Case("&nodes[2] - &nodes[0]", 'd', p -> v(p, "nodes").index(2).addressOf().sub(v(p, "nodes").index(0).addressOf())));
        c.add(new Case("(struct list_head *)head", 'x', p -> v(p, "head").cast("struct list_head *")));
        c.add(new Case("(struct list_head **)0xffff888012345678", 'x', p -> p.value("unsigned long", 0xffff888012345678L).cast("struct list_head **")));
        c.add(new Case("nodes[0].s + 1", 'd', p -> v(p, "nodes").index(0).member("s").add(p.value("int", 1))));
        c.add(new Case("nodes[0].u8 * 2", 'd', p -> v(p, "nodes").index(0).member("u8").mul(p.value("int", 2))));
        c.add(new Case("counter * 2", 'u', p -> v(p, "counter").mul(p.value("int", 2))));
        c.add(new Case("nodes[0].bytes[0]", 'd', p -> v(p, "nodes").index(0).member("bytes").index(0)));
        c.add(new Case("(unsigned char)nodes[1].s", 'd', p -> v(p, "nodes").index(1).member("s").cast("unsigned char")));
        c.add(new Case("-nodes[0].u8", 'd', p -> v(p, "nodes").index(0).member("u8").neg()));
        c.add(new Case("~nodes[0].s", 'd', p -> v(p, "nodes").index(0).member("s").not()));
        c.add(new Case("nodes[2].l / 3", 'd', p -> v(p, "nodes").index(2).member("l").div(p.value("int", 3))));
        c.add(new Case("nodes[2].l % 1000", 'd', p -> v(p, "nodes").index(2).member("l").mod(p.value("int", 1000))));
        c.add(new Case("nodes[2].l >> 4", 'd', p -> v(p, "nodes").index(2).member("l").shr(p.value("int", 4))));
        c.add(new Case("nodes[0].u8 << 30", 'd', p -> v(p, "nodes").index(0).member("u8").shl(p.value("int", 30))));
        c.add(new Case("(unsigned int)nodes[0].l", 'u', p -> v(p, "nodes").index(0).member("l").cast("unsigned int")));
        c.add(new Case("nodes[0].l + counter", 'u', p -> v(p, "nodes").index(0).member("l").add(v(p, "counter"))));
        c.add(new Case("nodes[0].id - counter", 'u', p -> v(p, "nodes").index(0).member("id").sub(v(p, "counter"))));
        c.add(new Case("nodes[0].f.e | nodes[1].s", 'u', p -> v(p, "nodes").index(0).member("f.e").or(v(p, "nodes").index(1).member("s"))));
        c.add(new Case("nodes[0].f.b & 0xff", 'd', p -> v(p, "nodes").index(0).member("f.b").and(p.value("int", 0xff))));
        c.add(new Case("opaque + 4", 'x', p -> v(p, "opaque").add(4)));
        c.add(new Case("*indirect", 'x', p -> v(p, "indirect").deref()));
        c.add(new Case("(*indirect)->link.next", 'x', p -> v(p, "indirect").deref().arrow("link").member("next")));
        c.add(new Case("&nodes[0].link", 'x', p -> v(p, "nodes").index(0).member("link").addressOf()));
        c.add(new Case("nodes[0].name", '-', p -> v(p, "nodes").index(0).member("name")));
        c.add(new Case("(struct node *)((char *)nodes[0].link.next - (unsigned long)&((struct node *)0)->link)", 'x',
                p -> v(p, "nodes").index(0).member("link.next").containerOf("struct node", "link")));
        return c;
    }

    @ParameterizedTest
    @ValueSource(strings = {"-gdwarf-5", "-gdwarf-4"})
    void objectsAreWhatGdbSays(String flags) throws Exception {
        Path exe = Tools.gcc(dir, Fixtures.root().resolve("kdive-kernel/src/test/resources/kdive/kernel/objects.c"),
                "objects" + flags.replace('-', '_'), "-g", "-O0", "-no-pie", "-fno-pie", flags);
        List<Case> cases = cases();
        var cmd = new ArrayList<>(List.of("gdb", "-nx", "-batch", "-iex", "set debuginfod enabled off"));
        for (Case k : cases) {
            cmd.addAll(List.of("-ex", "whatis " + k.expr()));
            if (k.format() != '-') {
                cmd.addAll(List.of("-ex", "print/" + k.format() + " " + k.expr()));
            }
        }
        cmd.add(exe.toString());
        List<String> out = Tools.run(cmd).lines().filter(l -> l.startsWith("type = ") || l.matches("\\$\\d+ = .*")).toList();
        try (ElfFile elf = ElfFile.open(exe)) {
            Program prog = Program.ofMemory(new AddressSpace(new ElfImage(elf), PageTable.identity()), elf);
            int at = 0;
            for (Case k : cases) {
                Obj o = k.ours().apply(prog);
                assertThat(o.typeName()).as("whatis " + k.expr()).isEqualTo(out.get(at++).substring("type = ".length()));
                if (k.format() != '-') {
                    String gdb = out.get(at++).replaceFirst("^\\$\\d+ = ", "");
                    assertThat(format(o, k.format())).as("print/%c %s", k.format(), k.expr()).isEqualTo(gdb);
                }
            }
            assertThat(at).isEqualTo(out.size());

            // Beyond what a line of gdb shows: strings, lengths, sizes, compares, the kinds.
            Obj nodes = prog.object("nodes");
            assertThat(nodes.index(1).member("name").asString(16)).isEqualTo("second");
            assertThat(nodes.length()).isEqualTo(3);
            assertThat(prog.ktype("struct node").size()).isEqualTo(Long.parseLong(gdbValue(exe, "sizeof(struct node)")));
            assertThat(prog.ktype("node_t *").name()).isEqualTo("node_t *");
            assertThat(prog.ktype("int [2][3]").name()).isEqualTo("int [2][3]");
            assertThat(nodes.index(0).member("l").compareTo(prog.value("int", 0))).isNegative();
            // -1 < 0u is false in C: the int converts to unsigned
            assertThat(prog.value("int", -1).compareTo(prog.value("unsigned int", 0))).isPositive();
            assertThat(prog.object("head").read().kind()).isEqualTo(Obj.Kind.VALUE);
            assertThat(prog.object("head").deref().address()).isEqualTo(nodes.address());
            assertThat(prog.object("head").equalTo(nodes.index(0).addressOf())).isTrue();
            Obj gone = Obj.absent(prog, prog.ktype("int"));
            assertThat(gone.isAbsent()).isTrue();
            assertThatThrownBy(gone::asLong).isInstanceOf(LookupException.class).hasMessageContaining("optimized out");
            assertThatThrownBy(() -> prog.object("opaque").deref()).isInstanceOf(LookupException.class);
            assertThatThrownBy(() -> prog.object("head").add(prog.object("head"))).isInstanceOf(LookupException.class);
            // Types made on the fly are values: equal when built from the same DIE.
            assertThat(prog.ktype("struct node *")).isEqualTo(new KType.Pointer(prog.ktype("struct node"), 8))
                    .isNotEqualTo(prog.ktype("node_t *"));
        }
    }

    /**
     * Our value as gdb's print/x, /d or /u writes it: gdb reads the bits of the type's width (a
     * bitfield's value extended to its declared type) as hex, signed or unsigned whatever the type
     * says; the type is whatis's to check.
     */
    private static String format(Obj o, char format) {
        long v = o.asLong();
        int width = (int) o.type().size() * 8;
        long masked = width >= 64 ? v : v & ((1L << width) - 1);
        return switch (format) {
            case 'x' -> "0x" + Long.toHexString(masked);
            case 'u' -> Long.toUnsignedString(masked);
            default -> Long.toString(width >= 64 ? v : v << (64 - width) >> (64 - width));
        };
    }

    private static String gdbValue(Path exe, String expr) throws Exception {
        String out = Tools.run(List.of("gdb", "-nx", "-batch", "-iex", "set debuginfod enabled off", "-ex", "print " + expr, exe.toString()));
        return out.strip().replaceFirst("^\\$\\d+ = ", "");
    }
}

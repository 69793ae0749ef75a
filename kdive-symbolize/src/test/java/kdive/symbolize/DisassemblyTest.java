package kdive.symbolize;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import kdive.disasm.Disassemblers;
import kdive.disasm.Syntax;
import kdive.testkit.Tools;
import org.junit.jupiter.api.Test;

/** `kdive dis --source` on a gcc-built program: objdump's instruction addresses, addr2line's chains. */
class DisassemblyTest {

    @Test
    void skbEntailWithInlineChainMatchesObjdumpAndAddr2line() throws Exception {
        Path dir = Files.createTempDirectory("kdive-dis");
        Path exe = Tools.gcc(dir, Tools.source("prog.c"), "prog", "-g", "-O2", "-I" + Tools.source("list.h").getParent());
        var expectedAddrs = new ArrayList<Long>();
        String objdump = Tools.run(List.of("objdump", "-d", "--no-show-raw-insn", "--disassemble=skb_entail", exe.toString()));
        var m = Pattern.compile("(?m)^\\s+([0-9a-f]+):\\s").matcher(objdump);
        while (m.find()) {
            expectedAddrs.add(Long.parseLong(m.group(1), 16));
        }
        try (var sym = Symbolizer.open(exe); var dis = Disassemblers.best()) {
            long start = sym.resolve("skb_entail");
            var lines = Disassembly.function(sym, dis, start, Syntax.ATT, true);
            assertThat(lines).extracting(l -> l.instruction().address()).containsExactlyElementsOf(expectedAddrs);
            String text = Disassembly.format(lines, start);
            // The store into the queue happens in __skb_insert, inlined three levels deep into skb_entail.
            assertThat(text).contains("__skb_insert").contains("inlined into __skb_queue_before")
                    .contains("inlined into __skb_queue_tail").contains("inlined into skb_entail");
            long[] addrs = lines.stream().mapToLong(l -> l.instruction().address()).toArray();
            var expected = Agreement.addr2line(exe, addrs);
            for (var l : lines) {
                String first = expected.get(l.instruction().address()).split("\n")[0];
                assertThat(l.location().frames().get(0).function()).isEqualTo(first);
            }
        }
    }

    /**
     * In a relocatable object (how a .ko is) every section starts at 0: the function is decoded
     * from its own section and each line's chain equals {@code addr2line -j SECTION}.
     */
    @Test
    void functionOfARelocatableObjectComesFromItsOwnSection() throws Exception {
        Path dir = Files.createTempDirectory("kdive-dis-o");
        Path obj = Tools.gcc(dir, Tools.source("prog.c"), "prog.o", "-g", "-O2", "-c", "-ffunction-sections",
                "-I" + Tools.source("list.h").getParent());
        String objdump = Tools.run(List.of("objdump", "-d", "--no-show-raw-insn", "-j", ".text.skb_entail", obj.toString()));
        var expected = new ArrayList<String>();
        var m = Pattern.compile("(?m)^\\s+([0-9a-f]+):\\s+(\\S.*)$").matcher(objdump);
        while (m.find()) {
            expected.add(Long.parseLong(m.group(1), 16) + " " + m.group(2).replaceAll("\\s+", " ").replaceAll(" <.*>$", ""));
        }
        try (var sym = Symbolizer.open(obj); var dis = Disassemblers.best()) {
            var lines = Disassembly.function(sym, dis, "skb_entail", Syntax.ATT, true);
            assertThat(lines).extracting(l -> l.offset() + " " + l.instruction().text().replaceAll("\\s+", " ").replaceAll(" <.*>$", ""))
                    .containsExactlyElementsOf(expected);
            var cmd = new ArrayList<>(List.of("addr2line", "-f", "-i", "-j", ".text.skb_entail", "-e", obj.toString()));
            lines.forEach(l -> cmd.add(Long.toHexString(l.offset())));
            var ours = new StringBuilder();
            lines.forEach(l -> ours.append(Addr2line.format(l.location())));
            assertThat(ours.toString()).isEqualTo(Tools.run(cmd));
        }
    }
}

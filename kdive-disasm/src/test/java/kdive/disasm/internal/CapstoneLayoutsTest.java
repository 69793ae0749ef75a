package kdive.disasm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FFM layouts against capstone 4.0.2's headers: every offset the decoder reads. The table was
 * produced with offsetof() from {@code /usr/include/capstone}; when the headers are installed
 * (libcapstone-dev, scripts/ci/20-disasm.sh) the test also compiles that program and compares.
 */
class CapstoneLayoutsTest {

    /** offsetof()/sizeof() on x86-64 with capstone 4.0.2-5 (Debian bookworm). */
    static final Map<String, Long> HEADERS = Map.ofEntries(
            Map.entry("sizeof cs_insn", 240L), Map.entry("sizeof cs_detail", 1848L),
            Map.entry("sizeof cs_x86", 464L), Map.entry("sizeof cs_x86_op", 48L),
            Map.entry("sizeof x86_op_mem", 24L),
            Map.entry("cs_insn.id", 0L), Map.entry("cs_insn.address", 8L), Map.entry("cs_insn.size", 16L),
            Map.entry("cs_insn.bytes", 18L), Map.entry("cs_insn.mnemonic", 34L), Map.entry("cs_insn.op_str", 66L),
            Map.entry("cs_insn.detail", 232L),
            Map.entry("cs_detail.regs_read_count", 24L), Map.entry("cs_detail.regs_write", 26L),
            Map.entry("cs_detail.groups", 67L), Map.entry("cs_detail.groups_count", 75L),
            Map.entry("cs_detail.x86", 80L),
            Map.entry("cs_x86.prefix", 0L), Map.entry("cs_x86.opcode", 4L), Map.entry("cs_x86.rex", 8L),
            Map.entry("cs_x86.disp", 16L), Map.entry("cs_x86.sib_index", 24L), Map.entry("cs_x86.sib_base", 32L),
            Map.entry("cs_x86.avx_rm", 52L), Map.entry("cs_x86.eflags", 56L), Map.entry("cs_x86.op_count", 64L),
            Map.entry("cs_x86.operands", 72L), Map.entry("cs_x86.encoding", 456L),
            Map.entry("cs_x86_op.type", 0L), Map.entry("cs_x86_op.reg", 8L), Map.entry("cs_x86_op.mem", 8L),
            Map.entry("cs_x86_op.size", 32L), Map.entry("cs_x86_op.access", 33L),
            Map.entry("cs_x86_op.avx_bcast", 36L), Map.entry("cs_x86_op.avx_zero_opmask", 40L),
            Map.entry("x86_op_mem.segment", 0L), Map.entry("x86_op_mem.base", 4L), Map.entry("x86_op_mem.index", 8L),
            Map.entry("x86_op_mem.scale", 12L), Map.entry("x86_op_mem.disp", 16L),
            Map.entry("cs_x86_encoding.disp_size", 2L), Map.entry("cs_x86_encoding.imm_size", 4L));

    static Map<String, Long> java() {
        Map<String, Long> m = new HashMap<>();
        m.put("sizeof cs_insn", CapstoneLayouts.CS_INSN.byteSize());
        m.put("sizeof cs_detail", CapstoneLayouts.CS_DETAIL.byteSize());
        m.put("sizeof cs_x86", CapstoneLayouts.CS_X86.byteSize());
        m.put("sizeof cs_x86_op", CapstoneLayouts.CS_X86_OP.byteSize());
        m.put("sizeof x86_op_mem", CapstoneLayouts.X86_OP_MEM.byteSize());
        for (String f : List.of("id", "address", "size", "bytes", "mnemonic", "op_str", "detail")) {
            m.put("cs_insn." + f, CapstoneLayouts.offset(CapstoneLayouts.CS_INSN, f));
        }
        for (String f : List.of("regs_read_count", "regs_write", "groups", "groups_count", "x86")) {
            m.put("cs_detail." + f, CapstoneLayouts.offset(CapstoneLayouts.CS_DETAIL, f));
        }
        for (String f : List.of("prefix", "opcode", "rex", "disp", "sib_index", "sib_base", "avx_rm", "eflags",
                "op_count", "operands", "encoding")) {
            m.put("cs_x86." + f, CapstoneLayouts.offset(CapstoneLayouts.CS_X86, f));
        }
        for (String f : List.of("type", "size", "access", "avx_bcast", "avx_zero_opmask")) {
            m.put("cs_x86_op." + f, CapstoneLayouts.offset(CapstoneLayouts.CS_X86_OP, f));
        }
        m.put("cs_x86_op.reg", CapstoneLayouts.OP_UNION);
        m.put("cs_x86_op.mem", CapstoneLayouts.OP_UNION);
        for (String f : List.of("segment", "base", "index", "scale", "disp")) {
            m.put("x86_op_mem." + f, CapstoneLayouts.offset(CapstoneLayouts.X86_OP_MEM, f));
        }
        m.put("cs_x86_encoding.disp_size", CapstoneLayouts.offset(CapstoneLayouts.CS_X86_ENCODING, "disp_size"));
        m.put("cs_x86_encoding.imm_size", CapstoneLayouts.offset(CapstoneLayouts.CS_X86_ENCODING, "imm_size"));
        return m;
    }

    @Test
    void layoutsMatchTheHeaderTable() {
        assertThat(java()).containsExactlyInAnyOrderEntriesOf(HEADERS);
    }

    @Test
    void headerTableMatchesOffsetofWhenHeadersAreInstalled(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isRegularFile(Path.of("/usr/include/capstone/capstone.h")),
                "libcapstone-dev not installed");
        StringBuilder c = new StringBuilder("#include <stdio.h>\n#include <stddef.h>\n#include <capstone/capstone.h>\n"
                + "int main(void) {\n");
        for (String key : HEADERS.keySet()) {
            String expr = key.startsWith("sizeof ") ? "sizeof(" + key.substring(7) + ")"
                    : "offsetof(" + key.replace('.', ',') + ")";
            c.append("  printf(\"%s=%zu\\n\", \"").append(key).append("\", (size_t)").append(expr).append(");\n");
        }
        c.append("  int ma, mi; cs_version(&ma, &mi); printf(\"version=%d.%d\\n\", ma, mi); return 0;\n}\n");
        Path src = Files.writeString(dir.resolve("off.c"), c);
        Path exe = dir.resolve("off");
        run(List.of("gcc", "-o", exe.toString(), src.toString(), "-lcapstone"), dir.resolve("gcc.txt"));
        Path out = dir.resolve("out.txt");
        run(List.of(exe.toString()), out);
        Map<String, Long> measured = new HashMap<>();
        for (String line : Files.readAllLines(out)) {
            String[] kv = line.split("=");
            if (!kv[0].equals("version")) {
                measured.put(kv[0], Long.parseLong(kv[1]));
            } else {
                assertThat(kv[1]).startsWith("4.");
            }
        }
        assertThat(measured).containsExactlyInAnyOrderEntriesOf(HEADERS);
    }

    static void run(List<String> cmd, Path out) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(out)).isZero();
    }
}

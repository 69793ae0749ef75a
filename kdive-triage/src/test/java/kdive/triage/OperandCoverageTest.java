package kdive.triage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import kdive.disasm.Access;
import kdive.disasm.Disassembler;
import kdive.disasm.Disassemblers;
import kdive.disasm.Instruction;
import kdive.disasm.Operand;
import kdive.disasm.Syntax;
import kdive.elf.Symbol;
import kdive.symbolize.Symbolizer;
import kdive.testkit.Fixtures;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How often a memory access in real kernel code gets a source name: every instruction with a
 * register-based memory operand in 150 random functions of the Debian vmlinux (fixed seed). The
 * counts are printed; the test fails if naming falls below what it achieved when written.
 */
@Tag("vmcore")
@Tag("every-kernel")
class OperandCoverageTest {

    @Test
    void mostMemoryOperandsOfRealKernelCodeAreNamed() throws Exception {
        Path vmlinux = Fixtures.kernel().resolve("vmlinux");
        int accesses = 0;
        int fromDwarf = 0;
        int inferred = 0;
        int withType = 0;
        try (var sym = Symbolizer.open(vmlinux); Disassembler dis = Disassemblers.best()) {
            List<Symbol> functions = sym.elf().symbols().all().stream()
                    .filter(s -> s.type() == Symbol.STT_FUNC && s.size() > 16 && s.size() < 4096)
                    .toList();
            var random = new Random(7);
            for (int n = 0; n < 150; n++) {
                Symbol f = functions.get(random.nextInt(functions.size()));
                var code = sym.functionCode(f);
                if (code.isEmpty()) {
                    continue;
                }
                List<Instruction> insns = dis.decode(code.get().bytes(), code.get().start(), Syntax.ATT);
                var namer = new OperandNamer(sym, f, insns);
                for (Instruction in : insns) {
                    boolean memory = in.operands().stream().anyMatch(o -> o instanceof Operand.Mem m
                            && !m.base().isEmpty() && !m.base().equals("rip") && !m.base().equals("rsp")
                            && m.access() != Access.NONE);
                    if (!memory) {
                        continue;
                    }
                    accesses++;
                    var named = namer.name(in.address() - code.get().start()).stream()
                            .filter(o -> o.operand().contains("(")).findFirst();
                    if (named.isPresent()) {
                        if (named.get().inferred()) {
                            inferred++;
                        } else {
                            fromDwarf++;
                        }
                        if (!named.get().type().isEmpty()) {
                            withType++;
                        }
                    }
                }
            }
        }
        System.out.printf("memory operands in 150 kernel functions: %d; named from DWARF locations %d (%.1f%%),"
                + " inferred through loads %d (%.1f%%), with a C type %d%n", accesses, fromDwarf,
                100.0 * fromDwarf / accesses, inferred, 100.0 * inferred / accesses, withType);
        assertThat(accesses).isGreaterThan(500);
        assertThat(fromDwarf + inferred).isGreaterThan(accesses * 4 / 5); // 86% when written
    }
}

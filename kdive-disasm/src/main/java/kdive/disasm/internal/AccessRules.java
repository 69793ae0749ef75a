package kdive.disasm.internal;

import java.util.ArrayList;
import java.util.List;

import kdive.disasm.Access;
import kdive.disasm.Operand;

/** Access corrections applied to every backend's operands. */
final class AccessRules {
    private AccessRules() {}

    private static final java.util.Set<String> STRING_OPS = java.util.Set.of("movs", "stos", "lods", "scas", "cmps",
            "ins", "outs", "movsb", "movsw", "movsl", "movsq", "stosb", "stosw", "stosl", "stosq", "lodsb", "lodsw",
            "lodsl", "lodsq", "scasb", "scasw", "scasl", "scasq", "cmpsb", "cmpsw", "cmpsl", "cmpsq");

    /**
     * Post-processing shared by both backends. Immediates are read; {@code lea} and {@code nop}
     * compute an address without touching memory, so their memory operand is {@link Access#NONE}.
     * The cs/ds/es/ss segment bases are 0 in 64-bit mode (SDM vol. 1, 3.4.2.1), so a memory operand
     * keeps only an fs/gs segment. String instructions keep only their memory operands (Capstone 4
     * omits the accumulator of {@code stos}; objdump prints it), which also means that, as for
     * push/pop/call, their implicit register uses are not listed.
     */
    static List<Operand> fix(String mnemonic, List<Operand> ops) {
        String base = Mnemonics.base(mnemonic);
        boolean stringOp = STRING_OPS.contains(base);
        boolean noMemoryAccess = base.equals("lea") || base.equals("nop") || base.startsWith("prefetch")
                || base.equals("clflush") || base.equals("clflushopt") || base.equals("clwb");
        List<Operand> out = new ArrayList<>(ops.size());
        for (Operand op : ops) {
            out.add(switch (op) {
                case Operand.Imm imm -> new Operand.Imm(imm.value(), Access.READ);
                case Operand.Mem m when noMemoryAccess -> new Operand.Mem(flatSegment(m.segment()), m.base(), m.index(),
                        m.scale(), m.displacement(), base.equals("lea") ? 0 : m.size(), Access.NONE);
                case Operand.Mem m -> new Operand.Mem(flatSegment(m.segment()), m.base(), m.index(), m.scale(),
                        m.displacement(), m.size(), m.access());
                case Operand.Reg r -> r;
            });
        }
        if (stringOp) {
            out.removeIf(op -> !(op instanceof Operand.Mem));
        }
        return out;
    }

    private static String flatSegment(String segment) {
        return segment.equals("fs") || segment.equals("gs") ? segment : "";
    }
}

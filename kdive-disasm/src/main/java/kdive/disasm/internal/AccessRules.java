package kdive.disasm.internal;

import java.util.ArrayList;
import java.util.List;

import kdive.disasm.Access;
import kdive.disasm.Operand;

/** Access corrections applied to every backend's operands. */
final class AccessRules {
    private AccessRules() {}

    /**
     * Immediates are read; {@code lea} and {@code nop} compute an address without touching memory,
     * so their memory operand is {@link Access#NONE}.
     */
    static List<Operand> fix(String mnemonic, List<Operand> ops) {
        String base = Mnemonics.base(mnemonic);
        boolean noMemoryAccess = base.equals("lea") || base.equals("nop") || base.startsWith("prefetch")
                || base.equals("clflush") || base.equals("clflushopt") || base.equals("clwb");
        List<Operand> out = new ArrayList<>(ops.size());
        for (Operand op : ops) {
            out.add(switch (op) {
                case Operand.Imm imm -> new Operand.Imm(imm.value(), Access.READ);
                case Operand.Mem m when noMemoryAccess -> new Operand.Mem(m.segment(), m.base(), m.index(),
                        m.scale(), m.displacement(), base.equals("lea") ? 0 : m.size(), Access.NONE);
                case Operand.Mem m -> m;
                case Operand.Reg r -> r;
            });
        }
        return out;
    }
}

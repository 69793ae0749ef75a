package kdive.elf.orc;

import java.util.Optional;

/**
 * One ORC entry, normalized to the V3 layout: it covers the code from {@code ip} to the next
 * entry's ip.
 *
 * @param spReg the CFA's base register; empty for an unassigned code (10-15)
 * @param bpReg the caller BP's base; empty for an unassigned code
 * @param signal the frame's PC is exact (V2+ bit; V1 implies it for REGS and REGS_PARTIAL)
 */
public record OrcEntry(long ip, int spOffset, int bpOffset, Optional<OrcReg> spReg, Optional<OrcReg> bpReg,
                       OrcType type, boolean signal) {

    /** The entry as a rule of the kernel's unwind_next_frame(); an unassigned register makes it {@link OrcRule.Undefined}. */
    public OrcRule rule() {
        switch (type) {
            case UNDEFINED -> {
                return new OrcRule.Undefined();
            }
            case END_OF_STACK -> {
                return new OrcRule.EndOfStack();
            }
            default -> { }
        }
        Optional<OrcRule.Cfa> cfa = spReg.flatMap(this::cfa);
        Optional<OrcRule.Bp> bp = bpReg.flatMap(this::bp);
        if (cfa.isEmpty() || bp.isEmpty()) {
            return new OrcRule.Undefined();
        }
        return switch (type) {
            case CALL -> new OrcRule.Call(cfa.get(), bp.get(), signal);
            case REGS -> new OrcRule.Regs(cfa.get(), bp.get());
            case REGS_PARTIAL -> new OrcRule.RegsPartial(cfa.get(), bp.get());
            case UNDEFINED, END_OF_STACK -> throw new AssertionError(type);
        };
    }

    private Optional<OrcRule.Cfa> cfa(OrcReg r) {
        return switch (r) {
            case SP, BP, DX, DI, R10, R13 -> Optional.of(new OrcRule.Cfa.RegisterOffset(r, spOffset));
            case SP_INDIRECT -> Optional.of(new OrcRule.Cfa.SpIndirect(spOffset));
            case BP_INDIRECT -> Optional.of(new OrcRule.Cfa.BpIndirect(spOffset));
            case UNDEFINED, PREV_SP -> Optional.empty();
        };
    }

    private Optional<OrcRule.Bp> bp(OrcReg r) {
        return switch (r) {
            case UNDEFINED -> Optional.of(new OrcRule.Bp.Unchanged());
            case PREV_SP -> Optional.of(new OrcRule.Bp.AtCfa(bpOffset));
            case BP -> Optional.of(new OrcRule.Bp.AtBp(bpOffset));
            case DX, DI, SP, R10, R13, SP_INDIRECT, BP_INDIRECT -> Optional.empty();
        };
    }
}

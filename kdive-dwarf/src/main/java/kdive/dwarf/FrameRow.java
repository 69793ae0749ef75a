package kdive.dwarf;

import java.util.Map;
import java.util.Optional;

/**
 * One row of a call frame table (DWARF 5 §6.4.1): for code in {@code [start, end)}, how to find
 * the CFA and the caller's registers. Registers without a rule are absent from {@code registers}
 * (unspecified: the ABI's default applies).
 *
 * @param returnAddressRegister the column of the return address (the CIE's)
 * @param signalFrame the CIE has the 'S' augmentation (the PC is exact, not a return address)
 */
public record FrameRow(
        long start,
        long end,
        CfaRule cfa,
        Map<Integer, RegisterRule> registers,
        int returnAddressRegister,
        boolean signalFrame) {

    public FrameRow {
        registers = Map.copyOf(registers);
    }

    /** The rule for DWARF register {@code register}, if the CFI gives one. */
    public Optional<RegisterRule> rule(int register) {
        return Optional.ofNullable(registers.get(register));
    }

    public boolean contains(long pc) {
        return Long.compareUnsigned(pc, start) >= 0 && Long.compareUnsigned(pc, end) < 0;
    }
}

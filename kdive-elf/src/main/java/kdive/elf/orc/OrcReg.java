package kdive.elf.orc;

import java.util.Optional;

/** The ORC_REG_* codes of orc_types.h (unchanged from 4.14 to 6.12): where a frame's CFA or BP comes from. */
public enum OrcReg {
    UNDEFINED(0), PREV_SP(1), DX(2), DI(3), BP(4), SP(5), R10(6), R13(7), BP_INDIRECT(8), SP_INDIRECT(9);

    private final int code;

    OrcReg(int code) {
        this.code = code;
    }

    public int code() { return code; }

    /** The register of a 4-bit code; 10 to 15 are unassigned (ORC_REG_MAX is 15). */
    public static Optional<OrcReg> of(int code) {
        for (OrcReg r : values()) {
            if (r.code == code) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}

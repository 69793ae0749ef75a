package kdive.oops;

import java.util.OptionalLong;

/**
 * What the CPU reported about a bad memory access.
 *
 * @param address the faulting address (from the header, {@code #PF}, or CR2), empty when unknown
 * @param access read, write, exec (instruction fetch) or unknown
 * @param mode whether the access came from kernel or user mode, or unknown
 * @param cause e.g. {@code "not-present page"}, {@code "protection violation"}, {@code "reserved bit violation"},
 *        {@code "non-canonical address"}; empty when unknown
 * @param errorCode the x86 page-fault error code when printed, else -1
 * @param evidence which lines the facts came from, e.g. {@code "#PF lines"} or {@code "Oops: 0002 error code"}
 */
public record FaultInfo(OptionalLong address, Access access, Mode mode, String cause, int errorCode, String evidence) {

    public enum Access {
        READ, WRITE, EXEC, UNKNOWN;

        public String json() { return this == UNKNOWN ? null : name().toLowerCase(java.util.Locale.ROOT); }
    }

    public enum Mode {
        KERNEL, USER, UNKNOWN;

        public String json() { return this == UNKNOWN ? null : name().toLowerCase(java.util.Locale.ROOT); }
    }

    /**
     * Decodes an x86 page-fault error code (arch/x86/include/asm/trap_pf.h): bit 0 protection violation
     * (else not-present), bit 1 write, bit 2 user mode, bit 3 reserved bit set, bit 4 instruction fetch,
     * bit 5 protection key, bit 15 SGX.
     */
    public static FaultInfo fromPageFaultErrorCode(int code, OptionalLong address, String evidence) {
        Access access = (code & 0x10) != 0 ? Access.EXEC : (code & 0x2) != 0 ? Access.WRITE : Access.READ;
        Mode mode = (code & 0x4) != 0 ? Mode.USER : Mode.KERNEL;
        String cause;
        if ((code & 0x8) != 0) {
            cause = "reserved bit violation";
        } else if ((code & 0x20) != 0) {
            cause = "protection keys violation";
        } else if ((code & 0x1) != 0) {
            cause = "protection violation";
        } else {
            cause = "not-present page";
        }
        return new FaultInfo(address, access, mode, cause, code, evidence);
    }
}

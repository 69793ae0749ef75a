package kdive.oops;

/**
 * The access an arm or arm64 data abort made, from the register {@code die()} prints in
 * {@code Internal error: Oops: CODE [#1]}: arm64's ESR_ELx (arch/arm64/include/asm/esr.h: exception class
 * in bits 31:26, 0x24/0x25 data abort, 0x20/0x21 instruction abort; WnR is bit 6 of a data abort's ISS) or
 * arm's fault status register (arch/arm/mm/fault.h: {@code FSR_WRITE} is bit 11).
 */
final class ArmFault {

    private static final int EC_SHIFT = 26;
    private static final long EC_MASK = 0x3f;
    private static final long EC_IABT_LOW = 0x20;
    private static final long EC_IABT_CUR = 0x21;
    private static final long EC_DABT_LOW = 0x24;
    private static final long EC_DABT_CUR = 0x25;
    private static final long ESR_WNR = 1L << 6;
    private static final long FSR_WRITE = 1L << 11;
    /** arm's FSR fits in 13 bits; an ESR of an abort has its exception class in the top bits. */
    private static final long FSR_LIMIT = 1L << 13;

    private ArmFault() {}

    /**
     * The access {@code code} describes; {@code dataAbort} says the header was a data abort's
     * ({@code Unable to handle kernel ... at virtual address}), which an arm FSR does not tell by itself.
     */
    static FaultInfo.Access access(long code, boolean dataAbort) {
        if (code >= FSR_LIMIT) {
            long ec = (code >>> EC_SHIFT) & EC_MASK;
            if (ec == EC_DABT_LOW || ec == EC_DABT_CUR) {
                return (code & ESR_WNR) != 0 ? FaultInfo.Access.WRITE : FaultInfo.Access.READ;
            }
            if (ec == EC_IABT_LOW || ec == EC_IABT_CUR) {
                return FaultInfo.Access.EXEC;
            }
            return FaultInfo.Access.UNKNOWN;
        }
        if (!dataAbort) {
            return FaultInfo.Access.UNKNOWN;
        }
        return (code & FSR_WRITE) != 0 ? FaultInfo.Access.WRITE : FaultInfo.Access.READ;
    }
}

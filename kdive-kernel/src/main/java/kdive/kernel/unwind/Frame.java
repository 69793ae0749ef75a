package kdive.kernel.unwind;

import java.util.Optional;
import kdive.kernel.SymbolHit;

/**
 * One frame of a stack trace, innermost first.
 *
 * @param pc the frame's PC: exact for the first frame and a frame interrupted by an exception or
 *           interrupt ({@code exact}), otherwise a return address (its call is at {@code pc - 1})
 * @param registers what is known of the frame's registers ({@code rsp} is the frame's SP)
 * @param returnSlot where the return address that led here was read from the stack (crash's
 *                   bracketed address); empty for exact frames
 * @param rule what unwound this frame to its caller ({@link Rule#NONE} for the last)
 * @param exception the {@code pt_regs} this frame saved (entry code, exception and interrupt
 *                  stubs): the registers of the code it interrupted, shown as crash shows an
 *                  exception frame; {@code partial} when only the iret frame was saved
 * @param symbol the symbol at or below pc (vmlinux or a module's), if any
 */
public record Frame(int index, long pc, boolean exact, RegisterState registers, Optional<Long> returnSlot, Rule rule,
                    Optional<Exception> exception, Optional<SymbolHit> symbol) {

    /** The pt_regs a frame saved, at {@code address}. */
    public record Exception(long address, RegisterState registers, boolean partial) {}

    /** The rule source that gave this frame's caller, as drgn's stack_trace.c tries them. */
    public enum Rule { ORC, DWARF_CFI, FRAME_POINTER, NONE }

    public long sp() {
        return registers.sp();
    }

    /** The address to look up debug information at: the call instruction for a return address. */
    public long lookupPc() {
        return exact ? pc : pc - 1;
    }

    public Frame withRule(Rule r, Optional<Exception> e) {
        return new Frame(index, pc, exact, registers, returnSlot, r, e, symbol);
    }
}

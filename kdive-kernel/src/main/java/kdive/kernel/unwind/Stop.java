package kdive.kernel.unwind;

/** Why a stack trace ended: each says it in one line ({@link #reason()}). */
public sealed interface Stop {

    String reason();

    /** The unwind rules say this is the bottom of the stack (ORC END_OF_STACK: ret_from_fork, entry code). */
    record EndOfStack() implements Stop {
        public String reason() { return "end of stack"; }
    }

    /** The last frame saved the user-mode registers of a system call or an exception from user space. */
    record UserMode(long userPc) implements Stop {
        public String reason() { return "user mode (pt_regs ip 0x%016x)".formatted(userPc); }
    }

    /** No ORC entry, no CFI and no frame pointer describe this PC. */
    record NoRule(long pc) implements Stop {
        public String reason() { return "no unwind rule for pc 0x%016x".formatted(pc); }
    }

    /** A stack or pt_regs word could not be read: unmapped, or left out of the dump (makedumpfile). */
    record Fault(long address, String message) implements Stop {
        public String reason() { return "cannot read the stack at 0x%016x: %s".formatted(address, message); }
    }

    /** The caller's SP is not above the callee's on the same stack, or a frame repeats. */
    record Loop(long sp) implements Stop {
        public String reason() { return "stack pointer 0x%016x does not move up the stack: stopped".formatted(sp); }
    }

    /** The caller's PC is not kernel text (0, a user address, garbage). */
    record BadPc(long pc) implements Stop {
        public String reason() { return "pc 0x%016x is not kernel text".formatted(pc); }
    }

    /** The frame bound ({@link Unwinder#MAX_FRAMES}) was reached. */
    record TooDeep(int frames) implements Stop {
        public String reason() { return "stopped after %d frames".formatted(frames); }
    }
}

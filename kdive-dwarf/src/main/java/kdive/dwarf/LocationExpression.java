package kdive.dwarf;

import java.util.List;

/**
 * Where a variable's value is at one PC, decoded from a DWARF location expression (DWARF 5 §2.5,
 * §2.6) into the shapes compilers actually emit for kernel code. Register numbers are DWARF's
 * (x86-64 psABI §3.6.2: 0 rax, 1 rdx, 2 rcx, 3 rbx, 4 rsi, 5 rdi, 6 rbp, 7 rsp, 8-15 r8-r15).
 * Expressions that compute something else are kept as {@link Other} with their operators named,
 * so a caller can still say why a variable cannot be placed.
 */
public sealed interface LocationExpression {

    /** DW_OP_regN / regx: the value is in a register. */
    record InRegister(int register) implements LocationExpression {}

    /** DW_OP_bregN k; DW_OP_stack_value: the value is register + k (a pointer into an object, usually). */
    record RegisterPlus(int register, long addend) implements LocationExpression {}

    /** DW_OP_bregN k: the variable lives in memory at register + k (a stack slot). */
    record InMemory(int register, long offset) implements LocationExpression {}

    /** DW_OP_fbreg k: in memory at the frame base + k. */
    record FrameBase(long offset) implements LocationExpression {}

    /** DW_OP_addr / addrx: a static address. */
    record Static(long address) implements LocationExpression {}

    /** A known constant value (DW_OP_lit/const + stack_value, implicit_value). */
    record Constant(long value) implements LocationExpression {}

    /** DW_OP_entry_value(DW_OP_regN) [+ stack_value]: the register's value at function entry, not now. */
    record EntryValue(int register) implements LocationExpression {}

    /** DW_OP_implicit_pointer: a pointer to another variable (a DIE) that has no address. */
    record ImplicitPointer(long die, long offset) implements LocationExpression {}

    /** A composite (DW_OP_piece): each part and its size in bytes. */
    record Pieces(List<Piece> pieces) implements LocationExpression {
        public Pieces {
            pieces = List.copyOf(pieces);
        }
    }

    record Piece(LocationExpression location, long size) {}

    /** No location at this PC (the variable is optimized out here). */
    record OptimizedOut() implements LocationExpression {}

    /** Anything else; {@code text} names the operators. */
    record Other(String text) implements LocationExpression {}
}

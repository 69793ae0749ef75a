package kdive.disasm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Decodes x86-64 machine code. Implementations: Capstone through FFM (structured operands),
 * binutils objdump (text, operands parsed from it); {@link Disassemblers#best()} picks one.
 *
 * <p>Both backends follow the same operand conventions, so callers need not care which one runs:
 * <ul>
 *   <li>text is objdump's ({@code mov %rsi,(%rax)}, {@code movl $0x10001,0x24(%rdx,%rax,1)},
 *       {@code cs nopw 0x0(%rax,%rax,1)}, {@code repz ret}); objdump's {@code # 0x...} comment after a
 *       rip-relative operand is not part of {@link Instruction#operandText()};
 *   <li>operands are explicit operands only, in Intel order (destination first). Implicit ones are
 *       left out: the stack of push/pop/call/ret, rsi/rdi/rax of string instructions (these keep only
 *       their memory operands), the rdx:rax of mul/div, and the count of a shift by one (objdump shows
 *       none in AT&T);
 *   <li>access comes from one mnemonic table for both backends (Capstone 4's own bits are wrong for
 *       {@code test}, {@code lock cmpxchg} and SSE stores): the destination is written (mov-like) or
 *       read and written (arithmetic, cmov, xchg/xadd both operands), sources are read, {@code cmp},
 *       {@code test}, {@code bt}, push, branches read everything, {@code lea}/{@code nop}/prefetch
 *       memory is {@link Access#NONE};
 *   <li>a memory operand's segment is {@code fs}, {@code gs} or empty (cs/ds/es/ss have base 0 in
 *       64-bit mode); its size is 0 where the text does not tell it (objdump, vector registers).
 * </ul>
 */
public interface Disassembler extends AutoCloseable {

    /** Short name for reports, e.g. {@code "capstone 4.0"} or {@code "objdump 2.40"}. */
    String name();

    /**
     * Decodes {@code code} as if loaded at {@code address}, front to back. Stops at the first
     * byte sequence that is not a valid instruction or is cut off by the end of {@code code};
     * the returned list then covers only the bytes before it.
     */
    List<Instruction> decode(byte[] code, long address, Syntax syntax);

    /**
     * The single instruction starting at {@code code[offset]}, reading no byte at or after
     * {@code end}; empty when those bytes are not a valid instruction or it is cut off by {@code end}.
     *
     * @param address address of {@code code[offset]}
     */
    default Optional<Instruction> decodeOne(byte[] code, int offset, int end, long address, Syntax syntax) {
        if (offset < 0 || end > code.length || offset >= end) {
            return Optional.empty();
        }
        // x86-64 instructions are at most 15 bytes (Intel SDM vol. 2, 2.3.11).
        byte[] slice = Arrays.copyOfRange(code, offset, Math.min(end, offset + 15));
        List<Instruction> one = decode(slice, address, syntax);
        return one.isEmpty() ? Optional.empty() : Optional.of(one.getFirst());
    }

    /**
     * {@link #decodeOne} at every offset {@code i} in {@code [0, end)}, with {@code code[i]} at
     * {@code address + i}. Backends with a high per-call cost (objdump) override this with one batch.
     */
    default List<Optional<Instruction>> decodeEveryOffset(byte[] code, int end, long address, Syntax syntax) {
        int limit = Math.min(end, code.length);
        List<Optional<Instruction>> out = new ArrayList<>(Math.max(0, limit));
        for (int i = 0; i < limit; i++) {
            out.add(decodeOne(code, i, limit, address + i, syntax));
        }
        return out;
    }

    @Override
    void close();
}

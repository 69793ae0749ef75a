package kdive.disasm;

import java.util.List;

/**
 * Decodes x86-64 machine code. Implementations: Capstone through FFM (structured operands),
 * binutils objdump (text, operands parsed from it).
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

    @Override
    void close();
}

package kdive.disasm.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.StructLayout;

/**
 * Struct layouts of Capstone 4.0.2 ({@code capstone.h}, {@code x86.h}) on x86-64 System V. Every
 * padding is explicit so the offsets can be compared one by one with {@code offsetof} from the
 * headers (see {@code CapstoneLayoutsTest}); the numbers in the comments are those offsets.
 */
final class CapstoneLayouts {
    private CapstoneLayouts() {}

    /** {@code x86_op_mem}: 24 bytes. */
    static final StructLayout X86_OP_MEM = MemoryLayout.structLayout(
            JAVA_INT.withName("segment"),      // 0
            JAVA_INT.withName("base"),         // 4
            JAVA_INT.withName("index"),        // 8
            JAVA_INT.withName("scale"),        // 12
            JAVA_LONG.withName("disp"))        // 16
            .withName("x86_op_mem");

    /** {@code cs_x86_op}: 48 bytes; the anonymous union is named {@code u}. */
    static final StructLayout CS_X86_OP = MemoryLayout.structLayout(
            JAVA_INT.withName("type"),         // 0: x86_op_type
            MemoryLayout.paddingLayout(4),
            MemoryLayout.unionLayout(          // 8
                    JAVA_INT.withName("reg"),
                    JAVA_LONG.withName("imm"),
                    X86_OP_MEM.withName("mem")).withName("u"),
            JAVA_BYTE.withName("size"),        // 32
            JAVA_BYTE.withName("access"),      // 33
            MemoryLayout.paddingLayout(2),
            JAVA_INT.withName("avx_bcast"),    // 36
            JAVA_BYTE.withName("avx_zero_opmask"), // 40: bool
            MemoryLayout.paddingLayout(7))
            .withName("cs_x86_op");

    /** {@code cs_x86_encoding}: 5 bytes. */
    static final StructLayout CS_X86_ENCODING = MemoryLayout.structLayout(
            JAVA_BYTE.withName("modrm_offset"),
            JAVA_BYTE.withName("disp_offset"),
            JAVA_BYTE.withName("disp_size"),
            JAVA_BYTE.withName("imm_offset"),
            JAVA_BYTE.withName("imm_size"))
            .withName("cs_x86_encoding");

    /** {@code cs_x86}: 464 bytes. */
    static final StructLayout CS_X86 = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(4, JAVA_BYTE).withName("prefix"),  // 0
            MemoryLayout.sequenceLayout(4, JAVA_BYTE).withName("opcode"),  // 4
            JAVA_BYTE.withName("rex"),         // 8
            JAVA_BYTE.withName("addr_size"),   // 9
            JAVA_BYTE.withName("modrm"),       // 10
            JAVA_BYTE.withName("sib"),         // 11
            MemoryLayout.paddingLayout(4),
            JAVA_LONG.withName("disp"),        // 16
            JAVA_INT.withName("sib_index"),    // 24
            JAVA_BYTE.withName("sib_scale"),   // 28
            MemoryLayout.paddingLayout(3),
            JAVA_INT.withName("sib_base"),     // 32
            JAVA_INT.withName("xop_cc"),       // 36
            JAVA_INT.withName("sse_cc"),       // 40
            JAVA_INT.withName("avx_cc"),       // 44
            JAVA_BYTE.withName("avx_sae"),     // 48: bool
            MemoryLayout.paddingLayout(3),
            JAVA_INT.withName("avx_rm"),       // 52
            JAVA_LONG.withName("eflags"),      // 56: union with fpu_flags
            JAVA_BYTE.withName("op_count"),    // 64
            MemoryLayout.paddingLayout(7),
            MemoryLayout.sequenceLayout(8, CS_X86_OP).withName("operands"), // 72
            CS_X86_ENCODING.withName("encoding"), // 456
            MemoryLayout.paddingLayout(3))
            .withName("cs_x86");

    /** Size of the architecture union in {@code cs_detail} (its largest member is not x86). */
    static final long DETAIL_UNION_SIZE = 1768;

    /** {@code cs_detail}: 1848 bytes; only the x86 member of the union is modelled. */
    static final StructLayout CS_DETAIL = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(12, JAVA_SHORT).withName("regs_read"),  // 0
            JAVA_BYTE.withName("regs_read_count"),                              // 24
            MemoryLayout.paddingLayout(1),
            MemoryLayout.sequenceLayout(20, JAVA_SHORT).withName("regs_write"), // 26
            JAVA_BYTE.withName("regs_write_count"),                             // 66
            MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("groups"),       // 67
            JAVA_BYTE.withName("groups_count"),                                 // 75
            MemoryLayout.paddingLayout(4),
            CS_X86.withName("x86"),                                             // 80
            MemoryLayout.paddingLayout(DETAIL_UNION_SIZE - CS_X86.byteSize()))
            .withName("cs_detail");

    /** {@code CS_MNEMONIC_SIZE}. */
    static final int MNEMONIC_SIZE = 32;
    static final int OP_STR_SIZE = 160;

    /** {@code cs_insn}: 240 bytes. */
    static final StructLayout CS_INSN = MemoryLayout.structLayout(
            JAVA_INT.withName("id"),           // 0
            MemoryLayout.paddingLayout(4),
            JAVA_LONG.withName("address"),     // 8
            JAVA_SHORT.withName("size"),       // 16
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("bytes"),             // 18
            MemoryLayout.sequenceLayout(MNEMONIC_SIZE, JAVA_BYTE).withName("mnemonic"), // 34
            MemoryLayout.sequenceLayout(OP_STR_SIZE, JAVA_BYTE).withName("op_str"),   // 66
            MemoryLayout.paddingLayout(6),
            ADDRESS.withName("detail"))        // 232
            .withName("cs_insn");

    static long offset(StructLayout layout, String... path) {
        PathElement[] elements = new PathElement[path.length];
        for (int i = 0; i < path.length; i++) {
            elements[i] = PathElement.groupElement(path[i]);
        }
        return layout.byteOffset(elements);
    }

    // Offsets read by the decoder, computed once from the layouts above.
    static final long INSN_SIZE = offset(CS_INSN, "size");
    static final long INSN_BYTES = offset(CS_INSN, "bytes");
    static final long INSN_MNEMONIC = offset(CS_INSN, "mnemonic");
    static final long INSN_OP_STR = offset(CS_INSN, "op_str");
    static final long INSN_DETAIL = offset(CS_INSN, "detail");
    static final long INSN_ID = offset(CS_INSN, "id");
    static final long X86 = offset(CS_DETAIL, "x86");
    static final long X86_PREFIX = X86 + offset(CS_X86, "prefix");
    static final long X86_OP_COUNT = X86 + offset(CS_X86, "op_count");
    static final long X86_OPERANDS = X86 + offset(CS_X86, "operands");
    static final long X86_DISP_SIZE = X86 + offset(CS_X86, "encoding") + offset(CS_X86_ENCODING, "disp_size");
    static final long X86_IMM_SIZE = X86 + offset(CS_X86, "encoding") + offset(CS_X86_ENCODING, "imm_size");
    static final long OP_TYPE = offset(CS_X86_OP, "type");
    static final long OP_UNION = offset(CS_X86_OP, "u");
    static final long OP_SIZE = offset(CS_X86_OP, "size");
    static final long OP_ACCESS = offset(CS_X86_OP, "access");
    static final long MEM_SEGMENT = OP_UNION + offset(X86_OP_MEM, "segment");
    static final long MEM_BASE = OP_UNION + offset(X86_OP_MEM, "base");
    static final long MEM_INDEX = OP_UNION + offset(X86_OP_MEM, "index");
    static final long MEM_SCALE = OP_UNION + offset(X86_OP_MEM, "scale");
    static final long MEM_DISP = OP_UNION + offset(X86_OP_MEM, "disp");
}

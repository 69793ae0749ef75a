package kdive.disasm.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import kdive.disasm.Disassembler;
import kdive.disasm.Instruction;
import kdive.disasm.Syntax;
import kdive.io.UsageException;

/**
 * Capstone 4 through the FFM API. Each instance owns one {@code csh} handle, one {@code cs_insn}
 * buffer from {@code cs_malloc} and the arena the library is loaded in.
 *
 * <p>Thread safety: Capstone handles must not be used by two threads at once, and the syntax is a
 * handle option, so {@link #decode} is {@code synchronized}; threads that want to decode in
 * parallel should each open their own instance (opening is cheap: the library is mapped once by
 * the dynamic loader).
 */
public final class CapstoneDisassembler implements Disassembler {

    private final Arena arena;
    private final CapstoneLibrary lib;
    private final long handle;
    private final MemorySegment insn;
    private final Map<Integer, String> regNames = new HashMap<>();
    private Syntax current;
    private boolean closed;

    /**
     * Opens a handle for x86-64 with details on.
     *
     * @throws UsageException if Capstone 4 cannot be loaded or refuses to open
     */
    public CapstoneDisassembler() {
        Arena owned = Arena.ofShared();
        try {
            this.lib = CapstoneLibrary.load(owned);
            this.handle = openHandle(lib);
            check(lib.option(), CapstoneLibrary.CS_OPT_DETAIL, CapstoneLibrary.CS_OPT_ON);
            this.insn = ((MemorySegment) lib.malloc().invokeExact(handle))
                    .reinterpret(CapstoneLayouts.CS_INSN.byteSize());
            if (insn.equals(MemorySegment.NULL)) {
                throw new UsageException("cs_malloc failed");
            }
        } catch (UsageException e) {
            owned.close();
            throw e;
        } catch (Throwable t) {
            owned.close();
            throw CapstoneLibrary.rethrow(t);
        }
        this.arena = owned;
    }

    private static long openHandle(CapstoneLibrary lib) throws Throwable {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment out = local.allocate(JAVA_LONG);
            int err = (int) lib.open().invokeExact(CapstoneLibrary.CS_ARCH_X86, CapstoneLibrary.CS_MODE_64, out);
            if (err != 0) {
                throw new UsageException("cs_open(X86, MODE_64) failed with cs_err " + err);
            }
            return out.get(JAVA_LONG, 0);
        }
    }

    private void check(java.lang.invoke.MethodHandle option, int type, long value) throws Throwable {
        int err = (int) option.invokeExact(handle, type, value);
        if (err != 0) {
            throw new UsageException("cs_option(%d, %d) failed with cs_err %d".formatted(type, value, err));
        }
    }

    @Override
    public String name() {
        return "capstone " + lib.major() + "." + lib.minor();
    }

    @Override
    public synchronized List<Instruction> decode(byte[] code, long address, Syntax syntax) {
        if (closed) {
            throw new IllegalStateException("disassembler is closed");
        }
        List<Instruction> out = new ArrayList<>();
        if (code.length == 0) {
            return out;
        }
        try (Arena local = Arena.ofConfined()) {
            setSyntax(syntax);
            MemorySegment buffer = local.allocate(code.length);
            MemorySegment.copy(code, 0, buffer, JAVA_BYTE, 0, code.length);
            MemorySegment codePtr = local.allocate(ADDRESS);
            codePtr.set(ADDRESS, 0, buffer);
            MemorySegment sizePtr = local.allocate(JAVA_LONG);
            sizePtr.set(JAVA_LONG, 0, code.length);
            MemorySegment addrPtr = local.allocate(JAVA_LONG);
            addrPtr.set(JAVA_LONG, 0, address);
            // Every successful call consumes at least one byte, so code.length bounds the loop.
            for (int i = 0; i < code.length; i++) {
                boolean ok = (boolean) lib.disasmIter().invokeExact(handle, codePtr, sizePtr, addrPtr, insn);
                if (!ok) {
                    break;
                }
                out.add(CapstoneText.toInstruction(read(), syntax));
            }
        } catch (Throwable t) {
            throw CapstoneLibrary.rethrow(t);
        }
        return out;
    }

    private void setSyntax(Syntax syntax) throws Throwable {
        if (syntax == current) {
            return;
        }
        long value = switch (syntax) {
            case ATT -> CapstoneLibrary.CS_OPT_SYNTAX_ATT;
            case INTEL -> CapstoneLibrary.CS_OPT_SYNTAX_INTEL;
        };
        check(lib.option(), CapstoneLibrary.CS_OPT_SYNTAX, value);
        current = syntax;
    }

    /** Copies the current {@code cs_insn} and its x86 detail into Java values. */
    private CsInsn read() {
        int size = Short.toUnsignedInt(insn.get(JAVA_SHORT, CapstoneLayouts.INSN_SIZE));
        byte[] bytes = insn.asSlice(CapstoneLayouts.INSN_BYTES, Math.min(size, 16)).toArray(JAVA_BYTE);
        long address = insn.get(JAVA_LONG, CapstoneLayouts.offset(CapstoneLayouts.CS_INSN, "address"));
        String mnemonic = cString(insn.asSlice(CapstoneLayouts.INSN_MNEMONIC, CapstoneLayouts.MNEMONIC_SIZE));
        String opStr = cString(insn.asSlice(CapstoneLayouts.INSN_OP_STR, CapstoneLayouts.OP_STR_SIZE));
        int id = insn.get(JAVA_INT, CapstoneLayouts.INSN_ID);
        MemorySegment detail = insn.get(ADDRESS, CapstoneLayouts.INSN_DETAIL)
                .reinterpret(CapstoneLayouts.CS_DETAIL.byteSize());
        int count = Math.min(8, Byte.toUnsignedInt(detail.get(JAVA_BYTE, CapstoneLayouts.X86_OP_COUNT)));
        List<CsInsn.Op> ops = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ops.add(readOp(detail.asSlice(CapstoneLayouts.X86_OPERANDS + i * CapstoneLayouts.CS_X86_OP.byteSize(),
                    CapstoneLayouts.CS_X86_OP.byteSize())));
        }
        byte[] prefix = detail.asSlice(CapstoneLayouts.X86_PREFIX, 4).toArray(JAVA_BYTE);
        int dispSize = detail.get(JAVA_BYTE, CapstoneLayouts.X86_DISP_SIZE);
        int immSize = detail.get(JAVA_BYTE, CapstoneLayouts.X86_IMM_SIZE);
        return new CsInsn(address, bytes, id, mnemonic, opStr, ops, prefix, dispSize, immSize);
    }

    private CsInsn.Op readOp(MemorySegment op) {
        int type = op.get(JAVA_INT, CapstoneLayouts.OP_TYPE);
        int size = Byte.toUnsignedInt(op.get(JAVA_BYTE, CapstoneLayouts.OP_SIZE));
        int access = Byte.toUnsignedInt(op.get(JAVA_BYTE, CapstoneLayouts.OP_ACCESS));
        return switch (type) {
            case 1 -> new CsInsn.Op(CsInsn.Kind.REG, reg(op.get(JAVA_INT, CapstoneLayouts.OP_UNION)), 0,
                    "", "", "", 0, 0, size, access);
            case 2 -> new CsInsn.Op(CsInsn.Kind.IMM, "", op.get(JAVA_LONG, CapstoneLayouts.OP_UNION),
                    "", "", "", 0, 0, size, access);
            case 3 -> new CsInsn.Op(CsInsn.Kind.MEM, "", 0,
                    reg(op.get(JAVA_INT, CapstoneLayouts.MEM_SEGMENT)),
                    reg(op.get(JAVA_INT, CapstoneLayouts.MEM_BASE)),
                    reg(op.get(JAVA_INT, CapstoneLayouts.MEM_INDEX)),
                    op.get(JAVA_INT, CapstoneLayouts.MEM_SCALE),
                    op.get(JAVA_LONG, CapstoneLayouts.MEM_DISP), size, access);
            default -> new CsInsn.Op(CsInsn.Kind.INVALID, "", 0, "", "", "", 0, 0, size, access);
        };
    }

    /** Register name for a Capstone {@code x86_reg}; 0 ({@code X86_REG_INVALID}) is the empty string. */
    private String reg(int id) {
        if (id <= 0) {
            return "";
        }
        return regNames.computeIfAbsent(id, k -> {
            try {
                MemorySegment p = (MemorySegment) lib.regName().invokeExact(handle, (int) k);
                return p.equals(MemorySegment.NULL) ? "" : p.reinterpret(64).getString(0);
            } catch (Throwable t) {
                throw CapstoneLibrary.rethrow(t);
            }
        });
    }

    private static String cString(MemorySegment fixed) {
        byte[] raw = fixed.toArray(JAVA_BYTE);
        int n = 0;
        while (n < raw.length && raw[n] != 0) {
            n++;
        }
        return new String(raw, 0, n, StandardCharsets.US_ASCII);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (Arena local = Arena.ofConfined()) {
            lib.free().invokeExact(insn, 1L);
            MemorySegment h = local.allocate(JAVA_LONG);
            h.set(JAVA_LONG, 0, handle);
            int unused = (int) lib.close().invokeExact(h);
        } catch (Throwable t) {
            throw CapstoneLibrary.rethrow(t);
        } finally {
            arena.close();
        }
    }
}

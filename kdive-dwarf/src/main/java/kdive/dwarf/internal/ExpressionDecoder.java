package kdive.dwarf.internal;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;
import kdive.dwarf.LocationExpression;
import kdive.io.BinaryReader;
import kdive.io.FormatException;

/**
 * Recognises the location expressions compilers emit for variables (DWARF 5 §2.5.1, §2.6.1) and
 * turns them into {@link LocationExpression}s. Not an evaluator: an expression that computes
 * anything more complex is reported as {@link LocationExpression.Other}, naming its operators.
 */
public final class ExpressionDecoder {
    private static final int ADDR = 0x03;
    private static final int CONST1U = 0x08;
    private static final int CONST1S = 0x09;
    private static final int CONST2U = 0x0a;
    private static final int CONST2S = 0x0b;
    private static final int CONST4U = 0x0c;
    private static final int CONST4S = 0x0d;
    private static final int CONST8U = 0x0e;
    private static final int CONST8S = 0x0f;
    private static final int CONSTU = 0x10;
    private static final int CONSTS = 0x11;
    private static final int LIT0 = 0x30;
    private static final int REG0 = 0x50;
    private static final int BREG0 = 0x70;
    private static final int REGX = 0x90;
    private static final int FBREG = 0x91;
    private static final int BREGX = 0x92;
    private static final int PIECE = 0x93;
    private static final int IMPLICIT_VALUE = 0x9e;
    private static final int STACK_VALUE = 0x9f;
    private static final int IMPLICIT_POINTER = 0xa0;
    private static final int ADDRX = 0xa1;
    private static final int ENTRY_VALUE = 0xa3;
    private static final int GNU_IMPLICIT_POINTER = 0xf2;
    private static final int GNU_ENTRY_VALUE = 0xf3;

    private ExpressionDecoder() {}

    /**
     * Decodes {@code expr}. {@code refSize} is the size of a DIE reference in implicit pointers
     * (the unit's offset size, or address size in DWARF 2); {@code unitOffset} is unused by
     * DWARF 5 references, which are section offsets; {@code addrx} resolves .debug_addr indices.
     */
    public static LocationExpression decode(MemorySegment expr, String where, java.nio.ByteOrder order,
            int addressSize, int refSize, LongUnaryOperator addrx) {
        BinaryReader r = new BinaryReader(expr, where, 0, order);
        try {
            var pieces = new ArrayList<LocationExpression.Piece>();
            while (r.hasRemaining()) {
                long pieceStart = r.position();
                LocationExpression one = single(r, addressSize, refSize, addrx);
                if (!r.hasRemaining()) {
                    return pieces.isEmpty() ? one : new LocationExpression.Other(one instanceof LocationExpression.Other o
                            ? o.text() : "a DW_OP_piece composite whose last part has no DW_OP_piece");
                }
                if (r.u8() != PIECE) {
                    return other(expr, pieceStart);
                }
                pieces.add(new LocationExpression.Piece(one, r.uleb128()));
            }
            return pieces.isEmpty() ? new LocationExpression.OptimizedOut() : new LocationExpression.Pieces(pieces);
        } catch (FormatException e) {
            return new LocationExpression.Other("truncated expression: " + e.getMessage());
        }
    }

    /** One location, up to a DW_OP_piece or the end; leaves {@code r} before the piece operator. */
    private static LocationExpression single(BinaryReader r, int addressSize, int refSize, LongUnaryOperator addrx) {
        long start = r.position();
        if (peek(r) == PIECE) {
            return new LocationExpression.OptimizedOut(); // an empty piece: that part is unavailable
        }
        int op = r.u8();
        LocationExpression loc;
        if (op >= REG0 && op < REG0 + 32) {
            return new LocationExpression.InRegister(op - REG0);
        }
        if (op == REGX) {
            return new LocationExpression.InRegister((int) r.uleb128());
        }
        if (op >= BREG0 && op < BREG0 + 32 || op == BREGX) {
            int reg = op == BREGX ? (int) r.uleb128() : op - BREG0;
            long k = r.sleb128();
            if (atEnd(r)) {
                return new LocationExpression.InMemory(reg, k);
            }
            if (peek(r) == STACK_VALUE) {
                r.u8();
                return new LocationExpression.RegisterPlus(reg, k);
            }
            return skipToPiece(r, start);
        }
        switch (op) {
            case FBREG -> {
                long k = r.sleb128();
                return atEnd(r) ? new LocationExpression.FrameBase(k) : skipToPiece(r, start);
            }
            case ADDR, ADDRX -> {
                long a = op == ADDR ? r.unsigned(addressSize) : addrx.applyAsLong(r.uleb128());
                return atEnd(r) ? new LocationExpression.Static(a) : skipToPiece(r, start);
            }
            case IMPLICIT_VALUE -> {
                long len = r.uleb128();
                if (len > 8) {
                    r.skip(len);
                    return new LocationExpression.Other("DW_OP_implicit_value of %d bytes".formatted(len));
                }
                long v = len == 0 ? 0 : r.unsigned((int) len);
                return new LocationExpression.Constant(v);
            }
            case IMPLICIT_POINTER, GNU_IMPLICIT_POINTER -> {
                long die = r.unsigned(refSize);
                return new LocationExpression.ImplicitPointer(die, r.sleb128());
            }
            case ENTRY_VALUE, GNU_ENTRY_VALUE -> {
                long len = r.uleb128();
                long body = r.position();
                int inner = len >= 1 ? r.u8() : -1;
                r.seek(body + len);
                if (len == 1 && inner >= REG0 && inner < REG0 + 32) {
                    if (!atEnd(r) && peek(r) == STACK_VALUE) {
                        r.u8();
                    }
                    loc = new LocationExpression.EntryValue(inner - REG0);
                    return atEnd(r) ? loc : skipToPiece(r, start);
                }
                return skipToPiece(r, start);
            }
            default -> { }
        }
        Long constant = constant(op, r);
        if (constant != null && !atEnd(r) && peek(r) == STACK_VALUE) {
            r.u8();
            return new LocationExpression.Constant(constant);
        }
        return skipToPiece(r, start);
    }

    private static Long constant(int op, BinaryReader r) {
        if (op >= LIT0 && op < LIT0 + 32) {
            return (long) (op - LIT0);
        }
        return switch (op) {
            case CONST1U -> (long) r.u8();
            case CONST1S -> (long) r.s8();
            case CONST2U -> (long) r.u16();
            case CONST2S -> (long) r.s16();
            case CONST4U -> r.u32();
            case CONST4S -> (long) r.s32();
            case CONST8U, CONST8S -> r.u64();
            case CONSTU -> r.uleb128();
            case CONSTS -> r.sleb128();
            default -> null;
        };
    }

    /**
     * An expression this decoder does not model: named by its first operator, and the rest of the
     * expression consumed (finding the next DW_OP_piece would mean decoding every operator's
     * operands; composites that need it are reported as one {@link LocationExpression.Other}).
     */
    private static LocationExpression skipToPiece(BinaryReader r, long start) {
        long end = r.size();
        r.seek(start);
        String first = OpNames.name(r.u8());
        r.seek(end);
        return new LocationExpression.Other(first + (end - start > 1 ? " ..." : ""));
    }

    private static LocationExpression other(MemorySegment expr, long start) {
        int op = expr.get(java.lang.foreign.ValueLayout.JAVA_BYTE, start) & 0xff;
        return new LocationExpression.Other(OpNames.name(op) + " ...");
    }

    private static boolean atEnd(BinaryReader r) {
        return !r.hasRemaining() || peek(r) == PIECE;
    }

    private static int peek(BinaryReader r) {
        return r.segment().get(java.lang.foreign.ValueLayout.JAVA_BYTE, r.position()) & 0xff;
    }

    /** Names for messages. */
    static final class OpNames {
        private OpNames() {}

        static String name(int op) {
            if (op >= LIT0 && op < LIT0 + 32) {
                return "DW_OP_lit" + (op - LIT0);
            }
            if (op >= REG0 && op < REG0 + 32) {
                return "DW_OP_reg" + (op - REG0);
            }
            if (op >= BREG0 && op < BREG0 + 32) {
                return "DW_OP_breg" + (op - BREG0);
            }
            return switch (op) {
                case 0x06 -> "DW_OP_deref";
                case 0x12 -> "DW_OP_dup";
                case 0x1a -> "DW_OP_and";
                case 0x1c -> "DW_OP_minus";
                case 0x1e -> "DW_OP_mul";
                case 0x22 -> "DW_OP_plus";
                case 0x23 -> "DW_OP_plus_uconst";
                case 0x25 -> "DW_OP_shr";
                case 0x9c -> "DW_OP_call_frame_cfa";
                case 0x94 -> "DW_OP_deref_size";
                case 0xa4 -> "DW_OP_const_type";
                case 0xa5 -> "DW_OP_regval_type";
                case 0xa8 -> "DW_OP_convert";
                case 0xf3 -> "DW_OP_GNU_entry_value";
                case 0xa3 -> "DW_OP_entry_value";
                default -> "DW_OP_0x%02x".formatted(op);
            };
        }
    }
}

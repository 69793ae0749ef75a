package kdive.dwarf.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kdive.dwarf.CfaRule;
import kdive.dwarf.CfiExpression;
import kdive.dwarf.Cie;
import kdive.dwarf.Fde;
import kdive.dwarf.FrameRow;
import kdive.dwarf.RegisterRule;
import kdive.io.BinaryReader;

/**
 * Runs call frame instructions (DWARF 5 §6.4.2) into table rows. Every instruction consumes at
 * least one byte, so a program runs at most as many steps and makes at most as many rows as it
 * has bytes; the DW_CFA_remember_state stack is bounded by {@link #MAX_STATE_DEPTH}.
 */
public final class CfaProgram {
    /** Deeper nesting than any compiler emits (GCC pairs one remember with one restore per epilogue). */
    public static final int MAX_STATE_DEPTH = 64;
    /** Register numbers above this are corrupt: the largest DWARF register maps (AArch64, x86-64) stay below 200. */
    public static final int MAX_REGISTER = 0xffff;

    private static final int ADVANCE_LOC = 0x40, OFFSET = 0x80, RESTORE = 0xc0;
    private static final int NOP = 0x00, SET_LOC = 0x01, ADVANCE_LOC1 = 0x02, ADVANCE_LOC2 = 0x03, ADVANCE_LOC4 = 0x04,
            OFFSET_EXTENDED = 0x05, RESTORE_EXTENDED = 0x06, UNDEFINED = 0x07, SAME_VALUE = 0x08, REGISTER = 0x09,
            REMEMBER_STATE = 0x0a, RESTORE_STATE = 0x0b, DEF_CFA = 0x0c, DEF_CFA_REGISTER = 0x0d, DEF_CFA_OFFSET = 0x0e,
            DEF_CFA_EXPRESSION = 0x0f, EXPRESSION = 0x10, OFFSET_EXTENDED_SF = 0x11, DEF_CFA_SF = 0x12,
            DEF_CFA_OFFSET_SF = 0x13, VAL_OFFSET = 0x14, VAL_OFFSET_SF = 0x15, VAL_EXPRESSION = 0x16,
            GNU_ARGS_SIZE = 0x2e, GNU_NEGATIVE_OFFSET_EXTENDED = 0x2f;

    private CfaProgram() {}

    /** The rules in force: the CFA and every register that has one. */
    private record State(CfaRule cfa, Map<Integer, RegisterRule> registers) {
        State copy() {
            return new State(cfa, new HashMap<>(registers));
        }
    }

    /** The CIE's initial instructions run alone: the row every FDE of it starts from (at address 0). */
    public static FrameRow initialRow(FrameSection s, Cie cie) {
        State st = initial(s, cie);
        return new FrameRow(0, 0, st.cfa, st.registers, cie.returnAddressRegister(), cie.signalFrame());
    }

    /** Every row of {@code fde}'s table, in address order; the last ends at the FDE's end. */
    public static List<FrameRow> rows(FrameSection s, Fde fde) {
        Cie cie = fde.cie();
        State init = initial(s, cie);
        var run = new Run(s, cie, init, fde.pcBegin(), fde.pcEnd());
        run.state = init.copy();
        run.execute(s.reader().slice(fde.instructionsOffset(), fde.instructionsLength()));
        run.emit(fde.pcEnd());
        return run.rows;
    }

    private static State initial(FrameSection s, Cie cie) {
        var run = new Run(s, cie, null, 0, 0);
        run.state = new State(new CfaRule.Undefined(), new HashMap<>());
        run.execute(s.reader().slice(cie.instructionsOffset(), cie.instructionsLength()));
        return run.state;
    }

    /** A register number operand, checked to be plausible. */
    static int register(BinaryReader r, long value, long at) {
        if (value < 0 || value > MAX_REGISTER) {
            throw r.error(at, "a register number up to %d, got %s".formatted(MAX_REGISTER, Long.toUnsignedString(value)));
        }
        return (int) value;
    }

    /** One execution: the CIE's initial instructions ({@code initial == null}) or an FDE's. */
    private static final class Run {
        final FrameSection section;
        final Cie cie;
        final State initial;
        final long end;
        final List<FrameRow> rows = new ArrayList<>();
        final ArrayDeque<State> stack = new ArrayDeque<>();
        State state;
        long loc;

        Run(FrameSection section, Cie cie, State initial, long begin, long end) {
            this.section = section;
            this.cie = cie;
            this.initial = initial;
            this.loc = begin;
            this.end = end;
        }

        void emit(long next) {
            rows.add(new FrameRow(loc, next, state.cfa, state.registers, cie.returnAddressRegister(), cie.signalFrame()));
        }

        void execute(BinaryReader r) {
            while (r.hasRemaining()) {
                long at = r.position();
                int op = r.u8();
                switch (op & 0xc0) {
                    case ADVANCE_LOC -> advance(r, at, op & 0x3f);
                    case OFFSET -> put(op & 0x3f, new RegisterRule.Offset(factored(r, at, unsignedOperand(r, at))));
                    case RESTORE -> restore(op & 0x3f);
                    default -> extended(r, at, op);
                }
            }
        }

        private void extended(BinaryReader r, long at, int op) {
            switch (op) {
                case NOP -> { }
                case SET_LOC -> moveTo(r, at, setLocOperand(r));
                case ADVANCE_LOC1 -> advance(r, at, r.u8());
                case ADVANCE_LOC2 -> advance(r, at, r.u16());
                case ADVANCE_LOC4 -> advance(r, at, r.u32());
                case OFFSET_EXTENDED -> {
                    int reg = reg(r, at);
                    put(reg, new RegisterRule.Offset(factored(r, at, unsignedOperand(r, at))));
                }
                case OFFSET_EXTENDED_SF -> {
                    int reg = reg(r, at);
                    put(reg, new RegisterRule.Offset(factored(r, at, r.sleb128())));
                }
                case GNU_NEGATIVE_OFFSET_EXTENDED -> {
                    int reg = reg(r, at);
                    put(reg, new RegisterRule.Offset(-factored(r, at, unsignedOperand(r, at))));
                }
                case VAL_OFFSET -> {
                    int reg = reg(r, at);
                    put(reg, new RegisterRule.ValOffset(factored(r, at, unsignedOperand(r, at))));
                }
                case VAL_OFFSET_SF -> {
                    int reg = reg(r, at);
                    put(reg, new RegisterRule.ValOffset(factored(r, at, r.sleb128())));
                }
                case RESTORE_EXTENDED -> restore(reg(r, at));
                case UNDEFINED -> put(reg(r, at), new RegisterRule.Undefined());
                case SAME_VALUE -> put(reg(r, at), new RegisterRule.SameValue());
                case REGISTER -> {
                    int reg = reg(r, at);
                    put(reg, new RegisterRule.Register(reg(r, at)));
                }
                case REMEMBER_STATE -> {
                    if (stack.size() >= MAX_STATE_DEPTH) {
                        throw r.error(at, "DW_CFA_remember_state nested at most %d deep".formatted(MAX_STATE_DEPTH));
                    }
                    stack.push(state.copy());
                }
                case RESTORE_STATE -> {
                    if (stack.isEmpty()) {
                        throw r.error(at, "a DW_CFA_remember_state before this DW_CFA_restore_state");
                    }
                    // The CFA rule is restored too, as GCC's and LLVM's unwinders and readelf do.
                    state = stack.pop();
                }
                case DEF_CFA -> {
                    int reg = reg(r, at);
                    setCfa(new CfaRule.RegisterOffset(reg, unsignedOperand(r, at)));
                }
                case DEF_CFA_SF -> {
                    int reg = reg(r, at);
                    setCfa(new CfaRule.RegisterOffset(reg, factored(r, at, r.sleb128())));
                }
                case DEF_CFA_REGISTER -> {
                    int reg = reg(r, at);
                    setCfa(new CfaRule.RegisterOffset(reg, cfaOffset(r, at)));
                }
                case DEF_CFA_OFFSET -> setCfa(new CfaRule.RegisterOffset(cfaRegister(r, at), unsignedOperand(r, at)));
                case DEF_CFA_OFFSET_SF -> {
                    int reg = cfaRegister(r, at);
                    setCfa(new CfaRule.RegisterOffset(reg, factored(r, at, r.sleb128())));
                }
                case DEF_CFA_EXPRESSION -> setCfa(new CfaRule.Expression(block(r)));
                case EXPRESSION -> {
                    int reg = reg(r, at);
                    put(reg, new RegisterRule.Expression(block(r)));
                }
                case VAL_EXPRESSION -> {
                    int reg = reg(r, at);
                    put(reg, new RegisterRule.ValExpression(block(r)));
                }
                // The size of the arguments pushed at a call site: only landing pads need it, not unwinding.
                case GNU_ARGS_SIZE -> r.uleb128();
                default -> throw r.error(at, "a DW_CFA_* opcode, got 0x%02x".formatted(op));
            }
        }

        private int reg(BinaryReader r, long at) {
            return register(r, r.uleb128(), at);
        }

        /** A ULEB128 operand used as a signed quantity: above 2^63 it cannot be meant. */
        private static long unsignedOperand(BinaryReader r, long at) {
            long v = r.uleb128();
            if (v < 0) {
                throw r.error(at, "an operand below 2^63, got %s".formatted(Long.toUnsignedString(v)));
            }
            return v;
        }

        private long factored(BinaryReader r, long at, long value) {
            long f = cie.dataAlignment();
            long product = value * f;
            if (Math.multiplyHigh(value, f) != (product >> 63)) {
                throw r.error(at, "a factored offset within 64 bits: %d * %d".formatted(value, f));
            }
            return product;
        }

        private int cfaRegister(BinaryReader r, long at) {
            if (!(state.cfa instanceof CfaRule.RegisterOffset ro)) {
                throw r.error(at, "a register-based CFA rule before changing only its offset");
            }
            return ro.register();
        }

        private long cfaOffset(BinaryReader r, long at) {
            if (!(state.cfa instanceof CfaRule.RegisterOffset ro)) {
                throw r.error(at, "a register-based CFA rule before changing only its register");
            }
            return ro.offset();
        }

        private void setCfa(CfaRule rule) {
            state = new State(rule, state.registers);
        }

        private void put(int reg, RegisterRule rule) {
            state.registers.put(reg, rule);
        }

        /** DW_CFA_restore: back to the CIE's rule, or to no rule when the CIE gave none. */
        private void restore(int reg) {
            RegisterRule rule = initial == null ? null : initial.registers.get(reg);
            if (rule == null) {
                state.registers.remove(reg);
            } else {
                state.registers.put(reg, rule);
            }
        }

        private CfiExpression block(BinaryReader r) {
            long lengthAt = r.position();
            long length = r.uleb128();
            if (Long.compareUnsigned(length, r.remaining()) > 0) {
                throw r.error(lengthAt, "an expression within the %d bytes left, got %s bytes"
                        .formatted(r.remaining(), Long.toUnsignedString(length)));
            }
            long offset = r.fileOffset();
            return new CfiExpression(section.name(), offset, r.bytes((int) length));
        }

        private long setLocOperand(BinaryReader r) {
            if (section.isEh()) {
                int enc = cie.fdeEncoding();
                return section.pointer(r, enc == Cie.DW_EH_PE_OMIT ? 0 : enc & 0x7f, cie.addressSize()).address();
            }
            return r.unsigned(cie.addressSize());
        }

        private void advance(BinaryReader r, long at, long delta) {
            long factor = cie.codeAlignment();
            if (delta != 0 && Long.compareUnsigned(factor, Long.divideUnsigned(-1L, delta)) > 0) {
                throw r.error(at, "an advance within the address space: %d * %s".formatted(delta, Long.toUnsignedString(factor)));
            }
            long next = loc + delta * factor;
            if (Long.compareUnsigned(next, loc) < 0) {
                throw r.error(at, "an advance that does not wrap around: 0x%x + 0x%x".formatted(loc, delta * factor));
            }
            moveTo(r, at, next);
        }

        /** A new row starts at {@code next}: the current one ends there. Rows stay in [begin, end] and in order. */
        private void moveTo(BinaryReader r, long at, long next) {
            if (initial == null) {
                throw r.error(at, "no location change in a CIE's initial instructions");
            }
            if (Long.compareUnsigned(next, loc) < 0 || Long.compareUnsigned(next, end) > 0) {
                throw r.error(at, "a row location between 0x%x and the FDE's end 0x%x, got 0x%x".formatted(loc, end, next));
            }
            emit(next);
            loc = next;
        }
    }
}

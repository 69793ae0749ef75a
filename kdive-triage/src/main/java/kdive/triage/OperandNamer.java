package kdive.triage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kdive.disasm.Access;
import kdive.disasm.Instruction;
import kdive.disasm.Operand;
import kdive.dwarf.LocationExpression;
import kdive.dwarf.MemberPath;
import kdive.dwarf.Type;
import kdive.dwarf.TypeNames;
import kdive.dwarf.Types;
import kdive.elf.Symbol;
import kdive.symbolize.ScopeVariable;
import kdive.symbolize.Symbolizer;

/**
 * Names the faulting instruction's operands as C expressions. A register is named by the
 * variable whose DWARF location at that PC is the register; a memory operand by the member its
 * displacement reaches in the type the base register points to ({@code 0x8(%rdi)} with %rdi =
 * {@code queue}, a {@code struct sk_buff_head *} -> {@code queue->prev}). A register no location
 * names is followed back to the instruction that loaded it (mov/lea/register copy) and named by
 * what was loaded, which also says where a bad pointer came from.
 */
final class OperandNamer {
    /** How many loads back a value is followed. */
    private static final int MAX_HOPS = 4;

    /** The DWARF register number of each x86-64 register (psABI §3.6.2, Figure 3.36). */
    private static final Map<String, Integer> DWARF_NUMBER = Map.ofEntries(
            Map.entry("rax", 0), Map.entry("rdx", 1), Map.entry("rcx", 2), Map.entry("rbx", 3),
            Map.entry("rsi", 4), Map.entry("rdi", 5), Map.entry("rbp", 6), Map.entry("rsp", 7),
            Map.entry("r8", 8), Map.entry("r9", 9), Map.entry("r10", 10), Map.entry("r11", 11),
            Map.entry("r12", 12), Map.entry("r13", 13), Map.entry("r14", 14), Map.entry("r15", 15));

    private final Symbolizer file;
    private final Symbol function;
    private final String symbol;
    private final List<Instruction> code;
    private final long start;
    private final Types types;
    private final Map<Integer, List<ScopeVariable>> scopes = new HashMap<>();

    /**
     * @param code the function's instructions, decoded at the symbol's address
     *     (only those up to the faulting one are used)
     */
    OperandNamer(Symbolizer file, Symbol function, List<Instruction> code) {
        this.file = file;
        this.function = function;
        this.symbol = function.name();
        this.start = function.value();
        this.code = List.copyOf(code);
        this.types = file.types();
    }

    /**
     * What a register or memory location holds, as C. {@code adjust}: the value is expression +
     * adjust bytes; {@code via}: the most recent load followed to get here, empty when DWARF
     * named it at the PC itself.
     */
    private record Value(String expression, long type, long adjust, String function, String basis, String via,
            Value outer) {
        boolean inferred() {
            return !via.isEmpty();
        }

        /** The expression, and what the outermost (not inlined) function calls the same value. */
        String described() {
            return outer == null || outer.expression().equals(expression) ? expression
                    : expression + ", i.e. " + outer.expression() + " in " + outer.function();
        }

        Value with(String basis, String via) {
            return new Value(expression, type, adjust, function, basis, via, outer);
        }

        Value moved(long by, String basis, String via) {
            return new Value(expression, type, adjust + by, function, basis, via,
                    outer == null ? null : outer.moved(by, outer.basis(), via));
        }
    }

    /** The faulting instruction's operands with names; empty when it is not in {@code code}. */
    List<NamedOperand> name(long faultOffset) {
        int at = indexOf(faultOffset);
        if (at < 0) {
            return List.of();
        }
        var out = new ArrayList<NamedOperand>();
        for (Operand o : code.get(at).operands()) {
            switch (o) {
                case Operand.Mem m when !m.base().equals("rip") && m.access() != Access.NONE ->
                        memory(m, at, 0).ifPresent(v -> {
                            Optional<Value> load = origin(m, at, v);
                            out.add(named(att(m), v,
                                    load.map(l -> l.described() + " (" + l.via() + ")").orElse(""),
                                    load.map(l -> deref(l, m.displacement(), m.size()).described()).orElse("")));
                        });
                case Operand.Reg r -> register(r.name(), at, 0).ifPresent(v -> out.add(named("%" + r.name(), v, "", "")));
                default -> { }
            }
        }
        return out;
    }

    /**
     * Where the base register of {@code m} got its value, when DWARF named it directly: for the
     * seed, {@code prev} (in %rax) was loaded from {@code sk->sk_write_queue.prev}.
     */
    private Optional<Value> origin(Operand.Mem m, int at, Value named) {
        if (named.inferred() || m.base().isEmpty()) {
            return Optional.empty();
        }
        return loadedBy(RegisterFile.fullName(m.base()), at, 1);
    }

    private NamedOperand named(String operand, Value v, String loadedFrom, String throughLoad) {
        String type = v.type() == -1 ? "" : TypeNames.of(types, v.type());
        String expr = v.adjust() == 0 ? v.expression() : "(char *)" + v.expression() + plus(v.adjust());
        return new NamedOperand(operand, expr, v.adjust() == 0 ? type : "", v.function(), v.basis(),
                loadedFrom, throughLoad, v.inferred());
    }

    private int indexOf(long offset) {
        for (int i = 0; i < code.size(); i++) {
            if (code.get(i).address() - start == offset) {
                return i;
            }
        }
        return -1;
    }

    private List<ScopeVariable> variables(int at) {
        return scopes.computeIfAbsent(at, i -> file.variablesAt(function, code.get(i).address() - start));
    }

    /** The value in register {@code reg} just before instruction {@code at} runs. */
    private Optional<Value> register(String reg, int at, int hops) {
        String full = RegisterFile.fullName(reg);
        Integer number = DWARF_NUMBER.get(full);
        if (number == null) {
            return Optional.empty();
        }
        long off = code.get(at).address() - start;
        // Innermost inline level first: its names are the ones the faulting source line uses.
        List<Value> found = new ArrayList<>();
        Value outer = null;
        int outerDepth = -1;
        boolean outerIsParameter = false;
        for (ScopeVariable v : variables(at)) {
            if (v.location() instanceof LocationExpression.InRegister r && r.register() == number) {
                Value named = new Value(v.name(), v.type(), 0, v.function(),
                        "%%%s holds %s (%s of %s) at %s+0x%x".formatted(full, v.name(),
                                v.parameter() ? "parameter" : "variable", v.function(), symbol, off), "", null);
                found.add(named);
                // The outermost level's name is what the function the oops names calls it; its
                // parameter (sk) reads better than a local derived from it (tp = tcp_sk(sk)).
                if (v.depth() > outerDepth || v.depth() == outerDepth && v.parameter() && !outerIsParameter) {
                    outer = named;
                    outerDepth = v.depth();
                    outerIsParameter = v.parameter();
                }
            }
        }
        for (ScopeVariable v : variables(at)) {
            if (v.location() instanceof LocationExpression.RegisterPlus r && r.register() == number) {
                found.add(new Value(v.name(), v.type(), -r.addend(), v.function(),
                        "%%%s = %s - 0x%x (%s of %s) at %s+0x%x".formatted(full, v.name(), r.addend(),
                                v.parameter() ? "parameter" : "variable", v.function(), symbol, off), "", null));
            }
        }
        if (found.isEmpty()) {
            return hops < MAX_HOPS ? loadedBy(full, at, hops + 1) : Optional.empty();
        }
        Value inner = found.getFirst();
        return Optional.of(outer == null || outer == inner || outer.function().equals(inner.function()) ? inner
                : new Value(inner.expression(), inner.type(), inner.adjust(), inner.function(), inner.basis(), "", outer));
    }

    /** Follows {@code reg} back to the instruction before {@code at} that last wrote it. */
    private Optional<Value> loadedBy(String reg, int at, int hops) {
        for (int i = at - 1; i >= 0; i--) {
            Instruction in = code.get(i);
            if (endsPath(in)) {
                return Optional.empty();
            }
            if (!writes(in, reg)) {
                continue;
            }
            String how = "%%%s loaded at %s+0x%x by %s".formatted(reg, symbol, in.address() - start, FaultingAccess.compact(in.text()));
            Operand src = in.operands().size() == 2 ? in.operands().get(1) : null;
            if (in.mnemonic().startsWith("mov") && src instanceof Operand.Mem m && m.size() == 8 && !m.base().equals("rip")) {
                return memory(m, i, hops).map(v -> v.with(how + " from " + v.described() + "; " + v.basis(), how));
            }
            if (in.mnemonic().startsWith("lea") && src instanceof Operand.Mem m && m.index().isEmpty()
                    && !m.base().isEmpty() && !m.base().equals("rip")) {
                return register(m.base(), i, hops).map(v -> v.moved(m.displacement(), how + "; " + v.basis(), how));
            }
            if (in.mnemonic().startsWith("mov") && src instanceof Operand.Reg r && !RegisterFile.fullName(r.name()).equals(reg)
                    && DWARF_NUMBER.containsKey(RegisterFile.fullName(r.name()))) {
                return register(r.name(), i, hops).map(v -> v.with(how + "; " + v.basis(), how));
            }
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** What memory operand {@code m} of instruction {@code at} designates, as C. */
    private Optional<Value> memory(Operand.Mem m, int at, int hops) {
        if (m.base().isEmpty() || !m.index().isEmpty() || !m.segment().isEmpty()) {
            return Optional.empty();
        }
        Optional<Value> base = register(m.base(), at, hops);
        if (base.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(deref(base.get(), m.displacement(), m.size()));
    }

    /** The object {@code disp} bytes past what {@code b} points to, {@code size} bytes wide. */
    private Value deref(Value b, long disp, int size) {
        Value outer = b.outer() == null ? null : deref(b.outer(), disp, size);
        long offset = disp + b.adjust();
        if (b.type() != -1 && types.strip(b.type()) instanceof Type.Pointer p) {
            Optional<MemberPath> path = MemberPath.find(types, p.target(), offset, size);
            if (path.isPresent()) {
                return new Value(path.get().through(b.expression()), path.get().type(), 0, b.function(), b.basis(),
                        b.via(), outer);
            }
        }
        return new Value("*(" + b.expression() + plus(offset) + ")", -1, 0, b.function(), b.basis(), b.via(), outer);
    }

    /** Control leaves or may re-enter here: a value cannot be followed back across it. */
    private static boolean endsPath(Instruction in) {
        String mn = in.mnemonic();
        return mn.startsWith("call") || mn.startsWith("ret") || mn.equals("jmp") || mn.startsWith("jmpq")
                || mn.startsWith("ud2") || mn.equals("int3");
    }

    private static boolean writes(Instruction in, String reg) {
        if (in.operands().isEmpty()) {
            return false;
        }
        Operand dst = in.operands().getFirst();
        return dst instanceof Operand.Reg r && r.access().writes() && RegisterFile.fullName(r.name()).equals(reg);
    }

    private static String plus(long v) {
        return v == 0 ? "" : v > 0 ? " + 0x" + Long.toHexString(v) : " - 0x" + Long.toHexString(-v);
    }

    private static String att(Operand.Mem m) {
        return FaultingAccess.att(m);
    }
}

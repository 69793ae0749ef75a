package kdive.kernel.unwind;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import kdive.dwarf.CfaRule;
import kdive.dwarf.FrameRow;
import kdive.dwarf.RegisterRule;
import kdive.elf.orc.OrcEntry;
import kdive.elf.orc.OrcReg;
import kdive.elf.orc.OrcRule;
import kdive.io.FaultException;
import kdive.kernel.Program;
import kdive.kernel.SymbolHit;

/**
 * The one unwinder (drgn's stack_trace.c design): from a first {@link RegisterState} it asks, per
 * frame, for a rule to find the caller: the kernel's own ORC table first (what the kernel's
 * unwinder trusts; a module's from its memory), DWARF CFI ({@code .debug_frame}) where ORC has
 * nothing, frame pointers last. ORC REGS entries give the pt_regs of entry code, exceptions and
 * interrupts, which the trace shows and continues from; ORC's indirect CFAs cross from IRQ and
 * exception stacks back to the task stack. Bounded: {@link #MAX_FRAMES} frames, SP must move up
 * on a stack, a repeated frame stops. Thread-safe.
 */
public final class Unwinder {
    /** drgn's and this project's bound on a trace. */
    public static final int MAX_FRAMES = 1024;
    /** THREAD_SIZE and IRQ_STACK_SIZE on x86-64 (16 KiB without KASAN): stacks are aligned to it. */
    private static final long STACK_BLOCK = 16 * 1024;

    private final Program prog;
    private final KernelRules rules;

    public Unwinder(Program prog) {
        this.prog = prog;
        this.rules = new KernelRules(prog);
    }

    public Program program() { return prog; }

    /** The symbol at or below {@code pc}: the vmlinux's, else a loaded module's. */
    public Optional<SymbolHit> symbolize(long pc) {
        return rules.symbolize(pc);
    }

    /**
     * A frame's symbol: a return address is looked up at its call (pc - 1), since a call to a
     * noreturn function (panic) may be a function's last instruction; the offset stays pc's.
     */
    private Optional<SymbolHit> frameSymbol(long pc, boolean exact) {
        if (exact) {
            return rules.symbolize(pc);
        }
        return rules.symbolize(pc - 1).map(h -> new SymbolHit(h.symbol(), h.address(), h.letter(), h.offset() + 1,
                h.module()));
    }

    /** Unwinds from {@code first}, whose PC is exact (a CPU's registers, a task's saved switch frame). */
    public StackTrace unwind(RegisterState first) {
        var frames = new ArrayList<Frame>();
        Set<Long> seen = new HashSet<>();
        RegisterState regs = first;
        boolean exact = true;
        Optional<Long> slot = Optional.empty();
        while (true) {
            long pc = regs.pc();
            if (frames.size() >= MAX_FRAMES) {
                return new StackTrace(frames, new Stop.TooDeep(frames.size()));
            }
            if (!rules.isText(pc)) {
                return new StackTrace(frames, new Stop.BadPc(pc));
            }
            Frame frame = new Frame(frames.size(), pc, exact, regs, slot, Frame.Rule.NONE, Optional.empty(),
                    frameSymbol(pc, exact));
            if (!seen.add(pc * 31 + regs.sp())) {
                frames.add(frame);
                return new StackTrace(frames, new Stop.Loop(regs.sp()));
            }
            Step step;
            try {
                step = step(frame);
            } catch (FaultException e) {
                frames.add(frame);
                return new StackTrace(frames, new Stop.Fault(e.address(), e.reason()));
            }
            frames.add(frame.withRule(step.rule(), step.exception()));
            if (step instanceof Step.Last last) {
                return new StackTrace(frames, last.stop());
            }
            Step.Next next = (Step.Next) step;
            if (!movesUp(regs.sp(), next.caller().sp())) {
                return new StackTrace(frames, new Stop.Loop(next.caller().sp()));
            }
            regs = next.caller();
            exact = next.exact();
            slot = next.slot();
        }
    }

    /** What one rule says about a frame's caller. */
    private sealed interface Step {
        Frame.Rule rule();

        Optional<Frame.Exception> exception();

        record Next(Frame.Rule rule, RegisterState caller, boolean exact, Optional<Long> slot,
                    Optional<Frame.Exception> exception) implements Step {}

        record Last(Frame.Rule rule, Stop stop, Optional<Frame.Exception> exception) implements Step {}
    }

    private Step step(Frame f) {
        RegisterState regs = f.registers();
        Optional<OrcEntry> orc = rules.orc(f.lookupPc());
        if (orc.isPresent()) {
            OrcRule rule = orc.get().rule();
            if (!(rule instanceof OrcRule.Undefined)) {
                Optional<Step> s = orcStep(rule, regs);
                if (s.isPresent()) {
                    return s.get();
                }
            }
        }
        Optional<FrameRow> row = rules.cfi(f.lookupPc());
        if (row.isPresent()) {
            Optional<Step> s = cfiStep(row.get(), regs);
            if (s.isPresent()) {
                return s.get();
            }
        }
        OptionalLong bp = regs.get(X86Reg.RBP);
        if (bp.isPresent() && bp.getAsLong() != 0 && orc.isEmpty()) {
            return framePointerStep(bp.getAsLong(), regs);
        }
        return new Step.Last(Frame.Rule.NONE, new Stop.NoRule(f.pc()), Optional.empty());
    }

    /** arch/x86/kernel/unwind_orc.c unwind_next_frame(), on the dump's memory. */
    private Optional<Step> orcStep(OrcRule rule, RegisterState regs) {
        return switch (rule) {
            case OrcRule.Undefined u -> Optional.empty();
            case OrcRule.EndOfStack e -> Optional.of(new Step.Last(Frame.Rule.ORC, new Stop.EndOfStack(), Optional.empty()));
            case OrcRule.Call(OrcRule.Cfa cfa, OrcRule.Bp bp, boolean signal) -> cfa(cfa, regs).map(c -> {
                long ra = prog.u64(c - 8);
                RegisterState caller = RegisterState.empty().with(X86Reg.RIP, ra).with(X86Reg.RSP, c);
                caller = callerBp(bp, c, regs, caller);
                return new Step.Next(Frame.Rule.ORC, caller, signal, Optional.of(c - 8), Optional.empty());
            });
            case OrcRule.Regs(OrcRule.Cfa cfa, OrcRule.Bp bp) -> cfa(cfa, regs).map(c -> {
                RegisterState saved = RegisterState.fromPtRegs(prog, c);
                return ptRegs(new Frame.Exception(c, saved, false), saved);
            });
            case OrcRule.RegsPartial(OrcRule.Cfa cfa, OrcRule.Bp bp) -> cfa(cfa, regs).map(c -> {
                long base = c - X86Reg.IRET_FRAME_OFFSET;
                RegisterState iret = RegisterState.fromPtRegs(prog, base);
                // Only the iret frame is there; the other registers still hold the interrupted code's.
                RegisterState caller = regs;
                RegisterState shown = RegisterState.empty();
                for (X86Reg r : new X86Reg[] {X86Reg.RIP, X86Reg.CS, X86Reg.EFLAGS, X86Reg.RSP, X86Reg.SS}) {
                    caller = caller.with(r, iret.value(r));
                    shown = shown.with(r, iret.value(r));
                }
                caller = callerBp(bp, c, regs, caller);
                return ptRegs(new Frame.Exception(base, shown, true), caller);
            });
        };
    }

    /** After a pt_regs: user mode ends the trace (the syscall or user exception entry); else go on, exact PC. */
    private static Step ptRegs(Frame.Exception e, RegisterState caller) {
        if (caller.userMode()) {
            return new Step.Last(Frame.Rule.ORC, new Stop.UserMode(caller.pc()), Optional.of(e));
        }
        return new Step.Next(Frame.Rule.ORC, caller, true, Optional.empty(), Optional.of(e));
    }

    private RegisterState callerBp(OrcRule.Bp bp, long cfa, RegisterState regs, RegisterState caller) {
        return switch (bp) {
            case OrcRule.Bp.Unchanged u -> regs.get(X86Reg.RBP).isPresent() && !caller.has(X86Reg.RBP)
                    ? caller.with(X86Reg.RBP, regs.value(X86Reg.RBP)) : caller;
            case OrcRule.Bp.AtCfa(int off) -> caller.with(X86Reg.RBP, prog.u64(cfa + off));
            case OrcRule.Bp.AtBp(int off) -> regs.has(X86Reg.RBP)
                    ? caller.with(X86Reg.RBP, prog.u64(regs.value(X86Reg.RBP) + off)) : caller.without(X86Reg.RBP);
        };
    }

    private Optional<Long> cfa(OrcRule.Cfa cfa, RegisterState regs) {
        return switch (cfa) {
            case OrcRule.Cfa.RegisterOffset(OrcReg reg, int off) -> orcReg(reg).flatMap(r -> {
                OptionalLong v = regs.get(r);
                return v.isPresent() ? Optional.of(v.getAsLong() + off) : Optional.empty();
            });
            // call_on_stack(): the old SP was pushed at the top of the new stack.
            case OrcRule.Cfa.SpIndirect(int off) -> Optional.of(prog.u64(regs.sp()) + off);
            case OrcRule.Cfa.BpIndirect(int off) -> regs.has(X86Reg.RBP)
                    ? Optional.of(prog.u64(regs.value(X86Reg.RBP) + off)) : Optional.empty();
        };
    }

    private static Optional<X86Reg> orcReg(OrcReg r) {
        return switch (r) {
            case SP -> Optional.of(X86Reg.RSP);
            case BP -> Optional.of(X86Reg.RBP);
            case DX -> Optional.of(X86Reg.RDX);
            case DI -> Optional.of(X86Reg.RDI);
            case R10 -> Optional.of(X86Reg.R10);
            case R13 -> Optional.of(X86Reg.R13);
            case UNDEFINED, PREV_SP, BP_INDIRECT, SP_INDIRECT -> Optional.empty();
        };
    }

    /** DWARF 5 §6.4.1's rules; callee-saved registers without one keep their value (gcc's CFI omits them). */
    private Optional<Step> cfiStep(FrameRow row, RegisterState regs) {
        if (!(row.cfa() instanceof CfaRule.RegisterOffset(int reg, long off))) {
            return Optional.empty();
        }
        Optional<X86Reg> base = X86Reg.ofDwarf(reg);
        if (base.isEmpty() || !regs.has(base.get())) {
            return Optional.empty();
        }
        long cfa = regs.value(base.get()) + off;
        RegisterState caller = regs.calleeSaved().with(X86Reg.RSP, cfa).without(X86Reg.RIP);
        for (var e : row.registers().entrySet()) {
            Optional<X86Reg> r = X86Reg.ofDwarf(e.getKey());
            if (r.isEmpty()) {
                continue;
            }
            X86Reg target = r.get();
            OptionalLong v = switch (e.getValue()) {
                case RegisterRule.Offset(long o) -> OptionalLong.of(prog.u64(cfa + o));
                case RegisterRule.ValOffset(long o) -> OptionalLong.of(cfa + o);
                case RegisterRule.Register(int from) -> X86Reg.ofDwarf(from).map(regs::get).orElse(OptionalLong.empty());
                case RegisterRule.SameValue s -> regs.get(target);
                case RegisterRule.Undefined u -> OptionalLong.empty();
                case RegisterRule.Expression x -> OptionalLong.empty(); // not emitted for x86-64 kernel code
                case RegisterRule.ValExpression x -> OptionalLong.empty();
            };
            caller = v.isPresent() ? caller.with(target, v.getAsLong()) : caller.without(target);
        }
        X86Reg ra = X86Reg.ofDwarf(row.returnAddressRegister()).orElse(X86Reg.RIP);
        if (!caller.has(ra)) {
            return Optional.of(new Step.Last(Frame.Rule.DWARF_CFI, new Stop.EndOfStack(), Optional.empty()));
        }
        long pc = caller.value(ra);
        caller = caller.with(X86Reg.RIP, pc);
        return Optional.of(new Step.Next(Frame.Rule.DWARF_CFI, caller, row.signalFrame(), Optional.of(cfa - 8),
                Optional.empty()));
    }

    /** With CONFIG_FRAME_POINTER: push %rbp; mov %rsp,%rbp, so [rbp] is the caller's rbp, [rbp+8] the return address. */
    private Step framePointerStep(long bp, RegisterState regs) {
        RegisterState caller = RegisterState.empty().with(X86Reg.RIP, prog.u64(bp + 8)).with(X86Reg.RSP, bp + 16)
                .with(X86Reg.RBP, prog.u64(bp));
        return new Step.Next(Frame.Rule.FRAME_POINTER, caller, false, Optional.of(bp + 8), Optional.empty());
    }

    /** The caller's SP must be above the callee's, unless it is on another stack (IRQ or exception stack to task stack). */
    private static boolean movesUp(long sp, long callerSp) {
        if (Long.compareUnsigned(callerSp, sp) > 0) {
            return true;
        }
        return (sp & -STACK_BLOCK) != (callerSp & -STACK_BLOCK);
    }
}

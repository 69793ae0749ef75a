package kdive.triage;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import kdive.disasm.Access;
import kdive.disasm.CodeWindow;
import kdive.disasm.Instruction;
import kdive.disasm.Operand;
import kdive.oops.FaultInfo;
import kdive.oops.OopsDetails;

/**
 * The faulting instruction and the memory access that went wrong: which operand, which address it
 * computed from the dumped registers, and which register's value made that address bad.
 *
 * @param text the instruction, e.g. {@code mov    %rsi,(%rax)}
 * @param bytes its encoding as hex pairs
 * @param access {@code read}, {@code write}, {@code read-write} or {@code none} for the chosen operand
 * @param memOperand the operand in AT&T syntax, e.g. {@code 0x140(%rdi)}; empty when the instruction has none
 * @param guiltyRegister the register whose value made the bad address ({@code rax}), empty when unknown
 * @param guiltyValue that register's value
 * @param valueMeaning what that value is (NULL, LIST_POISON2...), empty for an ordinary value
 * @param effectiveAddress the address the operand computes with the dumped registers, when computable
 * @param matchesFault whether {@code effectiveAddress} equals the reported fault address (CR2 or header)
 * @param verdict one sentence for a human, e.g. {@code write to 0x0 through %rax = NULL at mov %rsi,(%rax)}
 */
public record FaultingAccess(
        String text,
        String bytes,
        String access,
        String memOperand,
        String guiltyRegister,
        OptionalLong guiltyValue,
        String valueMeaning,
        OptionalLong effectiveAddress,
        Optional<Boolean> matchesFault,
        String verdict) {

    /** Analyses the faulting entry of {@code window}; empty when the window has none. */
    public static Optional<FaultingAccess> analyze(OopsDetails details, CodeWindow window) {
        return analyze(details, window, true);
    }

    /**
     * As {@link #analyze(OopsDetails, CodeWindow)}; {@code addressesKnown} false means the window was decoded
     * at 0 (the oops printed no address), so a rip-relative operand's address is unknown.
     */
    public static Optional<FaultingAccess> analyze(OopsDetails details, CodeWindow window, boolean addressesKnown) {
        Optional<CodeWindow.Entry> faulting = window.entries().stream().filter(CodeWindow.Entry::faulting).findFirst();
        if (faulting.isEmpty()) {
            return Optional.empty();
        }
        var entry = faulting.get();
        var regs = new RegisterFile(details.registers());
        Instruction insn = entry.instruction();
        Optional<FaultInfo> fault = details.fault();
        OptionalLong faultAddress = fault.flatMap(f -> f.address().isPresent()
                ? Optional.of(f.address().getAsLong()) : Optional.empty())
                .map(OptionalLong::of).orElse(OptionalLong.empty());
        OptionalLong nextIp = addressesKnown ? OptionalLong.of(entry.address() + entry.bytes().length)
                : OptionalLong.empty();
        Optional<Operand.Mem> mem = chooseOperand(insn.operands(), fault, regs, nextIp, faultAddress);
        String text = compact(entry.text());
        String hex = HexFormat.ofDelimiter(" ").formatHex(entry.bytes());
        if (mem.isEmpty()) {
            return Optional.of(new FaultingAccess(text, hex, "none", "", "", OptionalLong.empty(), "",
                    OptionalLong.empty(), Optional.empty(), noMemoryVerdict(text, fault, details)));
        }
        Operand.Mem m = mem.get();
        OptionalLong ea = effectiveAddress(m, regs, nextIp);
        Optional<Boolean> matches = ea.isPresent() && faultAddress.isPresent()
                ? Optional.of(covers(ea.getAsLong(), m.size(), faultAddress.getAsLong())) : Optional.empty();
        String guilty = guiltyRegister(m, regs);
        OptionalLong guiltyValue = regs.value(guilty);
        String meaning = guiltyValue.isPresent() ? SuspiciousValue.describe(guiltyValue.getAsLong()).orElse("") : "";
        String access = accessWord(m.access());
        String verdict = verdict(access, ea.isPresent() ? ea : faultAddress, guilty, guiltyValue, meaning, text,
                matches, faultAddress);
        return Optional.of(new FaultingAccess(text, hex, access, att(m), guilty, guiltyValue, meaning, ea, matches,
                verdict));
    }

    private static Optional<Operand.Mem> chooseOperand(List<Operand> operands, Optional<FaultInfo> fault,
                                                       RegisterFile regs, OptionalLong nextIp, OptionalLong faultAddress) {
        List<Operand.Mem> mems = operands.stream()
                .filter(o -> o instanceof Operand.Mem mm && mm.access() != Access.NONE)
                .map(o -> (Operand.Mem) o)
                .toList();
        if (mems.size() <= 1) {
            return mems.stream().findFirst();
        }
        if (faultAddress.isPresent()) {
            for (var m : mems) {
                OptionalLong ea = effectiveAddress(m, regs, nextIp);
                if (ea.isPresent() && covers(ea.getAsLong(), m.size(), faultAddress.getAsLong())) {
                    return Optional.of(m);
                }
            }
        }
        FaultInfo.Access wanted = fault.map(FaultInfo::access).orElse(FaultInfo.Access.UNKNOWN);
        for (var m : mems) {
            if ((wanted == FaultInfo.Access.WRITE && m.access().writes())
                    || (wanted == FaultInfo.Access.READ && m.access().reads())) {
                return Optional.of(m);
            }
        }
        // A store is what usually faults first in read-modify-write forms; prefer the destination.
        return mems.stream().filter(m -> m.access().writes()).findFirst().or(() -> mems.stream().findFirst());
    }

    /**
     * An access of {@code size} bytes at {@code ea} that crosses into an unmapped page faults at the
     * first byte of that page, not at {@code ea}: CR2 anywhere in the accessed bytes is this access.
     */
    static boolean covers(long ea, int size, long fault) {
        long offset = fault - ea;
        return Long.compareUnsigned(offset, Math.max(1, size)) < 0;
    }

    static OptionalLong effectiveAddress(Operand.Mem m, RegisterFile regs, OptionalLong nextIp) {
        long ea = m.displacement();
        if (!m.base().isEmpty()) {
            if (m.base().equals("rip")) {
                if (nextIp.isEmpty()) {
                    return OptionalLong.empty();
                }
                ea += nextIp.getAsLong();
            } else {
                OptionalLong b = regs.value(m.base());
                if (b.isEmpty()) {
                    return OptionalLong.empty();
                }
                ea += b.getAsLong();
            }
        }
        if (!m.index().isEmpty()) {
            OptionalLong i = regs.value(m.index());
            if (i.isEmpty()) {
                return OptionalLong.empty();
            }
            ea += i.getAsLong() * Math.max(1, m.scale());
        }
        if (!m.segment().isEmpty()) {
            // fs:/gs: add the segment base (per-CPU data); the dump prints it as FS:/GS: (or knlGS: for the other).
            OptionalLong seg = regs.value(m.segment());
            if (seg.isEmpty()) {
                return OptionalLong.empty();
            }
            ea += seg.getAsLong();
        }
        if (isRegister32(m.base()) || isRegister32(m.index())) {
            ea &= 0xffffffffL;
        }
        return OptionalLong.of(ea);
    }

    private static boolean isRegister32(String r) {
        return r.length() == 3 && r.charAt(0) == 'e' || r.matches("r(8|9|1[0-5])d");
    }

    private static String guiltyRegister(Operand.Mem m, RegisterFile regs) {
        for (String r : new String[] {m.base(), m.index()}) {
            if (!r.isEmpty() && !r.equals("rip")) {
                OptionalLong v = regs.value(r);
                if (v.isPresent() && SuspiciousValue.describe(v.getAsLong()).isPresent()) {
                    return r;
                }
            }
        }
        return !m.base().isEmpty() && !m.base().equals("rip") ? m.base() : m.index();
    }

    private static String verdict(String access, OptionalLong address, String reg, OptionalLong value,
                                  String meaning, String text, Optional<Boolean> matches, OptionalLong faultAddress) {
        var s = new StringBuilder(switch (access) {
            case "write" -> "write to ";
            case "read" -> "read from ";
            default -> "access to ";
        });
        s.append(address.isPresent() ? hex(address.getAsLong()) : "an unknown address");
        if (address.isPresent() && address.getAsLong() != 0) {
            SuspiciousValue.describe(address.getAsLong()).filter(m -> !m.startsWith("NULL"))
                    .ifPresent(m -> s.append(" (").append(m).append(')'));
        }
        if (!reg.isEmpty() && value.isPresent()) {
            s.append(" through %").append(reg).append(" = ");
            s.append(meaning.isEmpty() ? hex(value.getAsLong()) : shortMeaning(meaning, value.getAsLong()));
        }
        s.append(" at ").append(text);
        if (matches.isPresent() && matches.get() && address.isPresent() && faultAddress.isPresent()
                && address.getAsLong() != faultAddress.getAsLong()) {
            s.append(" (the access reaches into the unmapped page at ").append(hex(faultAddress.getAsLong()))
                    .append(')');
        }
        if (matches.isPresent() && !matches.get()) {
            s.append(" (but the fault address is ").append(hex(faultAddress.getAsLong()))
                    .append(": registers or Code: may not belong to this fault)");
        }
        return s.toString();
    }

    private static String shortMeaning(String meaning, long value) {
        if (meaning.equals("NULL")) {
            return "NULL";
        }
        return hex(value) + " (" + meaning + ")";
    }

    private static String noMemoryVerdict(String text, Optional<FaultInfo> fault, OopsDetails details) {
        if (text.startsWith("ud2")) {
            return "ud2 at the IP: a BUG()/BUG_ON() or WARN() trap, not a bad memory access";
        }
        if (fault.isPresent() && fault.get().access() == FaultInfo.Access.EXEC) {
            return "instruction fetch from " + fault.get().address().stream().mapToObj(FaultingAccess::hex)
                    .findFirst().orElse("an unknown address") + ": the CPU jumped or called there";
        }
        return "the faulting instruction " + text + " has no explicit memory operand";
    }

    private static String accessWord(Access a) {
        return switch (a) {
            case READ -> "read";
            case WRITE -> "write";
            case READ_WRITE -> "read-write";
            case NONE -> "none";
        };
    }

    /** AT&T form of a memory operand: {@code %gs:-0x8(%rax,%rbx,8)}. */
    static String att(Operand.Mem m) {
        var s = new StringBuilder();
        if (!m.segment().isEmpty()) {
            s.append('%').append(m.segment()).append(':');
        }
        boolean hasRegs = !m.base().isEmpty() || !m.index().isEmpty();
        if (m.displacement() != 0 || !hasRegs) {
            s.append(m.displacement() < 0 && hasRegs ? "-0x" + Long.toHexString(-m.displacement())
                    : "0x" + Long.toHexString(m.displacement()));
        }
        if (hasRegs) {
            s.append('(');
            if (!m.base().isEmpty()) {
                s.append('%').append(m.base());
            }
            if (!m.index().isEmpty()) {
                s.append(",%").append(m.index()).append(',').append(Math.max(1, m.scale()));
            }
            s.append(')');
        }
        return s.toString();
    }

    /** objdump pads the mnemonic to a column; one space reads better inside a sentence. */
    static String compact(String text) {
        return text.strip().replaceFirst("\\s+", " ");
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}

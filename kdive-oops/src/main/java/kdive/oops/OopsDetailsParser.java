package kdive.oops;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.SequencedMap;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the structured facts out of one crash report's lines. Works on every x86 layout from
 * 2.6.2x ({@code IP: [<...>]}, {@code Pid: N, comm:}) to 7.x ({@code RIP: 0010:sym}, {@code #PF:}
 * lines, {@code <TASK>} markers), i386, arm and arm64 (riscv, powerpc and s390 locations too), as
 * people paste them (logger stamps, quoting, indentation). The forms of the task line are
 * {@link TaskLine}'s, of the IP {@link IpLine}'s, of trace lines {@link TraceLine}'s. Only the first
 * (kernel) register dump, {@code Code:} line and call trace are taken: later ones describe user
 * mode or a second oops.
 */
public final class OopsDetailsParser {

    private static final Pattern OLD_PROCESS_LINE = Pattern.compile("^Process (.*?) \\(pid: (\\d+),");
    /** 2.6.x x86-64 prints the CPU on a line of its own before "Modules linked in:"; 2.6 i386 as "CPU:    0". */
    private static final Pattern OLD_CPU_LINE = Pattern.compile("^CPU:? +(\\d+) *$");
    /** i386 {@code __show_regs()}: the CPU is only on the EIP line. */
    private static final Pattern EIP_CPU = Pattern.compile("EFLAGS: [0-9a-f]+ CPU: (\\d+)");
    /** Soft lockups and spinlock lockups name the CPU in the header ({@code CPU#1}); soft lockups also the task. */
    private static final Pattern HEADER_CPU = Pattern.compile("(?:soft lockup - |lockup (?:suspected )?on )CPU#(\\d+)");
    private static final Pattern SOFT_LOCKUP_TASK = Pattern.compile("soft lockup - CPU#\\d+ stuck for \\d+s! \\[(.+):(\\d+)\\]");
    private static final Pattern WARNING_CPU = Pattern.compile("WARNING: CPU: (\\d+) PID: (\\d+) at ");
    private static final Pattern TASK_HUNG = Pattern.compile("^INFO: task (.+?):(\\d+) (?:blocked for more than|can't die)");
    private static final Pattern BY_TASK = Pattern.compile(" by task (.+?)/(\\d+)\\s*$");
    /** lockdep's task: {@code comm/pid is trying to...}, {@code comm/pid [HC0[0]:SC1[1]:HE1:SE0] takes:}, lock lists. */
    private static final Pattern LOCKDEP_TASK = Pattern.compile(
            "^(\\S+)/(\\d+) (?:is trying to (?:acquire|release)|just changed the state of|is exiting|is leaving the kernel|\\[HC\\d)"
                    + "|^(?:\\d+|no) locks? held by (\\S+)/(\\d+)[:.]");
    private static final Pattern HARDWARE = Pattern.compile("^Hardware name: (.*?)\\s*$");
    private static final Pattern OOPS_LINE = Pattern.compile("^((?:Oops|Internal error): .*?\\[#\\d+\\].*?)\\s*$");
    private static final Pattern OOPS_CODE = Pattern.compile("^Oops: ([0-9a-f]{1,8}) \\[#\\d+\\]");
    /** arm {@code die("Oops", regs, fsr)}: the fault status (arm) or exception syndrome (arm64) register. */
    private static final Pattern ARM_OOPS_CODE = Pattern.compile("^Internal error: (?:Oops)?: ([0-9a-f]{1,16}) \\[#\\d+\\]");
    private static final Pattern GPF = Pattern.compile(
            "general protection fault(?:, probably for non-canonical address (0x[0-9a-f]+))?(?:,[^:]*)?: ([0-9a-f]{4})");
    private static final Pattern NULL_DEREF_NEW = Pattern.compile(
            "BUG: kernel NULL pointer dereference, address: ([0-9a-f]+)");
    private static final Pattern PAGE_FAULT_NEW = Pattern.compile(
            "BUG: unable to handle page fault for address: ([0-9a-f]+)");
    private static final Pattern UNABLE_OLD = Pattern.compile(
            "BUG: unable to handle kernel (NULL pointer dereference|paging request) at +(\\(null\\)|[0-9a-f]+)");
    /** arm, arm64, riscv, powerpc ({@code for data at address 0x...}); arm since 5.19 says {@code when read}. */
    private static final Pattern ARM_UNABLE = Pattern.compile(
            "Unable to handle kernel (?:NULL pointer dereference|paging request(?: for (?:data|instruction fetch))?"
                    + "|access to user memory|execute from non-executable memory) (?:at virtual address|at address|at)"
                    + " (?:0x)?([0-9a-f]+)(?: when (read|write|execute))?");
    /** arm64 {@code do_bad_area()}: {@code Unhandled fault: synchronous external abort (0x96000010) at 0xffff...}. */
    private static final Pattern ARM_UNHANDLED = Pattern.compile("^Unhandled fault: .*\\(0x([0-9a-f]{1,16})\\) at 0x([0-9a-f]+)");
    private static final Pattern PF_ACCESS = Pattern.compile(
            "^#PF: (supervisor|user) (read access|write access|instruction fetch) in (kernel|user) mode");
    private static final Pattern PF_ERROR = Pattern.compile("^#PF: error_code\\(0x([0-9a-f]+)\\)(?: - (.*?))?\\s*$");
    private static final Pattern KASAN_ACCESS = Pattern.compile(
            "^(Read|Write) of size (\\d+) at addr ([0-9a-f]+)");
    private static final Pattern ARM_WNR = Pattern.compile("WnR = ([01])");
    private static final Pattern REGISTER = Pattern.compile(
            "(?<![A-Za-z0-9_])([A-Za-z][A-Za-z0-9_]{0,7}) ?:\\s*(?:[0-9a-f]{4}:)?\\[?<?([0-9a-f]{8,16})>?\\]?(?:\\([0-9a-f]{4}\\))?(?![0-9a-zA-Z_])");
    private static final Set<String> X86_REGISTERS = Set.of(
            "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9", "r10", "r11", "r12", "r13", "r14",
            "r15", "rip", "eflags", "orig_rax", "fs", "gs", "knlgs", "cs", "ds", "es", "ss", "cr0", "cr2", "cr3",
            "cr4", "dr0", "dr1", "dr2", "dr3", "dr6", "dr7", "pkru", "eax", "ebx", "ecx", "edx", "esi", "edi", "ebp",
            "esp", "eip");
    private static final Pattern ARM_REGISTER_NAME = Pattern.compile("x(?:[0-9]|[12][0-9]|30)|r(?:[0-9]|1[0-2])|sp|lr|pc|ip|fp|pstate|psr");
    private static final Pattern END_MARKER = Pattern.compile(
            "^---\\[ end (?:trace|Kernel panic)|^Kernel panic - not syncing|^Kernel Offset:|^Modules linked in:|^RIP +\\[<|^RSP +<|^(?:CR2|EIP|IP): ");
    private static final Pattern CODE_LINE = Pattern.compile("^Code: ?(.*)$");
    private static final Pattern KERNEL_OFFSET = Pattern.compile("^Kernel Offset: (?:0x([0-9a-f]{1,16}) from 0x[0-9a-f]+|(disabled))");
    /** Lines that open a trace; lockdep's {@code stack backtrace:} is followed by the task line, then frames. */
    private static final Pattern TRACE_START = Pattern.compile(
            "^(?:Call Trace|Call trace|Backtrace|stack backtrace):?\\s*$|^Call Trace:");
    /** Stack markers ({@code show_trace_log_lvl()}): alone on a line since 4.x, before the frame before. */
    private static final Pattern CONTEXT_MARKER = Pattern.compile("^<(<?)(/?)(IRQ|NMI|TASK|SOFTIRQ|EOI|EOE|#DF|DB|MCE|VC|#VC|#DB)>>?\\s*");
    /** How many non-frame lines may sit between a trace's opening line and its first frame (the task line). */
    private static final int TRACE_PREAMBLE = 6;

    private OopsDetailsParser() {}

    /** Parses the lines of one report (raw log lines: timestamps and other prefixes are removed here). */
    public static OopsDetails parse(List<String> rawLines) {
        var s = new State();
        // On a serial console, user-space output interleaves with the oops; when the kernel's lines
        // carry timestamps, a line without one is not the kernel's and must not end the trace.
        boolean timestamped = !rawLines.isEmpty() && LogPrefix.hasTimestamp(rawLines.getFirst().stripLeading());
        for (int i = 0; i < rawLines.size(); i++) {
            String raw = rawLines.get(i).stripLeading();
            if (timestamped && !LogPrefix.hasTimestamp(raw)) {
                continue;
            }
            if (s.line(LogPrefix.strip(raw).strip())) {
                s.lastUseful = i;
            }
        }
        return s.finish();
    }

    /** Mutable accumulator for one pass over the lines; never escapes {@link #parse}. */
    private static final class State {
        String arch = "unknown";
        String release = "";
        String taint = "";
        boolean tainted;
        String hardware = "";
        String comm = "";
        OptionalInt pid = OptionalInt.empty();
        OptionalInt cpu = OptionalInt.empty();
        String oopsLine = "";
        /** A task line (CPU:/Pid:) was read: it names the task better than lockdep's or a header's mention. */
        boolean taskLineSeen;
        /** The previous line was a task line cut after its PID, or one that ended before the release. */
        String cutTaskLine;
        boolean releaseWrapped;
        int oopsCode = -1;
        long armCode = -1;
        OptionalLong faultAddress = OptionalLong.empty();
        String faultKind = "";
        FaultInfo pfLines;
        FaultInfo.Access kasanAccess;
        FaultInfo.Access armAccess;
        Frame ip;
        final SequencedMap<String, Long> registers = new LinkedHashMap<>();
        CodeBytes code;
        final List<Frame> trace = new ArrayList<>();
        boolean registersDone;
        boolean inTrace;
        int tracePreamble;
        boolean traceDone;
        boolean userRegs;
        String context = "";
        int lastUseful;
        OptionalLong kaslrOffset = OptionalLong.empty();

        /** Takes one prefix-free line; true if it belongs to the oops (a fact, a frame or an end marker). */
        boolean line(String line) {
            if (line.isEmpty()) {
                return false;
            }
            if (cutTaskLine != null) {
                String joined = cutTaskLine + line;
                cutTaskLine = null;
                if (TaskLine.parse(joined).isPresent()) {
                    line = joined;
                }
            }
            if (releaseWrapped) {
                releaseWrapped = false;
                var wrapped = TaskLine.wrappedRelease(line);
                if (wrapped.isPresent()) {
                    release = wrapped.get();
                    return true;
                }
            }
            if (inTrace) {
                if (traceLine(line)) {
                    return true;
                }
                if (trace.isEmpty() && tracePreamble < TRACE_PREAMBLE && !TRACE_START.matcher(line).find()) {
                    tracePreamble++;
                    return facts(line);
                }
                if (trace.isEmpty() && TRACE_START.matcher(line).find()) {
                    return true;
                }
                inTrace = false;
                traceDone = true;
            }
            if (!traceDone && (TRACE_START.matcher(line).find() || TraceLine.isArmFrame(line))) {
                inTrace = true;
                tracePreamble = 0;
                registersDone = true;
                if (TraceLine.isArmFrame(line)) {
                    traceLine(line);
                }
                return true;
            }
            return facts(line);
        }

        private boolean facts(String line) {
            int before = facts();
            header(line);
            fault(line);
            ipAndCode(line);
            if (!registersDone && !userRegs) {
                registers(line);
            }
            return facts() != before || END_MARKER.matcher(line).find();
        }

        /** A count that grows whenever a line adds a fact; cheaper than threading booleans through every rule. */
        private int facts() {
            return registers.size() + (ip == null ? 0 : ip.symbol().isEmpty() ? 1 : 2) + (code == null ? 0 : 1)
                    + (cpu.isEmpty() ? 0 : 1) + (pid.isEmpty() ? 0 : 1) + (hardware.isEmpty() ? 0 : 1)
                    + (oopsLine.isEmpty() ? 0 : 1) + (release.isEmpty() ? 0 : 1) + (taskLineSeen ? 1 : 0)
                    + (faultKind.isEmpty() ? 0 : 1) + (pfLines == null ? 0 : pfLines.errorCode() >= 0 ? 2 : 1)
                    + (armAccess == null ? 0 : 1) + (kasanAccess == null ? 0 : 1);
        }

        private void header(String line) {
            Matcher m;
            if (!taskLineSeen && TaskLine.cutAfterPid(line)) {
                cutTaskLine = line;
                return;
            }
            var task = taskLineSeen ? Optional.<TaskLine>empty() : TaskLine.parse(line);
            if (task.isPresent()) {
                taskLine(task.get());
                return;
            }
            if (release.isEmpty() && pid.isEmpty()) {
                var banner = TaskLine.lockdepRelease(line);
                if (banner.isPresent()) {
                    release = banner.get();
                    tainted = line.contains("Tainted:");
                    return;
                }
            }
            if (cpu.isEmpty() && ((m = EIP_CPU.matcher(line)).find() || (m = OLD_CPU_LINE.matcher(line)).find()
                    || (m = HEADER_CPU.matcher(line)).find())) {
                cpu = OptionalInt.of(parseIntSafe(m.group(1)));
            }
            if (taskLineSeen) {
                if (hardware.isEmpty() && (m = HARDWARE.matcher(line)).find()) {
                    hardware = m.group(1);
                } else if (oopsLine.isEmpty()) {
                    oopsLine(line);
                }
                return;
            }
            if (pid.isEmpty() && (m = OLD_PROCESS_LINE.matcher(line)).find()) {
                comm = m.group(1);
                pid = OptionalInt.of(parseIntSafe(m.group(2)));
            } else if (cpu.isEmpty() && pid.isEmpty() && (m = WARNING_CPU.matcher(line)).find()) {
                cpu = OptionalInt.of(parseIntSafe(m.group(1)));
                pid = OptionalInt.of(parseIntSafe(m.group(2)));
            } else if (pid.isEmpty() && ((m = TASK_HUNG.matcher(line)).find() || (m = BY_TASK.matcher(line)).find()
                    || (m = SOFT_LOCKUP_TASK.matcher(line)).find())) {
                comm = m.group(1);
                pid = OptionalInt.of(parseIntSafe(m.group(2)));
            } else if (pid.isEmpty() && (m = LOCKDEP_TASK.matcher(line)).find()) {
                int g = m.group(1) != null ? 1 : 3;
                comm = m.group(g);
                pid = OptionalInt.of(parseIntSafe(m.group(g + 1)));
            } else if (hardware.isEmpty() && (m = HARDWARE.matcher(line)).find()) {
                hardware = m.group(1);
            } else if (oopsLine.isEmpty()) {
                oopsLine(line);
            }
        }

        /** The task line names the task better than lockdep's or a header's mention of it: it wins. */
        private void taskLine(TaskLine t) {
            taskLineSeen = true;
            if (t.cpu().isPresent()) {
                cpu = t.cpu();
            }
            pid = t.pid();
            comm = t.comm();
            tainted = t.tainted();
            taint = t.taint();
            if (!t.release().isEmpty()) {
                release = t.release();
            } else if (release.isEmpty()) {
                releaseWrapped = true;
            }
            if (hardware.isEmpty() && !t.hardware().isEmpty()) {
                hardware = t.hardware();
            }
        }

        private void oopsLine(String line) {
            Matcher m = OOPS_LINE.matcher(line);
            if (!m.find()) {
                return;
            }
            oopsLine = m.group(1);
            Matcher c = OOPS_CODE.matcher(line);
            if (c.find()) {
                oopsCode = Integer.parseInt(c.group(1), 16);
            } else if ((c = ARM_OOPS_CODE.matcher(line)).find()) {
                armCode = Long.parseUnsignedLong(c.group(1), 16);
            }
        }

        private void fault(String line) {
            Matcher m;
            if (!faultKind.isEmpty() && pfLines != null && pfLines.errorCode() >= 0) {
                return;
            }
            if (faultKind.isEmpty()) {
                if ((m = NULL_DEREF_NEW.matcher(line)).find() || (m = PAGE_FAULT_NEW.matcher(line)).find()) {
                    faultKind = "page fault";
                    faultAddress = TraceLine.hex(m.group(1));
                    return;
                }
                if ((m = UNABLE_OLD.matcher(line)).find()) {
                    faultKind = "page fault";
                    faultAddress = m.group(2).equals("(null)") ? OptionalLong.of(0) : TraceLine.hex(m.group(2));
                    return;
                }
                if ((m = GPF.matcher(line)).find()) {
                    faultKind = m.group(1) != null ? "general protection fault (non-canonical address)"
                            : "general protection fault";
                    faultAddress = m.group(1) != null ? TraceLine.hex(m.group(1).substring(2)) : OptionalLong.empty();
                    return;
                }
                if ((m = ARM_UNABLE.matcher(line)).find()) {
                    faultKind = "data abort";
                    faultAddress = TraceLine.hex(m.group(1));
                    if (m.group(2) != null) {
                        armAccess = switch (m.group(2)) {
                            case "write" -> FaultInfo.Access.WRITE;
                            case "execute" -> FaultInfo.Access.EXEC;
                            default -> FaultInfo.Access.READ;
                        };
                    }
                    return;
                }
                if ((m = ARM_UNHANDLED.matcher(line)).find()) {
                    faultKind = "data abort";
                    faultAddress = TraceLine.hex(m.group(2));
                    armCode = Long.parseUnsignedLong(m.group(1), 16);
                    return;
                }
                if ((m = KASAN_ACCESS.matcher(line)).find()) {
                    faultKind = "KASAN";
                    faultAddress = TraceLine.hex(m.group(3));
                    kasanAccess = m.group(1).equals("Read") ? FaultInfo.Access.READ : FaultInfo.Access.WRITE;
                    return;
                }
            }
            if ((m = PF_ACCESS.matcher(line)).find()) {
                var access = switch (m.group(2)) {
                    case "write access" -> FaultInfo.Access.WRITE;
                    case "instruction fetch" -> FaultInfo.Access.EXEC;
                    default -> FaultInfo.Access.READ;
                };
                var mode = m.group(3).equals("user") ? FaultInfo.Mode.USER : FaultInfo.Mode.KERNEL;
                pfLines = new FaultInfo(OptionalLong.empty(), access, mode, "", -1, "#PF lines");
            } else if ((m = PF_ERROR.matcher(line)).find() && pfLines != null) {
                int code = (int) Long.parseLong(m.group(1), 16);
                String cause = m.group(2) != null ? m.group(2) : "";
                if (cause.equals("permissions violation")) {
                    cause = "protection violation";
                }
                pfLines = new FaultInfo(OptionalLong.empty(), pfLines.access(), pfLines.mode(), cause, code, "#PF lines");
            } else if ((m = ARM_WNR.matcher(line)).find() && armAccess == null) {
                armAccess = m.group(1).equals("1") ? FaultInfo.Access.WRITE : FaultInfo.Access.READ;
            }
        }

        private void ipAndCode(String line) {
            var at = IpLine.parse(line);
            if (at.isPresent()) {
                IpLine l = at.get();
                if (l.userMode()) {
                    userRegs = true;
                    return;
                }
                if (l.segment()) {
                    userRegs = false;
                }
                if (ip == null) {
                    ip = l.frame();
                    if (arch.equals("unknown") || !l.arch().equals("unknown")) {
                        arch = l.arch().equals("unknown") ? arch : l.arch();
                    }
                } else if (ip.symbol().isEmpty() && !l.frame().symbol().isEmpty()
                        && (ip.address().isEmpty() || l.frame().address().isEmpty()
                            || ip.address().equals(l.frame().address()))) {
                    // i386 prints the address on the EIP line and the symbol on "EIP is at"; 2.6.x x86-64 and
                    // arm the other way round: keep both.
                    Frame f = l.frame();
                    ip = new Frame(ip.address().isPresent() ? ip.address() : f.address(), f.symbol(), f.offset(),
                            f.size(), f.module(), true, "", "");
                } else if (ip.address().isEmpty() && l.frame().address().isPresent()
                        && (l.frame().symbol().isEmpty() || l.frame().symbol().equals(ip.symbol()))) {
                    ip = new Frame(l.frame().address(), ip.symbol(), ip.offset(), ip.size(), ip.module(), true, "", "");
                }
                return;
            }
            Matcher m;
            if (code == null && !userRegs && (m = CODE_LINE.matcher(line)).find()) {
                code = CodeLine.parse(line, m.group(1));
            } else if (kaslrOffset.isEmpty() && (m = KERNEL_OFFSET.matcher(line)).find()) {
                kaslrOffset = m.group(2) != null ? OptionalLong.of(0) : TraceLine.hex(m.group(1));
            }
        }

        private void registers(String line) {
            Matcher m = REGISTER.matcher(line);
            while (m.find()) {
                String name = m.group(1).toLowerCase(Locale.ROOT);
                boolean x86 = X86_REGISTERS.contains(name);
                boolean arm = !x86 && !arch.startsWith("x86") && !arch.equals("i386")
                        && ARM_REGISTER_NAME.matcher(name).matches();
                if (!x86 && !arm) {
                    continue;
                }
                registers.putIfAbsent(name, Long.parseUnsignedLong(m.group(2), 16));
                if (arm && arch.equals("unknown")) {
                    arch = name.startsWith("x") ? "arm64" : "arm";
                }
            }
        }

        private boolean traceLine(String line) {
            Matcher m = CONTEXT_MARKER.matcher(line);
            while (m.lookingAt()) {
                context = m.group(2).isEmpty() && m.group(1).isEmpty() ? m.group(3).replace("#", "") : "";
                line = line.substring(m.end());
                if (line.isEmpty()) {
                    return true;
                }
                m = CONTEXT_MARKER.matcher(line);
            }
            return switch (TraceLine.parse(line, context)) {
                case TraceLine.AFrame(Frame f) -> {
                    trace.add(f);
                    yield trace.size() < MAX_FRAMES;
                }
                case TraceLine.Inside() -> true;
                // New kernels print the user-mode registers of a syscall inside the trace; they end it.
                case TraceLine.Outside() -> false;
            };
        }

        OopsDetails finish() {
            return new OopsDetails(arch, release, taint, tainted, hardware, comm, pid, cpu, oopsLine, faultInfo(),
                    Optional.ofNullable(ip), registers, Optional.ofNullable(code), trace, lastUseful, kaslrOffset);
        }

        private Optional<FaultInfo> faultInfo() {
            OptionalLong address = faultAddress;
            boolean pageFault = faultKind.equals("page fault");
            if (pageFault && address.isEmpty() && registers.containsKey("cr2")) {
                address = OptionalLong.of(registers.get("cr2"));
            }
            if (pfLines != null) {
                String cause = !pfLines.cause().isEmpty() ? pfLines.cause()
                        : pfLines.errorCode() >= 0 ? FaultInfo.fromPageFaultErrorCode(pfLines.errorCode(), address, "").cause()
                        : "";
                return Optional.of(new FaultInfo(address, pfLines.access(), pfLines.mode(), cause, pfLines.errorCode(),
                        "#PF lines"));
            }
            if (pageFault && oopsCode >= 0) {
                return Optional.of(FaultInfo.fromPageFaultErrorCode(oopsCode, address,
                        "Oops: %04x error code".formatted(oopsCode)));
            }
            FaultInfo.Access fromArmCode = armCode >= 0 ? ArmFault.access(armCode, faultKind.equals("data abort"))
                    : FaultInfo.Access.UNKNOWN;
            if (faultKind.isEmpty() && fromArmCode == FaultInfo.Access.UNKNOWN) {
                return Optional.empty();
            }
            var access = kasanAccess != null ? kasanAccess : armAccess != null ? armAccess : fromArmCode;
            var mode = faultKind.equals("KASAN") || faultKind.startsWith("general") ? FaultInfo.Mode.KERNEL
                    : FaultInfo.Mode.UNKNOWN;
            String cause = faultKind.equals("page fault") || faultKind.isEmpty() ? "" : faultKind;
            String evidence = faultKind.isEmpty() ? "Internal error: Oops code" : faultKind + " header";
            return Optional.of(new FaultInfo(address, access, mode, cause, -1, evidence));
        }
    }

    /** Stops a pathological trace (a looping unwinder prints forever) from growing without bound. */
    static final int MAX_FRAMES = 1024;

    private static int parseIntSafe(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Parsing of {@code Code:} lines: byte groups with one marked group. */
    static final class CodeLine {
        private CodeLine() {}

        static CodeBytes parse(String line, String body) {
            String[] tokens = body.strip().split("\\s+");
            var out = new java.io.ByteArrayOutputStream();
            int marker = -1;
            int unit = 0;
            for (String token : tokens) {
                if (token.isEmpty()) {
                    continue;
                }
                boolean marked = (token.startsWith("<") && token.endsWith(">"))
                        || (token.startsWith("(") && token.endsWith(")"));
                String hexText = marked ? token.substring(1, token.length() - 1) : token;
                if (hexText.isEmpty() || hexText.length() % 2 != 0 || hexText.length() > 8 || !isHex(hexText)) {
                    break; // "Bad RIP value." or trailing garbage: keep what came before
                }
                if (unit == 0) {
                    unit = hexText.length() / 2;
                } else if (unit != hexText.length() / 2) {
                    break;
                }
                if (marked && marker < 0) {
                    marker = out.size();
                }
                byte[] b = HexFormat.of().parseHex(hexText);
                // Multi-byte groups are instruction words printed as numbers; memory order is little-endian.
                for (int i = b.length - 1; i >= 0; i--) {
                    out.write(b[i]);
                }
            }
            return new CodeBytes(out.toByteArray(), marker, Math.max(unit, 1), line);
        }

        private static boolean isHex(String s) {
            for (int i = 0; i < s.length(); i++) {
                if (Character.digit(s.charAt(i), 16) < 0) {
                    return false;
                }
            }
            return true;
        }
    }
}

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
 * 2.6.32 ({@code IP: [<...>]}, {@code Pid: N, comm:}) to 6.x ({@code RIP: 0010:sym}, {@code #PF:}
 * lines, {@code <TASK>} markers), and on the ARM/arm64 register and trace shapes. Only the first
 * (kernel) register dump, {@code Code:} line and call trace are taken: later ones describe user
 * mode or a second oops.
 */
public final class OopsDetailsParser {

    private static final Pattern CPU_LINE = Pattern.compile(
            "CPU: (\\d+) (?:UID: \\d+ )?PID: (\\d+) Comm: (.*?) +(?:Not tainted|Tainted: ([A-Z ]*?)) +(\\S+)(?: #|$)");
    private static final Pattern OLD_PID_LINE = Pattern.compile(
            "^Pid: (\\d+), comm: (.*?) +(?:Not tainted|Tainted: ([A-Z ]*?)) +(\\S+) #\\S*(?: (.*))?$");
    private static final Pattern OLD_PROCESS_LINE = Pattern.compile("^Process (.*?) \\(pid: (\\d+),");
    /** Where no "CPU: N PID: N Comm:" line exists, other lines still name the task or the CPU. */
    /** 2.6.x x86-64 prints the CPU on a line of its own before "Modules linked in:". */
    private static final Pattern OLD_CPU_LINE = Pattern.compile("^CPU (\\d+) *$");
    private static final Pattern WARNING_CPU = Pattern.compile("WARNING: CPU: (\\d+) PID: (\\d+) at ");
    private static final Pattern TASK_HUNG = Pattern.compile("^INFO: task (.+?):(\\d+) (?:blocked for more than|can't die)");
    private static final Pattern BY_TASK = Pattern.compile(" by task (.+?)/(\\d+)\\s*$");
    private static final Pattern LOCKDEP_TASK = Pattern.compile(
            "^(\\S+)/(\\d+) (?:is trying to acquire|just changed the state of|is exiting|is leaving the kernel)");
    private static final Pattern HARDWARE = Pattern.compile("^Hardware name: (.*?)\\s*$");
    private static final Pattern OOPS_LINE = Pattern.compile("^((?:Oops|Internal error): .*?\\[#\\d+\\].*?)\\s*$");
    private static final Pattern OOPS_CODE = Pattern.compile("^Oops: ([0-9a-f]{1,8}) \\[#\\d+\\]");
    private static final Pattern GPF = Pattern.compile(
            "general protection fault(?:, probably for non-canonical address (0x[0-9a-f]+))?(?:,[^:]*)?: ([0-9a-f]{4})");
    private static final Pattern NULL_DEREF_NEW = Pattern.compile(
            "BUG: kernel NULL pointer dereference, address: ([0-9a-f]+)");
    private static final Pattern PAGE_FAULT_NEW = Pattern.compile(
            "BUG: unable to handle page fault for address: ([0-9a-f]+)");
    private static final Pattern UNABLE_OLD = Pattern.compile(
            "BUG: unable to handle kernel (NULL pointer dereference|paging request) at +(\\(null\\)|[0-9a-f]+)");
    private static final Pattern ARM_UNABLE = Pattern.compile(
            "Unable to handle kernel (?:NULL pointer dereference|paging request|access to user memory|execute from non-executable memory)[^\\n]*? (?:at virtual address|at) (?:0x)?([0-9a-f]+)");
    private static final Pattern PF_ACCESS = Pattern.compile(
            "^#PF: (supervisor|user) (read access|write access|instruction fetch) in (kernel|user) mode");
    private static final Pattern PF_ERROR = Pattern.compile("^#PF: error_code\\(0x([0-9a-f]+)\\)(?: - (.*?))?\\s*$");
    private static final Pattern KASAN_ACCESS = Pattern.compile(
            "^(Read|Write) of size (\\d+) at addr ([0-9a-f]+)");
    private static final Pattern ARM_WNR = Pattern.compile("WnR = ([01])");
    private static final Pattern IP_LINE = Pattern.compile(
            "^(?:IP|RIP|EIP): (?:([0-9a-f]{4}):)?(?:\\[<([0-9a-f]+)>\\] *)?(.*)$");
    private static final Pattern ARM64_PC = Pattern.compile("^pc : (?:\\[<([0-9a-f]+)>\\] *)?(.*?)(?:\\s{2,}lr : .*)?$");
    private static final Pattern ARM_PC_IS_AT = Pattern.compile("^PC is at (.*)$");
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
    private static final Pattern TRACE_START = Pattern.compile("^(?:Call Trace|Call trace|Backtrace):?\\s*$|^Call Trace:");
    private static final Pattern CONTEXT_MARKER = Pattern.compile("^<(/?)(IRQ|NMI|TASK|SOFTIRQ|EOI|#DF|DB|MCE|VC|#VC|#DB)>$");
    private static final Pattern FRAME = Pattern.compile(
            "^(?:\\[<([0-9a-f]+)>\\] *)?(\\? +)?([A-Za-z_.$][A-Za-z0-9_.$@]*)\\+0x([0-9a-f]+)(?:/0x([0-9a-f]+))?"
                    + "(?: +\\[([A-Za-z0-9_\\-]+)(?: [A-Za-z0-9_]+)?\\])?(?: +(\\S+:\\d+)(?: \\[inline\\])?)?\\s*$");
    private static final Pattern INLINE_FRAME = Pattern.compile(
            "^(\\? +)?([A-Za-z_.$][A-Za-z0-9_.$@]*) +(\\S+:\\d+) \\[inline\\]\\s*$");
    private static final Pattern BARE_FRAME = Pattern.compile("^\\[<([0-9a-f]+)>\\] *(\\? +)?(?:0x[0-9a-f]+)?\\s*$|^(\\? +)?0x([0-9a-f]+)\\s*$");
    private static final Pattern ARM_FROM_FRAME = Pattern.compile(
            "^\\[<([0-9a-f]+)>\\] \\(([A-Za-z_.$][A-Za-z0-9_.$@]*)\\+0x([0-9a-f]+)/0x([0-9a-f]+)(?: \\[([A-Za-z0-9_\\-]+)\\])?\\)");
    private static final Pattern SYMBOL_OFFSET = Pattern.compile(
            "^([A-Za-z_.$][A-Za-z0-9_.$@]*)\\+0x([0-9a-f]+)(?:/0x([0-9a-f]+))?(?: \\[([A-Za-z0-9_\\-]+)\\])?");

    private OopsDetailsParser() {}

    /** Parses the lines of one report (raw log lines: timestamps and other prefixes are removed here). */
    public static OopsDetails parse(List<String> rawLines) {
        var s = new State();
        // On a serial console, user-space output interleaves with the oops; when the kernel's lines
        // carry timestamps, a line without one is not the kernel's and must not end the trace.
        boolean timestamped = !rawLines.isEmpty() && LogPrefix.hasTimestamp(rawLines.getFirst());
        for (int i = 0; i < rawLines.size(); i++) {
            String raw = rawLines.get(i);
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
        boolean cpuLineSeen;
        int oopsCode = -1;
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
        boolean traceDone;
        boolean userRegs;
        String context = "";
        int lastUseful;

        /** Takes one prefix-free line; true if it belongs to the oops (a fact, a frame or an end marker). */
        boolean line(String line) {
            if (line.isEmpty()) {
                return false;
            }
            if (inTrace) {
                if (traceLine(line)) {
                    return true;
                }
                inTrace = false;
                traceDone = true;
            }
            if (!traceDone && TRACE_START.matcher(line).find()) {
                inTrace = true;
                registersDone = true;
                return true;
            }
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
            return registers.size() + (ip == null ? 0 : 1) + (code == null ? 0 : 1) + (cpu.isEmpty() ? 0 : 1)
                    + (pid.isEmpty() ? 0 : 1) + (hardware.isEmpty() ? 0 : 1) + (oopsLine.isEmpty() ? 0 : 1)
                    + (faultKind.isEmpty() ? 0 : 1) + (pfLines == null ? 0 : pfLines.errorCode() >= 0 ? 2 : 1)
                    + (armAccess == null ? 0 : 1) + (kasanAccess == null ? 0 : 1);
        }

        private void header(String line) {
            Matcher m;
            if (!cpuLineSeen && (m = CPU_LINE.matcher(line)).find()) {
                cpuLineSeen = true;
                cpu = OptionalInt.of(parseIntSafe(m.group(1)));
                pid = OptionalInt.of(parseIntSafe(m.group(2)));
                comm = m.group(3);
                tainted = m.group(4) != null;
                taint = m.group(4) == null ? "" : m.group(4).strip();
                release = m.group(5);
            } else if (pid.isEmpty() && (m = OLD_PID_LINE.matcher(line)).find()) {
                pid = OptionalInt.of(parseIntSafe(m.group(1)));
                comm = m.group(2);
                tainted = m.group(3) != null;
                taint = m.group(3) == null ? "" : m.group(3).strip();
                release = m.group(4);
                if (hardware.isEmpty() && m.group(5) != null) {
                    hardware = m.group(5).strip();
                }
            } else if (pid.isEmpty() && (m = OLD_PROCESS_LINE.matcher(line)).find()) {
                comm = m.group(1);
                pid = OptionalInt.of(parseIntSafe(m.group(2)));
            } else if (cpu.isEmpty() && (m = OLD_CPU_LINE.matcher(line)).find()) {
                cpu = OptionalInt.of(parseIntSafe(m.group(1)));
            } else if (cpu.isEmpty() && pid.isEmpty() && (m = WARNING_CPU.matcher(line)).find()) {
                cpu = OptionalInt.of(parseIntSafe(m.group(1)));
                pid = OptionalInt.of(parseIntSafe(m.group(2)));
            } else if (pid.isEmpty() && ((m = TASK_HUNG.matcher(line)).find() || (m = BY_TASK.matcher(line)).find()
                    || (m = LOCKDEP_TASK.matcher(line)).find())) {
                comm = m.group(1);
                pid = OptionalInt.of(parseIntSafe(m.group(2)));
            } else if (hardware.isEmpty() && (m = HARDWARE.matcher(line)).find()) {
                hardware = m.group(1);
            } else if (oopsLine.isEmpty() && (m = OOPS_LINE.matcher(line)).find()) {
                oopsLine = m.group(1);
                Matcher c = OOPS_CODE.matcher(line);
                if (c.find()) {
                    oopsCode = Integer.parseInt(c.group(1), 16);
                }
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
                    faultAddress = hex(m.group(1));
                    return;
                }
                if ((m = UNABLE_OLD.matcher(line)).find()) {
                    faultKind = "page fault";
                    faultAddress = m.group(2).equals("(null)") ? OptionalLong.of(0) : hex(m.group(2));
                    return;
                }
                if ((m = GPF.matcher(line)).find()) {
                    faultKind = m.group(1) != null ? "general protection fault (non-canonical address)"
                            : "general protection fault";
                    faultAddress = m.group(1) != null ? hex(m.group(1).substring(2)) : OptionalLong.empty();
                    return;
                }
                if ((m = ARM_UNABLE.matcher(line)).find()) {
                    faultKind = "data abort";
                    faultAddress = hex(m.group(1));
                    return;
                }
                if ((m = KASAN_ACCESS.matcher(line)).find()) {
                    faultKind = "KASAN";
                    faultAddress = hex(m.group(3));
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
            Matcher m;
            if ((m = IP_LINE.matcher(line)).find()) {
                String cs = m.group(1);
                userRegs = cs != null && isUserCodeSegment(cs);
                if (ip == null && !userRegs) {
                    ip = location(m.group(2), m.group(3));
                    if (line.startsWith("RIP") || line.startsWith("IP")) {
                        arch = "x86_64";
                    } else {
                        arch = "i386";
                    }
                }
                return;
            }
            if (ip == null && (m = ARM64_PC.matcher(line)).find()) {
                ip = location(m.group(1), m.group(2));
                arch = "arm64";
                return;
            }
            if (ip == null && (m = ARM_PC_IS_AT.matcher(line)).find()) {
                ip = location(null, m.group(1));
                arch = "arm";
                return;
            }
            if (code == null && !userRegs && (m = CODE_LINE.matcher(line)).find()) {
                code = CodeLine.parse(line, m.group(1));
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
            if (m.matches()) {
                context = m.group(1).isEmpty() ? m.group(2).replace("#", "") : "";
                return true;
            }
            if ((m = FRAME.matcher(line)).find()) {
                trace.add(new Frame(hex(m.group(1)), m.group(3), parseHexSafe(m.group(4)),
                        m.group(5) == null ? 0 : parseHexSafe(m.group(5)), nz(m.group(6)), m.group(2) == null,
                        context, nz(m.group(7))));
                return trace.size() < MAX_FRAMES;
            }
            if ((m = INLINE_FRAME.matcher(line)).find()) {
                trace.add(new Frame(OptionalLong.empty(), m.group(2), 0, 0, "", m.group(1) == null, context,
                        m.group(3)));
                return trace.size() < MAX_FRAMES;
            }
            if ((m = ARM_FROM_FRAME.matcher(line)).find()) {
                trace.add(new Frame(hex(m.group(1)), m.group(2), parseHexSafe(m.group(3)), parseHexSafe(m.group(4)),
                        nz(m.group(5)), true, context, ""));
                return trace.size() < MAX_FRAMES;
            }
            if ((m = BARE_FRAME.matcher(line)).find()) {
                String addr = m.group(1) != null ? m.group(1) : m.group(4);
                boolean unreliable = m.group(2) != null || m.group(3) != null;
                trace.add(new Frame(hex(addr), "", 0, 0, "", !unreliable, context, ""));
                return trace.size() < MAX_FRAMES;
            }
            // New kernels print the user-mode registers of a syscall inside the trace; they end it.
            return false;
        }

        OopsDetails finish() {
            return new OopsDetails(arch, release, taint, tainted, hardware, comm, pid, cpu, oopsLine, faultInfo(),
                    Optional.ofNullable(ip), registers, Optional.ofNullable(code), trace, lastUseful);
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
            if (faultKind.isEmpty()) {
                return Optional.empty();
            }
            var access = kasanAccess != null ? kasanAccess : armAccess != null ? armAccess : FaultInfo.Access.UNKNOWN;
            var mode = faultKind.equals("KASAN") || faultKind.startsWith("general") ? FaultInfo.Mode.KERNEL
                    : FaultInfo.Mode.UNKNOWN;
            String cause = faultKind.equals("page fault") ? "" : faultKind;
            return Optional.of(new FaultInfo(address, access, mode, cause, -1, faultKind + " header"));
        }
    }

    /** Stops a pathological trace (a looping unwinder prints forever) from growing without bound. */
    static final int MAX_FRAMES = 1024;

    private static boolean isUserCodeSegment(String cs) {
        int v = Integer.parseInt(cs, 16);
        return (v & 3) == 3; // RPL 3: the registers were saved from user mode
    }

    private static Frame location(String address, String rest) {
        OptionalLong addr = hex(address);
        String text = rest == null ? "" : rest.strip();
        Matcher m = SYMBOL_OFFSET.matcher(text);
        if (m.find()) {
            return new Frame(addr, m.group(1), parseHexSafe(m.group(2)), m.group(3) == null ? 0 : parseHexSafe(m.group(3)),
                    nz(m.group(4)), true, "", "");
        }
        if (addr.isEmpty() && text.startsWith("0x")) {
            addr = hex(text.substring(2).split("[^0-9a-f]", 2)[0]);
        }
        return new Frame(addr, "", 0, 0, "", true, "", "");
    }

    static OptionalLong hex(String s) {
        if (s == null || s.isEmpty() || s.length() > 16) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseUnsignedLong(s, 16));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static long parseHexSafe(String s) {
        return hex(s).orElse(0);
    }

    private static int parseIntSafe(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
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

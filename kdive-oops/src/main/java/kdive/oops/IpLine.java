package kdive.oops;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A line of a register dump that says where the CPU was, in each arch's {@code show_regs()} form:
 * <ul>
 *   <li>x86-64: {@code RIP: 0010:[<addr>]  [<addr>] sym+off/size [mod]} (before 4.x, the address twice),
 *       {@code RIP: 0010:sym+off/size [mod]} (4.x on, no address), {@code IP: [<addr>] sym} (the
 *       page-fault header of 2.6.x/3.x), {@code IP: [<addr>] :mod:sym} (2.6.2x's module form);
 *   <li>i386: {@code EIP: 0060:[<addr>] EFLAGS: ... CPU: N} and {@code EIP is at sym+off/size [mod]};
 *   <li>arm: {@code PC is at sym+off/size [mod]} and {@code pc : [<addr>]    lr : [<addr>]};
 *       arm64: {@code pc : sym+off/size [mod]} ({@code pc : [<addr>] lr : ...} before 4.x);
 *   <li>riscv: {@code epc : sym+off/size} and {@code epc: <addr> ra : ...}; powerpc:
 *       {@code NIP [addr] sym+off/size [mod]}; s390: {@code Krnl PSW : mask addr (sym+off/size [mod])}.
 * </ul>
 *
 * @param frame the location: address and/or symbol, whichever the line shows
 * @param arch the arch the line's form belongs to ({@code unknown} when it does not tell)
 * @param segment the line shows an x86 code segment
 * @param userMode the code segment is a user one (RPL 3): these registers were saved from user mode
 */
record IpLine(Frame frame, String arch, boolean segment, boolean userMode) {

    private static final String ADDR = "\\[<([0-9a-f]+)>\\]";
    private static final Pattern X86 = Pattern.compile(
            "^(E?IP|RIP): (?:([0-9a-f]{4}):)?(?:" + ADDR + " *)?(?:\\[<[0-9a-f]+>\\] *)?(.*)$");
    private static final Pattern EIP_IS_AT = Pattern.compile("^EIP is at (.*)$");
    private static final Pattern ARM64_PC = Pattern.compile("^pc : (?:" + ADDR + " *)?(.*?)(?:\\s{1,}lr : .*)?$");
    private static final Pattern ARM_PC_IS_AT = Pattern.compile("^PC is at (.*)$");
    private static final Pattern RISCV_EPC = Pattern.compile("^epc ?: (?:([0-9a-f]{8,16})(?: |$)|(.*))");
    private static final Pattern PPC_NIP = Pattern.compile("^NIP \\[([0-9a-f]{8,16})\\] (.*)$");
    private static final Pattern S390_PSW = Pattern.compile("^Krnl PSW : [0-9a-f]{16} ([0-9a-f]{16}) \\((.*)\\)\\s*$");
    /** {@code sym+0x1/0x2 [mod]}, and 2.6.2x's {@code :mod:sym+0x1/0x2}. */
    private static final Pattern SYMBOL_OFFSET = Pattern.compile(
            "^(?::([A-Za-z0-9_\\-]+):)?([A-Za-z_.$][A-Za-z0-9_.$@]*)\\+0x([0-9a-f]+)(?:/0x([0-9a-f]+))?"
                    + "(?: \\[([A-Za-z0-9_\\-]+)(?: [0-9a-f]+)?\\])?");

    /** The location {@code line} gives, if it is such a line. */
    static Optional<IpLine> parse(String line) {
        Matcher m;
        if ((m = X86.matcher(line)).find()) {
            String cs = m.group(2);
            boolean user = cs != null && (Integer.parseInt(cs, 16) & 3) == 3; // RPL 3
            String arch = m.group(1).equals("EIP") ? "i386" : "x86_64";
            return Optional.of(new IpLine(location(m.group(3), m.group(4)), arch, cs != null, user));
        }
        if ((m = EIP_IS_AT.matcher(line)).find()) {
            return Optional.of(new IpLine(location(null, m.group(1)), "i386", false, false));
        }
        if ((m = ARM64_PC.matcher(line)).find()) {
            return Optional.of(new IpLine(location(m.group(1), m.group(2)), "arm64", false, false));
        }
        if ((m = ARM_PC_IS_AT.matcher(line)).find()) {
            return Optional.of(new IpLine(location(null, m.group(1)), "arm", false, false));
        }
        if ((m = RISCV_EPC.matcher(line)).find()) {
            return Optional.of(new IpLine(location(m.group(1), m.group(2)), "riscv64", false, false));
        }
        if ((m = PPC_NIP.matcher(line)).find()) {
            return Optional.of(new IpLine(location(m.group(1), m.group(2)), "powerpc", false, false));
        }
        if ((m = S390_PSW.matcher(line)).find()) {
            return Optional.of(new IpLine(location(m.group(1), m.group(2)), "s390x", false, false));
        }
        return Optional.empty();
    }

    private static Frame location(String address, String rest) {
        OptionalLong addr = TraceLine.hex(address);
        String text = rest == null ? "" : rest.strip();
        Matcher m = SYMBOL_OFFSET.matcher(text);
        if (m.find()) {
            String module = m.group(5) != null ? m.group(5) : m.group(1) != null ? m.group(1) : "";
            return new Frame(addr, m.group(2), hexValue(m.group(3)), hexValue(m.group(4)), module, true, "", "");
        }
        if (addr.isEmpty() && text.startsWith("0x")) {
            addr = TraceLine.hex(text.substring(2).split("[^0-9a-f]", 2)[0]);
        }
        return new Frame(addr, "", 0, 0, "", true, "", "");
    }

    private static long hexValue(String s) {
        return TraceLine.hex(s).orElse(0);
    }
}

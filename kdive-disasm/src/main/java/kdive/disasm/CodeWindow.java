package kdive.disasm;

import java.util.List;

import kdive.disasm.internal.WindowDecoder;
import kdive.io.FormatException;

/**
 * The instructions around the faulting one, decoded from an oops {@code Code:} line.
 *
 * <p>The kernel prints a fixed number of bytes before the faulting instruction (x86
 * {@code show_opcodes}: 42 before, 22 from the IP on) and marks the byte at the IP as {@code <48>};
 * some printers use {@code (48)}. The caller parses the line and passes the bytes and the marker's
 * index; both marker forms mean the same here. {@code Code: Bad RIP value.} has no bytes: use
 * {@link #badRip()}.
 *
 * <p>The bytes before the marker usually begin inside an instruction. Several start offsets decode
 * into a stream landing exactly on the marker; which of them is shown depends on the {@link Policy}
 * (default {@link Policy#PROVEN}). Nothing before the marker is shown when no plausible start
 * syncs ({@link #prefixRecovered()} false).
 * After the marker it decodes forward until the bytes run out; a cut-off last instruction is dropped.
 *
 * @param entries decoded instructions in address order
 * @param prefixRecovered true if the entries include instructions before the faulting one
 * @param note one line on how the window was decoded, for reports
 */
public record CodeWindow(List<Entry> entries, boolean prefixRecovered, String note) {

    /** How far back before the marker to decode. */
    public enum Policy {
        /**
         * Only from the earliest position that every plausible decoding passes through, so it is a
         * true instruction boundary whatever the cut instruction at the window's start was (if it is at
         * most 11 bytes long). On real gcc output 99.85-100% of windows show only true instructions, with
         * about 72% of the complete instructions before the marker (CodeWindowMeasurementTest). The default.
         */
        PROVEN,
        /**
         * From the start whose instructions score highest for plausibility, the earliest on ties. Shows
         * about as much, but the first instruction is the tail of a cut instruction in about 36% of
         * windows (measured 64% precision).
         */
        EARLIEST_PLAUSIBLE
    }

    public CodeWindow {
        entries = List.copyOf(entries);
    }

    /**
     * One decoded instruction of the window.
     *
     * @param offsetFromFault byte offset of the instruction from the faulting IP (negative before it)
     * @param address faulting IP + {@code offsetFromFault}
     * @param text objdump-style text, e.g. {@code mov    %rsi,(%rax)}
     * @param faulting true for the instruction at the IP
     */
    public record Entry(int offsetFromFault, long address, byte[] bytes, String text, boolean faulting,
                        Instruction instruction) {
        public Entry {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() { return bytes.clone(); }
    }

    /**
     * Decodes a {@code Code:} window.
     *
     * @param code the bytes of the line, marker byte included
     * @param marker index in {@code code} of the marked byte (the one at the faulting IP)
     * @param faultIp value of the IP, i.e. the address of {@code code[marker]}
     * @throws FormatException if {@code marker} is not an index into {@code code}
     */
    public static CodeWindow decode(Disassembler disassembler, byte[] code, int marker, long faultIp,
                                    Syntax syntax) {
        return decode(disassembler, code, marker, faultIp, syntax, Policy.PROVEN);
    }

    /** As {@link #decode(Disassembler, byte[], int, long, Syntax)} with an explicit {@link Policy}. */
    public static CodeWindow decode(Disassembler disassembler, byte[] code, int marker, long faultIp,
                                    Syntax syntax, Policy policy) {
        if (code.length == 0) {
            return badRip();
        }
        if (marker < 0 || marker >= code.length) {
            throw new FormatException("oops Code: line", -1,
                    "marker index %d inside the %d code bytes".formatted(marker, code.length));
        }
        return WindowDecoder.decode(disassembler, code, marker, faultIp, syntax, policy);
    }

    /** AT&T syntax, as oopses and objdump show it. */
    public static CodeWindow decode(Disassembler disassembler, byte[] code, int marker, long faultIp) {
        return decode(disassembler, code, marker, faultIp, Syntax.ATT);
    }

    /** The window of {@code Code: Bad RIP value.}: the kernel could not read the bytes at the IP. */
    public static CodeWindow badRip() {
        return new CodeWindow(List.of(), false, "no code bytes (Code: Bad RIP value.)");
    }

    /** The faulting instruction, if its bytes were complete. */
    public java.util.Optional<Entry> faulting() {
        return entries.stream().filter(Entry::faulting).findFirst();
    }
}

package kdive.oops;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.SequencedMap;

/**
 * The structured facts of one oops, read from its text: who crashed, where, what fault, the
 * register dump, the {@code Code:} bytes and the call trace. Absent facts are empty, never guessed.
 *
 * @param arch {@code x86_64}, {@code i386}, {@code arm64}, {@code arm}, {@code riscv64}, or {@code unknown}
 * @param release kernel release from the {@code CPU: ... Comm: ...} line, empty when absent
 * @param taint taint flags ({@code "G        W  O"}), empty for "Not tainted" or when absent
 * @param tainted whether the kernel said it is tainted
 * @param hardware the {@code Hardware name:} value, empty when absent
 * @param comm task name, empty when absent
 * @param pid task id
 * @param cpu CPU number
 * @param oopsLine the {@code Oops: 0002 [#1] SMP} line (or the GPF/invalid-opcode variant), empty when absent
 * @param fault what the CPU reported about the bad access, if the report shows one
 * @param ip the faulting instruction's location ({@code RIP:}/{@code IP:}/{@code pc :}), if shown
 * @param registers register name (lower case: {@code rax}, {@code rip}, {@code eflags}, {@code cr2}, {@code x0}...)
 *        to value, in the order printed; only the first (kernel) register dump
 * @param code the {@code Code:} bytes of the kernel IP, if printed
 * @param callTrace frames of the first call trace, in order
 * @param lastLine index (in the lines given to the parser) of the last line that belonged to this oops
 * @param kaslrOffset the kernel image's KASLR slide when the log prints it ({@code Kernel Offset: 0x... from
 *        0x...}, x86 and arm64 {@code dump_kernel_offset()}; 0 for {@code Kernel Offset: disabled}), else empty
 */
public record OopsDetails(
        String arch,
        String release,
        String taint,
        boolean tainted,
        String hardware,
        String comm,
        OptionalInt pid,
        OptionalInt cpu,
        String oopsLine,
        Optional<FaultInfo> fault,
        Optional<Frame> ip,
        SequencedMap<String, Long> registers,
        Optional<CodeBytes> code,
        List<Frame> callTrace,
        int lastLine,
        OptionalLong kaslrOffset) {

    public OopsDetails {
        registers = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(registers));
        callTrace = List.copyOf(callTrace);
    }

    public OptionalLong register(String name) {
        Long v = registers.get(name);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }
}

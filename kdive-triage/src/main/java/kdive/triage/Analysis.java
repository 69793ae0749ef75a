package kdive.triage;

import java.util.List;
import java.util.Optional;
import kdive.disasm.CodeWindow;
import kdive.oops.CrashReport;
import kdive.oops.OopsDetails;

/**
 * Everything triage learned about one crash report from its text.
 *
 * @param source the input as the user named it ({@code -} for stdin)
 * @param report title, type and region found by the report parser (line numbers are in the input)
 * @param details registers, fault, IP, code bytes and call trace
 * @param code the {@code Code:} bytes decoded around the faulting instruction (empty when there were none)
 * @param codeAddressesKnown whether {@code code}'s entry addresses are real: printed in the oops, or the
 *        function's address in the vmlinux (see {@code code().note()}); when false they count from 0 at the
 *        faulting instruction and reports show offsets only
 * @param certainFrom offset (from the fault) of the first {@code code} instruction that every plausible
 *        decoding of the bytes agrees on; instructions before it are the most plausible guess
 * @param faultingAccess the faulting instruction's memory access and the register that made it bad
 * @param observations facts worth a look, e.g. two registers holding the same object address
 * @param decoder which disassembler decoded the code, or why none did
 * @param symbols file:line and inline chains from the debug vmlinux, when one was given
 */
public record Analysis(
        String source,
        CrashReport report,
        OopsDetails details,
        CodeWindow code,
        boolean codeAddressesKnown,
        int certainFrom,
        Optional<FaultingAccess> faultingAccess,
        List<String> observations,
        String decoder,
        Optional<Symbolized> symbols) {

    public Analysis {
        observations = List.copyOf(observations);
    }

    /** The function to blame: the parser's guilty frame, else the IP's symbol. */
    public String guiltyFrame() {
        if (!report.frame().isEmpty()) {
            return report.frame();
        }
        return details.ip().map(f -> f.symbol()).orElse("");
    }
}

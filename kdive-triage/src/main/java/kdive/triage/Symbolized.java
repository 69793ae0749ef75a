package kdive.triage;

import java.util.List;

/**
 * A report's code locations resolved with the debug vmlinux: each chain lists the innermost
 * function first, then the functions it was inlined into.
 *
 * @param vmlinux the debug file used
 * @param ip the faulting instruction's chain (empty when it could not be resolved)
 * @param callTrace one chain per call-trace frame, in trace order (empty lists where unresolved)
 * @param code one chain per decoded {@code Code:} instruction, in window order
 * @param operands the faulting instruction's operands named in source terms (empty without DWARF variables)
 * @param warnings why something could not be resolved (module frames, symbol size mismatch)
 */
public record Symbolized(String vmlinux, List<SourceFrame> ip, List<List<SourceFrame>> callTrace,
                         List<List<SourceFrame>> code, List<NamedOperand> operands, List<String> warnings) {

    public Symbolized {
        ip = List.copyOf(ip);
        callTrace = callTrace.stream().map(List::copyOf).toList();
        code = code.stream().map(List::copyOf).toList();
        operands = List.copyOf(operands);
        warnings = List.copyOf(warnings);
    }
}

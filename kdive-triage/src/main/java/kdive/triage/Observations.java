package kdive.triage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kdive.oops.OopsDetails;

/** Facts in a register dump that deserve a look before any tool is opened. */
final class Observations {

    private static final Set<String> GENERAL = Set.of("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "r8", "r9",
            "r10", "r11", "r12", "r13", "r14", "r15", "eax", "ebx", "ecx", "edx", "esi", "edi", "ebp");

    private Observations() {}

    static List<String> of(OopsDetails details) {
        var out = new ArrayList<String>();
        sharedPointers(details, out);
        suspiciousRegisters(details, out);
        return out;
    }

    /**
     * Two registers holding the same kernel pointer often mean "the new object is the list head"
     * (the seed incident: RSI == RDX), i.e. an object overlapping another.
     */
    private static void sharedPointers(OopsDetails details, List<String> out) {
        Map<Long, List<String>> byValue = new LinkedHashMap<>();
        details.registers().forEach((name, value) -> {
            if (GENERAL.contains(name) && value < 0 && SuspiciousValue.canonical(value) && value != -1L) {
                byValue.computeIfAbsent(value, v -> new ArrayList<>()).add(name);
            }
        });
        byValue.forEach((value, names) -> {
            if (names.size() > 1) {
                out.add("%s hold the same kernel address 0x%x".formatted(
                        String.join(" == ", names.stream().map(n -> "%" + n).toList()), value));
            }
        });
    }

    /** Poison values in registers other than the faulting one point at freed or deleted objects. */
    private static void suspiciousRegisters(OopsDetails details, List<String> out) {
        details.registers().forEach((name, value) -> {
            if (GENERAL.contains(name) && value != 0) {
                SuspiciousValue.describe(value).filter(d -> d.toLowerCase(java.util.Locale.ROOT).contains("poison"))
                        .ifPresent(d -> out.add("%%%s = 0x%x: %s".formatted(name, value, d)));
            }
        });
    }
}

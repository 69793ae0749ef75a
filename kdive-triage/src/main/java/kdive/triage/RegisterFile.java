package kdive.triage;

import java.util.Map;
import java.util.OptionalLong;
import java.util.SequencedMap;

/**
 * Register values from an oops dump, readable under any x86 sub-register name: {@code esi} is the
 * low half of {@code rsi}, {@code r8d} of {@code r8}, {@code al} the low byte of {@code rax}.
 */
record RegisterFile(SequencedMap<String, Long> dump) {

    private static final Map<String, String> LEGACY = Map.of(
            "ax", "rax", "bx", "rbx", "cx", "rcx", "dx", "rdx", "si", "rsi", "di", "rdi", "bp", "rbp", "sp", "rsp");

    /** The value of {@code name} (lower case, no %), narrowed to the sub-register's width. */
    OptionalLong value(String name) {
        if (name.isEmpty()) {
            return OptionalLong.empty();
        }
        Long exact = dump.get(name);
        if (exact != null) {
            return OptionalLong.of(exact);
        }
        String full = fullName(name);
        Long v = full.equals(name) ? null : dump.get(full);
        if (v == null) {
            return OptionalLong.empty();
        }
        if (name.length() == 2 && name.charAt(1) == 'h') {
            return OptionalLong.of((v >>> 8) & 0xff); // ah, bh, ch, dh: the second byte
        }
        int bits = width(name);
        return OptionalLong.of(bits == 64 ? v : v & ((1L << bits) - 1));
    }

    /**
     * The 64-bit register a sub-register belongs to: {@code esi} -> {@code rsi}, {@code r8d} ->
     * {@code r8}, {@code al} -> {@code rax}; other names as they are.
     */
    static String fullName(String name) {
        if (name.matches("r(8|9|1[0-5])[dwb]")) {
            return name.substring(0, name.length() - 1);
        }
        if (name.length() == 3 && name.charAt(0) == 'e') {
            return "r" + name.substring(1);
        }
        if (LEGACY.containsKey(name)) {
            return LEGACY.get(name);
        }
        if (name.length() == 2 && (name.charAt(1) == 'l' || name.charAt(1) == 'h')) {
            return "r" + name.charAt(0) + "x";
        }
        if (name.matches("(si|di|bp|sp)l")) {
            return LEGACY.get(name.substring(0, 2));
        }
        return name;
    }

    /** Bits of a sub-register name ({@link #fullName} gives its register). */
    private static int width(String name) {
        if (name.matches("r(8|9|1[0-5])[dwb]")) {
            return switch (name.charAt(name.length() - 1)) {
                case 'd' -> 32;
                case 'w' -> 16;
                default -> 8;
            };
        }
        if (name.length() == 3 && name.charAt(0) == 'e') {
            return 32;
        }
        return LEGACY.containsKey(name) ? 16 : 8;
    }
}

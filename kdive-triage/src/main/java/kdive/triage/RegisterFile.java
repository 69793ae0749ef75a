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
        if (name.matches("r(8|9|1[0-5])[dwb]")) {
            return narrow(name.substring(0, name.length() - 1), widthOfSuffix(name.charAt(name.length() - 1)));
        }
        if (name.length() == 3 && name.charAt(0) == 'e') {
            return narrow("r" + name.substring(1), 32);
        }
        if (LEGACY.containsKey(name)) {
            return narrow(LEGACY.get(name), 16);
        }
        if (name.length() == 2 && (name.charAt(1) == 'l' || name.charAt(1) == 'h')) {
            String full = "r" + name.charAt(0) + "x";
            OptionalLong v = narrow(full, 16);
            if (v.isEmpty()) {
                return v;
            }
            return OptionalLong.of(name.charAt(1) == 'l' ? v.getAsLong() & 0xff : (v.getAsLong() >>> 8) & 0xff);
        }
        if (name.matches("(si|di|bp|sp)l")) {
            return narrow(LEGACY.get(name.substring(0, 2)), 8);
        }
        return OptionalLong.empty();
    }

    private OptionalLong narrow(String full, int bits) {
        Long v = dump.get(full);
        if (v == null) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(bits == 64 ? v : v & ((1L << bits) - 1));
    }

    private static int widthOfSuffix(char c) {
        return switch (c) {
            case 'd' -> 32;
            case 'w' -> 16;
            default -> 8;
        };
    }
}

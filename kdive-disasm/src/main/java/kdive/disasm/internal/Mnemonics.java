package kdive.disasm.internal;

import java.util.Set;

/** Mnemonic spelling helpers shared by both backends. */
final class Mnemonics {
    private Mnemonics() {}

    /** Base mnemonics that AT&T syntax may spell with a b/w/l/q size suffix. */
    static final Set<String> SUFFIXABLE = Set.of(
            "mov", "add", "sub", "and", "or", "xor", "cmp", "test", "adc", "sbb", "inc", "dec", "neg", "not",
            "mul", "imul", "div", "idiv", "lea", "push", "pop", "shl", "shr", "sal", "sar", "rol", "ror", "rcl",
            "rcr", "nop", "call", "jmp", "ret", "xchg", "cmpxchg", "xadd", "bt", "bts", "btr", "btc", "movs",
            "stos", "lods", "scas", "cmps", "ins", "outs", "in", "out", "bsf", "bsr", "popcnt", "lzcnt", "tzcnt",
            "shld", "shrd", "iret", "lret", "enter", "leave", "pushf", "popf", "cmov", "movnti", "sysret",
            "sysexit", "cvtsi2ss", "cvtsi2sd", "crc32", "movbe", "lgdt", "sgdt", "lidt", "sidt", "str", "sldt",
            "lldt", "ltr", "smsw", "lmsw", "verr", "verw", "lar", "lsl", "bswap", "fild", "fist", "fistp");

    /** Prefix words objdump and Capstone put before the mnemonic proper. */
    static final Set<String> PREFIX_WORDS = Set.of(
            "lock", "rep", "repz", "repe", "repnz", "repne", "cs", "ds", "es", "ss", "fs", "gs", "data16",
            "data32", "addr32", "addr16", "notrack", "bnd", "xacquire", "xrelease", "rex", "rex.w");

    /** The mnemonic without prefix words or AT&T size suffix, lower case: {@code "lock addl"} -> {@code "add"}. */
    static String base(String mnemonic) {
        String m = lastWord(mnemonic).toLowerCase(java.util.Locale.ROOT);
        if (SUFFIXABLE.contains(m) || m.length() < 2) {
            return m;
        }
        if (isCmovWithSuffix(m)) {
            return m.substring(0, m.length() - 1);
        }
        char last = m.charAt(m.length() - 1);
        String stem = m.substring(0, m.length() - 1);
        if ((last == 'b' || last == 'w' || last == 'l' || last == 'q') && SUFFIXABLE.contains(stem)) {
            return stem;
        }
        return m;
    }

    /** Condition codes of cmovcc/setcc/jcc (SDM vol. 2, appendix B.1.4.7). */
    static final Set<String> CONDITIONS = Set.of("o", "no", "b", "c", "nae", "ae", "nb", "nc", "e", "z", "ne",
            "nz", "be", "na", "a", "nbe", "s", "ns", "p", "pe", "np", "po", "l", "nge", "ge", "nl", "le", "ng",
            "g", "nle");

    /** {@code cmovneq} -> true; {@code cmovl}, {@code cmovle} -> false. */
    static boolean isCmovWithSuffix(String m) {
        if (!m.startsWith("cmov") || m.length() < 6) {
            return false;
        }
        char last = m.charAt(m.length() - 1);
        return (last == 'w' || last == 'l' || last == 'q')
                && CONDITIONS.contains(m.substring(4, m.length() - 1));
    }

    static String lastWord(String mnemonic) {
        String m = mnemonic.strip();
        int space = m.lastIndexOf(' ');
        return space < 0 ? m : m.substring(space + 1);
    }

    /** True if the mnemonic is a bare prefix (objdump prints a prefix it cannot attach as its own line). */
    static boolean isBarePrefix(String mnemonic) {
        String m = mnemonic.strip().toLowerCase(java.util.Locale.ROOT);
        return PREFIX_WORDS.contains(m) || m.startsWith("rex.") || m.startsWith("{");
    }
}

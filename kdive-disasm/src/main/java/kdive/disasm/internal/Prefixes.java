package kdive.disasm.internal;

/**
 * Legacy and REX prefixes of an encoding (Intel SDM vol. 2, 2.1.1 and 2.2.1), judged by what
 * compilers emit.
 */
final class Prefixes {
    private Prefixes() {}

    static boolean isLegacy(int b) {
        return switch (b) {
            case 0xf0, 0xf2, 0xf3, 0x2e, 0x36, 0x3e, 0x26, 0x64, 0x65, 0x66, 0x67 -> true;
            default -> false;
        };
    }

    static boolean isRex(int b) {
        return (b & 0xf0) == 0x40;
    }

    /**
     * Penalty of the prefixes of {@code bytes}: 0 for what compilers emit, 1 (reject) for redundant
     * or contradictory ones. A REX prefix must come last (SDM 2.2.1: otherwise it is ignored), so a
     * REX followed by another prefix, two REX bytes, or a plain {@code 0x40} on an instruction with
     * no byte register are all signs of decoding from the wrong offset.
     */
    static double penalty(byte[] bytes, String base) {
        boolean nop = base.equals("nop") || base.equals("xchg");
        boolean branch = base.startsWith("j") || base.equals("call") || base.equals("ret");
        int i = 0;
        int segments = 0;
        int opsize = 0;
        int rep = 0;
        boolean sawRex = false;
        double penalty = 0;
        for (; i < bytes.length - 1; i++) {
            int b = bytes[i] & 0xff;
            if (isRex(b)) {
                if (sawRex) {
                    return 1;
                }
                sawRex = true;
                continue;
            }
            if (!isLegacy(b)) {
                break;
            }
            if (sawRex) {
                return 1;
            }
            switch (b) {
                case 0x2e, 0x36, 0x3e, 0x26 -> {
                    segments++;
                    if (!nop && !branch) {
                        return 1; // null segment overrides in 64-bit mode: only padding on nops and calls
                    }
                }
                case 0x64, 0x65 -> segments++;
                case 0x66 -> opsize++;
                case 0x67 -> penalty += 0.9;
                case 0xf0, 0xf2, 0xf3 -> rep++;
                default -> { }
            }
        }
        if (segments > 1 && !nop || opsize > 1 && !nop || rep > 1) {
            return 1;
        }
        if (sawRex && (bytes[i - 1] & 0xff) == 0x40 && !usesUniformByteRegister(base, bytes)) {
            return 1;
        }
        return penalty;
    }

    /**
     * A bare REX (0x40) only matters for spl/bpl/sil/dil (SDM 3.7.2.1); without it the compiler
     * leaves it out. We cannot see registers from bytes cheaply, so byte-sized opcodes are allowed.
     */
    private static boolean usesUniformByteRegister(String base, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            if (b == 0x40) {
                if (i + 1 >= bytes.length) {
                    return false;
                }
                int op = bytes[i + 1] & 0xff;
                // Opcodes whose operand size is 8 bits: 00,02,08,0a,...,84,86,88,8a,b0-b7,c0,c6,d0,d2,f6,fe,0f xx (setcc, movzx).
                return (op & 0xc5) == 0 && op < 0x40 || op == 0x84 || op == 0x86 || op == 0x88 || op == 0x8a
                        || op >= 0xb0 && op <= 0xb7 || op == 0xc0 || op == 0xc6 || op == 0xd0 || op == 0xd2
                        || op == 0xf6 || op == 0xfe || op == 0x0f || op == 0x80 || op == 0x38 || op == 0x3a;
            }
        }
        return false;
    }
}

package kdive.elf.orc;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The layouts of {@code struct orc_entry} (arch/x86/include/asm/orc_types.h). The two s16
 * offsets never moved; the 16 flag bits did:
 * <pre>
 *  bit      0-3     4-7     8-10                    11
 *  V1       sp_reg  bp_reg  type:2, end:1           -       4.14 (ee9f8fce9964) to 6.2
 *  V2       sp_reg  bp_reg  type:2, signal:1        end     6.3  (ffb1b4a41016 adds 'signal')
 *  V3       sp_reg  bp_reg  type:3                  signal  6.4+ (fb799447ae29 splits UNWIND_HINT_EMPTY)
 * </pre>
 * V1/V2 types are CALL 0, REGS 1, REGS_IRET/REGS_PARTIAL 2; "no rule" is {@code sp_reg ==
 * ORC_REG_UNDEFINED} and the end of the stack the same with {@code end} set. V3 names both as
 * types (UNDEFINED 0, END_OF_STACK 1, CALL 2, REGS 3, REGS_PARTIAL 4). The version numbers are
 * ours (drgn's too); the kernel has none, only, since 6.4 (b9f174c811e3, backported to 6.3.10),
 * a {@code .orc_header} section holding a 20-byte hash of orc_types.h.
 */
public enum OrcVersion {
    V1, V2, V3;

    /** ORC_HASH of the V3 orc_types.h (scripts/orc_hash.sh, Linux 6.4+). */
    private static final byte[] HASH_V3 = HexFormat.of().parseHex("fe5d32bf581bd63b2ca9a5c65ba5a625eab3fe24");
    /** ORC_HASH of the V2 orc_types.h (6.3.10+ stable kernels carry the header too). */
    private static final byte[] HASH_V2 = HexFormat.of().parseHex("db84aed4103b31dd51e017f8f79783ca985c2c51");
    private static final Pattern RELEASE = Pattern.compile("^(\\d+)\\.(\\d+)");

    /** The version named by an {@code .orc_header}'s hash; empty for a hash we do not know. */
    public static Optional<OrcVersion> fromHeader(byte[] header) {
        if (Arrays.equals(header, HASH_V3)) {
            return Optional.of(V3);
        }
        if (Arrays.equals(header, HASH_V2)) {
            return Optional.of(V2);
        }
        return Optional.empty();
    }

    /**
     * The version of a kernel without {@code .orc_header}, by its release ("6.1.0-50-cloud-amd64"):
     * 6.3 kernels before 6.3.10 and early 6.4 ones lack the header, so the release decides.
     */
    public static OrcVersion fromRelease(String release) {
        Matcher m = RELEASE.matcher(release);
        if (!m.find()) {
            return V1;
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        if (major > 6 || major == 6 && minor >= 4) {
            return V3;
        }
        return major == 6 && minor == 3 ? V2 : V1;
    }
}

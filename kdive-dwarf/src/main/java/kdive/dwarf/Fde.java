package kdive.dwarf;

import java.util.Optional;

/**
 * A Frame Description Entry (DWARF 5 §6.4.1): the code range {@code [pcBegin, pcEnd)} and the
 * instructions that build its rows on top of its CIE's initial ones.
 *
 * @param offset offset of the entry's length field in {@link Cie#section()}
 * @param lsda the language-specific data area ('L' augmentation), for exception handling
 */
public record Fde(
        long offset,
        Cie cie,
        long pcBegin,
        long pcEnd,
        Optional<Cie.Pointer> lsda,
        long instructionsOffset,
        long instructionsLength) {

    public String section() {
        return cie.section();
    }

    public boolean contains(long pc) {
        return Long.compareUnsigned(pc, pcBegin) >= 0 && Long.compareUnsigned(pc, pcEnd) < 0;
    }
}

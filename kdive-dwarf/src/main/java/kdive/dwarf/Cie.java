package kdive.dwarf;

import java.util.Optional;

/**
 * A Common Information Entry (DWARF 5 §6.4.1; .eh_frame per the LSB and the x86-64 psABI
 * §3.7): what all FDEs pointing at it share.
 *
 * @param section {@code .eh_frame} or {@code .debug_frame}
 * @param offset offset of the entry's length field in the section
 * @param version 1, 3 or 4
 * @param augmentation as written ({@code ""}, {@code "zR"}, {@code "zPLR"}, {@code "eh"}...)
 * @param addressSize bytes of a target address (version 4 field, else the ELF class)
 * @param segmentSize bytes of a segment selector before each FDE's address (version 4; 0 otherwise)
 * @param codeAlignment factor of every advance_loc delta
 * @param dataAlignment factor of every factored offset
 * @param returnAddressRegister the column holding the return address
 * @param fdeEncoding DW_EH_PE_* of FDE addresses ('R'; absptr without it)
 * @param lsdaEncoding DW_EH_PE_* of FDE LSDA pointers ('L'; DW_EH_PE_omit without it)
 * @param personality the personality routine ('P'), or where its address is stored when indirect
 * @param signalFrame 'S': frames of this CIE are signal trampolines, their PC is not a return address
 * @param instructionsOffset section offset of the initial instructions
 * @param instructionsLength their byte count
 */
public record Cie(
        String section,
        long offset,
        int version,
        String augmentation,
        int addressSize,
        int segmentSize,
        long codeAlignment,
        long dataAlignment,
        int returnAddressRegister,
        int fdeEncoding,
        int lsdaEncoding,
        Optional<Pointer> personality,
        boolean signalFrame,
        long instructionsOffset,
        long instructionsLength) {

    /** DW_EH_PE_omit: no value present. */
    public static final int DW_EH_PE_OMIT = 0xff;

    /**
     * A pointer read with a DW_EH_PE_* encoding, its base applied. When {@code indirect}
     * (DW_EH_PE_indirect), {@code address} is where the real pointer is stored (often a GOT slot).
     */
    public record Pointer(long address, boolean indirect) {}
}

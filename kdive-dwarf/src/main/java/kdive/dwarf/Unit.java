package kdive.dwarf;

/**
 * A unit header in .debug_info (DWARF 5 §7.5.1; DWARF 2-4 §7.5.1.1). Offsets are .debug_info
 * offsets: {@code offset} of the header, {@code firstDie} of the root DIE, {@code end} one past
 * the unit.
 */
public record Unit(
        int index,
        long offset,
        int version,
        int unitType,
        int addressSize,
        int offsetSize,
        long abbrevOffset,
        long firstDie,
        long end) {

    public static final int DW_UT_COMPILE = 1;
    public static final int DW_UT_TYPE = 2;
    public static final int DW_UT_PARTIAL = 3;
    public static final int DW_UT_SKELETON = 4;
    public static final int DW_UT_SPLIT_COMPILE = 5;
    public static final int DW_UT_SPLIT_TYPE = 6;

    /** True when {@code dieOffset} lies inside this unit's DIEs. */
    public boolean contains(long dieOffset) {
        return dieOffset >= firstDie && dieOffset < end;
    }
}

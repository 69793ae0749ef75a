package kdive.dwarf;

/**
 * What the root DIE of a unit says about the unit as a whole (DWARF 5 §3.1.1). Offsets and bases
 * are -1 when absent, except {@code strOffsetsBase}/{@code addrBase}/{@code rnglistsBase}, which
 * default to just past the DWARF 5 section header (8 bytes for 32-bit DWARF) as GCC lays them out.
 *
 * @param baseAddress DW_AT_low_pc of the unit: the base of its range and location lists
 */
public record UnitInfo(
        int tag,
        String name,
        String compDir,
        int language,
        long baseAddress,
        long stmtList,
        long strOffsetsBase,
        long addrBase,
        long rnglistsBase,
        long loclistsBase) {}

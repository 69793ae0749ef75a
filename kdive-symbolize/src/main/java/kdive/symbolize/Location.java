package kdive.symbolize;

import java.util.List;

/**
 * What an address resolves to: {@code frames} innermost first (the first is where the code is,
 * the others the inlined-into callers). {@code found} is false when nothing (no DWARF, no
 * symbol) covers the address; {@code symbol}/{@code symbolOffset} give the ELF symbol at or
 * below the address when there is one.
 */
public record Location(long address, boolean found, List<Frame> frames, String symbol, long symbolOffset) {

    public Location {
        frames = List.copyOf(frames);
    }
}

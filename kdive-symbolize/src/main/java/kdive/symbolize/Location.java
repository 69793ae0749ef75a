package kdive.symbolize;

import java.util.List;

/**
 * What an address resolves to: {@code frames} innermost first (the first is where the code is,
 * the others the inlined-into callers). {@code found} is false when nothing (no DWARF, no
 * symbol) covers the address; addr2line then prints {@code ??} and {@code ??:0}.
 */
public record Location(long address, boolean found, List<Frame> frames) {

    public Location {
        frames = List.copyOf(frames);
    }
}

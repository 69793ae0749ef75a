package kdive.dwarf;

/** A half-open address range {@code [low, high)}, unsigned. */
public record AddressRange(long low, long high) {

    public boolean contains(long address) {
        return Long.compareUnsigned(address, low) >= 0 && Long.compareUnsigned(address, high) < 0;
    }

    public long length() {
        return high - low;
    }
}

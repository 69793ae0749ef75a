package kdive.oops;

/**
 * The bytes of an oops {@code Code:} line and which one the IP points at.
 *
 * @param bytes the code bytes in memory order
 * @param markerIndex index in {@code bytes} of the first byte of the marked unit ({@code <48>} or {@code (..)})
 * @param unitSize bytes per printed group: 1 on x86, 2 or 4 on ARM (words printed as numbers, stored little-endian)
 * @param line the {@code Code:} line as printed
 */
public record CodeBytes(byte[] bytes, int markerIndex, int unitSize, String line) {

    public CodeBytes {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() { return bytes.clone(); }

    public boolean hasMarker() { return markerIndex >= 0; }
}

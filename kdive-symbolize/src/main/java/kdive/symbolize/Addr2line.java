package kdive.symbolize;

/** Formats a {@link Location} byte for byte as {@code addr2line -f -i -e FILE ADDR} (binutils 2.40) does. */
public final class Addr2line {
    private Addr2line() {}

    public static String format(Location loc) {
        if (!loc.found()) {
            return "??\n??:0\n";
        }
        var sb = new StringBuilder();
        for (Frame f : loc.frames()) {
            sb.append(f.function() == null || f.function().isEmpty() ? "??" : f.function()).append('\n');
            sb.append(f.file() == null ? "??" : f.file()).append(':');
            long line = f.line() & 0xffffffffL;
            if (line == 0) {
                sb.append("?\n");
            } else if (f.discriminator() != 0) {
                sb.append(line).append(" (discriminator ").append(f.discriminator() & 0xffffffffL).append(")\n");
            } else {
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }
}

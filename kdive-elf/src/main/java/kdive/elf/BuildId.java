package kdive.elf;

import java.util.HexFormat;

/** A GNU build-id (NT_GNU_BUILD_ID note), compared and printed as lowercase hex. */
public record BuildId(String hex) {

    public static BuildId of(byte[] bytes) {
        return new BuildId(HexFormat.of().formatHex(bytes));
    }

    @Override
    public String toString() {
        return hex;
    }
}

package kdive.dump;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import kdive.dump.internal.FlattenedSource;
import kdive.io.FormatException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 17 (1): a malformed flattened file opened from disk fails with its parse error. Each level
 * of the open path closed the mapping on error, and the second close's "Already closed" hid the
 * real message (138 of 184 adversarial flattened inputs).
 */
class FlattenedOpenErrorTest {

    @ParameterizedTest
    @ValueSource(strings = {"short-header", "bad-type", "bad-version", "negative-offset", "truncated-kdump-header",
            "no-dump-inside"})
    void malformedFlattenedFileGivesItsParseError(String shape, @TempDir Path dir) throws IOException {
        Path f = dir.resolve(shape + ".flat");
        Files.write(f, bytes(shape));
        assertThatThrownBy(() -> {
            try (DumpFile d = DumpFile.open(f)) {
                d.pageStats();
            }
        }).isInstanceOf(FormatException.class).hasMessageStartingWith(f.toString()).hasMessageNotContaining("\n");
    }

    private static byte[] bytes(String shape) {
        var out = new ByteArrayOutputStream();
        var h = ByteBuffer.allocate(FlattenedSource.HEADER_SIZE);
        h.put("makedumpfile".getBytes(StandardCharsets.US_ASCII));
        h.putLong(16, shape.equals("bad-type") ? 7 : 1).putLong(24, shape.equals("bad-version") ? 9 : 1);
        if (shape.equals("short-header")) {
            out.write(h.array(), 0, 100);
            return out.toByteArray();
        }
        out.writeBytes(h.array());
        switch (shape) {
            case "negative-offset" -> record(out, -5, new byte[8]);
            case "truncated-kdump-header" -> record(out, 0, "KDUMP   \0\0\0\0".getBytes(StandardCharsets.US_ASCII));
            case "no-dump-inside" -> record(out, 0, new byte[64]);
            default -> record(out, 0, new byte[16]);
        }
        out.writeBytes(ByteBuffer.allocate(16).putLong(-1).putLong(-1).array());
        return out.toByteArray();
    }

    private static void record(ByteArrayOutputStream out, long offset, byte[] data) {
        out.writeBytes(ByteBuffer.allocate(16).putLong(offset).putLong(data.length).array());
        out.writeBytes(data);
    }
}

package kdive.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import kdive.dump.internal.FlattenedSource;
import kdive.dump.internal.MappedSource;
import kdive.io.FormatException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The flattened index against a plain byte array: records in any order, split anywhere, with
 * stale bytes written first and overwritten later, read back as the array (no fixture needed).
 */
class FlattenedSourceTest {

    @Property(tries = 200)
    void recordsInAnyOrderReadBackAsTheFile(@ForAll @IntRange(min = 1, max = 20000) int size,
            @ForAll @IntRange(min = 1, max = 60) int pieces, @ForAll long seed) {
        var rnd = new Random(seed);
        byte[] file = new byte[size];
        rnd.nextBytes(file);
        var records = new ArrayList<long[]>(); // {offset, length}
        int at = 0;
        while (at < size) {
            int n = Math.min(size - at, 1 + rnd.nextInt(Math.max(1, size / pieces + 1)));
            records.add(new long[] {at, n});
            at += n;
        }
        Collections.shuffle(records, rnd);
        var out = new ByteArrayOutputStream();
        header(out);
        // Stale bytes a later record overwrites: the later write must win.
        if (rnd.nextBoolean()) {
            int off = rnd.nextInt(size);
            int n = 1 + rnd.nextInt(size - off);
            byte[] junk = new byte[n];
            rnd.nextBytes(junk);
            record(out, off, junk, 0, n);
        }
        for (long[] r : records) {
            record(out, r[0], file, (int) r[0], (int) r[1]);
        }
        record(out, -1, new byte[0], 0, 0);
        try (var src = FlattenedSource.index(MappedSource.of(MemorySegment.ofArray(out.toByteArray()), "flat"))) {
            assertThat(src.size()).isEqualTo(size);
            assertThat(src.truncated()).isFalse();
            for (int k = 0; k < 20; k++) {
                int off = rnd.nextInt(size);
                int n = rnd.nextInt(size - off + 1);
                assertThat(src.slice(off, n).toArray(ValueLayout.JAVA_BYTE))
                        .isEqualTo(java.util.Arrays.copyOfRange(file, off, off + n));
            }
        }
    }

    @Test
    void missingEndMarkerIsTruncatedAndBadRecordsAreFormatErrors() {
        var out = new ByteArrayOutputStream();
        header(out);
        record(out, 0, new byte[] {1, 2, 3, 4}, 0, 4);
        try (var src = FlattenedSource.index(MappedSource.of(MemorySegment.ofArray(out.toByteArray()), "flat"))) {
            assertThat(src.truncated()).isTrue();
            assertThat(src.slice(0, 4).toArray(ValueLayout.JAVA_BYTE)).containsExactly(1, 2, 3, 4);
            assertThatThrownBy(() -> src.slice(2, 4)).isInstanceOf(FormatException.class);
        }
        record(out, -5, new byte[0], 0, 0);
        byte[] bad = out.toByteArray();
        assertThatThrownBy(() -> FlattenedSource.index(MappedSource.of(MemorySegment.ofArray(bad), "flat")))
                .isInstanceOf(FormatException.class).hasMessageContaining("offset >= 0");
    }

    private static void header(ByteArrayOutputStream out) {
        var h = ByteBuffer.allocate(FlattenedSource.HEADER_SIZE);
        h.put("makedumpfile".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        h.putLong(16, 1).putLong(24, 1); // type, version (big-endian)
        out.writeBytes(h.array());
    }

    private static void record(ByteArrayOutputStream out, long offset, byte[] data, int from, int n) {
        out.writeBytes(ByteBuffer.allocate(16).putLong(offset).putLong(offset == -1 ? -1 : n).array());
        out.write(data, from, n);
    }
}

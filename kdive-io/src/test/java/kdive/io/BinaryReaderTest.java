package kdive.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class BinaryReaderTest {

    private static byte[] uleb(long v) {
        var out = new ByteArrayOutputStream();
        do {
            int b = (int) (v & 0x7f);
            v >>>= 7;
            out.write(v != 0 ? b | 0x80 : b);
        } while (v != 0);
        return out.toByteArray();
    }

    private static byte[] sleb(long v) {
        var out = new ByteArrayOutputStream();
        boolean more = true;
        while (more) {
            int b = (int) (v & 0x7f);
            v >>= 7;
            more = !((v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0));
            out.write(more ? b | 0x80 : b);
        }
        return out.toByteArray();
    }

    @Property
    void uleb128RoundTrips(@ForAll long value) {
        var r = BinaryReader.of(uleb(value), "t", ByteOrder.LITTLE_ENDIAN);
        assertThat(r.uleb128()).isEqualTo(value);
        assertThat(r.hasRemaining()).isFalse();
    }

    @Property
    void sleb128RoundTrips(@ForAll long value) {
        var r = BinaryReader.of(sleb(value), "t", ByteOrder.LITTLE_ENDIAN);
        assertThat(r.sleb128()).isEqualTo(value);
        assertThat(r.hasRemaining()).isFalse();
    }

    @Property
    void truncatedReadsFailWithFileAndOffset(@ForAll byte[] bytes) {
        var r = BinaryReader.of(bytes, "dump.bin", ByteOrder.BIG_ENDIAN);
        r.skip(bytes.length);
        assertThatThrownBy(r::u32)
                .isInstanceOf(FormatException.class)
                .hasMessageStartingWith("dump.bin: offset 0x%x:".formatted(bytes.length));
    }

    @Test
    void readsBothByteOrders() {
        byte[] b = {1, 2, 3, 4, 5, 6, 7, 8};
        assertThat(BinaryReader.of(b, "t", ByteOrder.LITTLE_ENDIAN).u32()).isEqualTo(0x04030201L);
        assertThat(BinaryReader.of(b, "t", ByteOrder.BIG_ENDIAN).u64()).isEqualTo(0x0102030405060708L);
        assertThat(BinaryReader.of(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, "t",
                ByteOrder.LITTLE_ENDIAN).u32()).isEqualTo(0xffffffffL);
    }

    @Test
    void sliceReportsAbsoluteOffsets() {
        var r = BinaryReader.of(new byte[32], "vmlinux", ByteOrder.LITTLE_ENDIAN).slice(16, 4);
        r.u32();
        assertThatThrownBy(r::u8).hasMessage("vmlinux: offset 0x14: 1 more byte(s), but only 0 remain");
    }

    @Test
    void ulebOverflowIsAFormatError() {
        byte[] eleven = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f};
        assertThatThrownBy(() -> BinaryReader.of(eleven, "x", ByteOrder.LITTLE_ENDIAN).uleb128())
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("fits in 64 bits");
    }

    @Test
    void cstringNeedsTerminator() {
        var r = BinaryReader.of("abc\0de".getBytes(), "s", ByteOrder.LITTLE_ENDIAN);
        assertThat(r.cstring()).isEqualTo("abc");
        assertThatThrownBy(r::cstring).hasMessageContaining("NUL-terminated");
    }
}

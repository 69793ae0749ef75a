package kdive.dump;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlift.compress.v3.Compressor;
import io.airlift.compress.v3.snappy.SnappyJavaCompressor;
import io.airlift.compress.v3.zstd.ZstdJavaCompressor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Debian's makedumpfile 1.7.2 writes neither Snappy nor Zstd pages, so the decoders are checked
 * on a real kdump file whose pages are rewritten with those codecs (header, sub-header and
 * bitmaps kept byte for byte, page descriptors and data written anew as makedumpfile lays them
 * out): every page must read back identical.
 */
@Tag("vmcore")
@Tag("every-kernel")
class CodecRewriteTest {

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"SNAPPY", "ZSTD", "NONE"})
    void rewrittenPagesReadBackIdentical(Compression codec, @TempDir Path tmp) throws IOException {
        Path src = Fixtures.file("skb", "kdump-zlib");
        Path out = tmp.resolve("kdump-" + codec.name().toLowerCase());
        try (var original = (KdumpCompressed) DumpFile.open(src)) {
            long[] pages = original.dumpedPages().toArray();
            rewrite(src, original, pages, codec, out);
            try (var copy = (KdumpCompressed) DumpFile.open(out)) {
                assertThat(copy.pageStats()).isEqualTo(original.pageStats());
                if (codec != Compression.NONE) {
                    assertThat(copy.compressionCounts().get(codec)).isGreaterThan(pages.length / 2L);
                }
                byte[] want = new byte[4096];
                byte[] got = new byte[4096];
                for (long paddr : pages) {
                    original.memory().read(paddr, want, 0, want.length);
                    copy.memory().read(paddr, got, 0, got.length);
                    if (!Arrays.equals(want, got)) {
                        throw new AssertionError("%s: page 0x%x differs".formatted(codec, paddr));
                    }
                }
                assertThat(copy.vmcoreInfo()).isEqualTo(original.vmcoreInfo().map(v ->
                        new VmcoreInfo(out.toString(), v.offset(), v.raw(), v.entries())));
            }
        }
    }

    private static void rewrite(Path src, KdumpCompressed original, long[] pages, Compression codec, Path out)
            throws IOException {
        // Everything before the descriptors: header block, sub-header (vmcoreinfo, notes), bitmaps.
        int blockSize = original.memory().pageSize();
        var header = ByteBuffer.wrap(Files.readAllBytes(src)).order(ByteOrder.LITTLE_ENDIAN);
        int subHdrBlocks = header.getInt(432);
        int bitmapBlocks = header.getInt(436);
        long descStart = (long) blockSize * (1 + subHdrBlocks + bitmapBlocks);
        header.putInt(424, codec.flag()); // disk_dump_header.status: the codec in use
        Compressor compressor = switch (codec) {
            case SNAPPY -> new SnappyJavaCompressor();
            case ZSTD -> new ZstdJavaCompressor();
            case NONE, ZLIB, LZO -> null;
        };
        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                OutputStream data = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(
                        ch.position(descStart + 24L * pages.length)))) {
            var descs = ByteBuffer.allocate(24 * pages.length).order(ByteOrder.LITTLE_ENDIAN);
            long offset = descStart + 24L * pages.length;
            byte[] page = new byte[blockSize];
            byte[] packed = new byte[compressor == null ? blockSize : compressor.maxCompressedLength(blockSize)];
            for (long paddr : pages) {
                original.memory().read(paddr, page, 0, blockSize);
                int n = compressor == null ? blockSize : compressor.compress(page, 0, blockSize, packed, 0, packed.length);
                boolean keep = compressor != null && n < blockSize; // makedumpfile stores a page raw when packing does not help
                byte[] bytes = keep ? packed : page;
                int size = keep ? n : blockSize;
                data.write(bytes, 0, size);
                descs.putLong(offset).putInt(size).putInt(keep ? codec.flag() : 0).putLong(0);
                offset += size;
            }
            data.flush();
            ch.write(header.slice(0, (int) descStart).order(ByteOrder.LITTLE_ENDIAN), 0);
            ch.write(descs.flip(), descStart);
        }
    }
}

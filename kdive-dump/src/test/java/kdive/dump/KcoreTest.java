package kdive.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import kdive.elf.ProgramHeader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /proc/kcore's shape (fs/proc/kcore.c): an ELF core whose PT_LOADs are kernel virtual ranges at
 * file offsets in the terabytes (a sparse file of the kernel's virtual size), RAM segments with
 * p_paddr, the kernel text a second time inside them, vmalloc with p_paddr -1, a VMCOREINFO note.
 * Built here from the real qemu.elf dump (RAM in one segment, as kcore has it) (this machine's kernel has no /proc/kcore), read with
 * positional reads as /proc/kcore must be: the log equals the guest's console.
 */
@Tag("vmcore")
class KcoreTest {
    private static final long BASE = 1L << 40;
    private static final long PAGE_OFFSET = 0xffff888000000000L;

    /**
     * A real /proc/kcore (scripts/make-kcore.sh: its headers and notes as the guest's kernel wrote
     * them, RAM copied live): read unmapped and mapped, the log equals the console's kernel lines up
     * to the copy (the guest goes on logging while it powers off).
     */
    @Test
    void realKcoreOfAGuest() throws IOException {
        Path dir = kdive.testkit.Fixtures.latest("kcore").orElse(null);
        kdive.testkit.Fixtures.require(dir != null, "no kcore fixture: run scripts/make-kcore.sh (root, Debian, ~1 min)");
        List<String> console = new ArrayList<>();
        int beforeCopy = -1;
        for (String l : Files.readAllLines(dir.resolve("console.log"), StandardCharsets.ISO_8859_1)) {
            String line = l.replace("\r", "");
            if (line.equals("=== kdive-kcore: copy ===")) {
                beforeCopy = console.size();
            } else if (line.matches("\\[ *\\d+\\.\\d{6}\\] .*")) {
                console.add(line);
            }
        }
        assertThat(beforeCopy).isGreaterThan(300);
        for (boolean mapped : new boolean[] {false, true}) {
            try (DumpFile k = mapped ? DumpFile.open(dir.resolve("kcore.elf")) : DumpFile.openUnmapped(dir.resolve("kcore.elf"))) {
                VmcoreInfo vi = k.vmcoreInfo().orElseThrow();
                assertThat(vi.osRelease()).isEqualTo(dir.getFileName().toString());
                assertThat(k.notes()).extracting(DumpNote::name).contains("CORE", "VMCOREINFO");
                List<String> log = KernelLog.read(k).stream().flatMap(r -> r.lines().stream()).toList();
                assertThat(log.size()).isBetween(beforeCopy, console.size());
                assertThat(log).isEqualTo(console.subList(0, log.size()));
            }
        }
    }

    @Test
    void kcoreShapedFileReadsLikeTheDump(@TempDir Path tmp) throws IOException {
        Path src = Fixtures.file("sysrq", "qemu.elf");
        Path kcore = tmp.resolve("kcore");
        List<LogRecord> expected;
        try (DumpFile d = DumpFile.open(src)) {
            expected = KernelLog.read(d);
            write(kcore, src, (ElfCore) d);
        }
        assertThat(Files.size(kcore)).isGreaterThan(BASE);
        try (DumpFile k = DumpFile.openUnmapped(kcore)) {
            assertThat(k.describe()).startsWith("ELF core");
            assertThat(k.vmcoreInfo()).isPresent();
            List<LogRecord> got = KernelLog.read(k);
            assertThat(got).hasSizeGreaterThan(300).isEqualTo(expected);
            // vmalloc (p_paddr -1) is no physical memory; the text segment does not hide the direct map past it.
            assertThat(k.memory().endAddress()).isLessThanOrEqualTo(1L << 32);
            long stext = k.vmcoreInfo().get().symbol("_stext");
            long textPaddr = stext - X86Paging.START_KERNEL_MAP + k.vmcoreInfo().get().physBase().getAsLong();
            // The page just past the 16 MiB text segment (KASLR puts the kernel anywhere in the
            // guest's 256 MiB; that page is still part of its image, so it is RAM in every boot).
            long past = textPaddr + (16L << 20);
            assertThat(k.memory().state(past)).isEqualTo(PageState.PRESENT);
            try (DumpFile d = DumpFile.open(src)) {
                assertThat(k.memory().read(past, 4096)).isEqualTo(d.memory().read(past, 4096));
            }
        }
    }

    /** Files under /proc go the unmapped way (procfs files report size 0 and /proc/kcore cannot be mapped). */
    @Test
    void procFilesAreReadUnmapped() {
        assertThatThrownBy(() -> DumpFile.open(Path.of("/proc/self/cmdline")).close())
                .isInstanceOf(kdive.io.FormatException.class).hasMessageEndingWith("an ELF core or kdump compressed dump");
    }

    /** Cut or corrupted headers of a kcore-shaped file: a one-line FormatException or a dump that opens, nothing else. */
    @Test
    void badHeadersFailCleanly(@TempDir Path tmp) throws IOException {
        Path kcore = tmp.resolve("kcore");
        try (DumpFile d = DumpFile.open(Fixtures.file("sysrq", "kdump-elf"))) {
            write(kcore, Fixtures.file("sysrq", "kdump-elf"), (ElfCore) d);
        }
        byte[] head = new byte[4096 + 4096];
        try (FileChannel ch = FileChannel.open(kcore, StandardOpenOption.READ)) {
            ch.read(ByteBuffer.wrap(head), 0);
        }
        for (int cut : new int[] {0, 3, 16, 63, 64, 100, 64 + 56 * 3, 4096, 4100}) {
            Path p = tmp.resolve("cut" + cut);
            Files.write(p, java.util.Arrays.copyOf(head, cut));
            assertThatThrownBy(() -> DumpFile.openUnmapped(p).close()).as("cut at %d", cut)
                    .isInstanceOf(kdive.io.FormatException.class).message().doesNotContain("\n");
        }
        var rnd = new java.util.Random(3);
        int phnum = Short.toUnsignedInt(ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getShort(0x38));
        int opened = 0;
        try (FileChannel ch = FileChannel.open(kcore, StandardOpenOption.WRITE)) {
            for (int i = 0; i < 300; i++) {
                int at = rnd.nextInt(64 + 56 * phnum);
                ch.write(ByteBuffer.wrap(new byte[] {(byte) rnd.nextInt()}), at);
                try (DumpFile k = DumpFile.openUnmapped(kcore)) {
                    opened++;
                } catch (kdive.io.KdiveException e) {
                    assertThat(e.getMessage()).doesNotContain("\n");
                }
                ch.write(ByteBuffer.wrap(head, at, 1), at);
            }
        }
        assertThat(opened).isBetween(1, 299);
    }

    private static void write(Path out, Path src, ElfCore d) throws IOException {
        VmcoreInfo vi = d.vmcoreInfo().orElseThrow();
        var loads = new ArrayList<long[]>(); // type, vaddr, paddr, offset, filesz, memsz
        try (FileChannel in = FileChannel.open(src); FileChannel o = FileChannel.open(out,
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.SPARSE)) {
            for (ProgramHeader p : d.programHeaders()) {
                if (p.isLoad() && p.filesz() > 0) {
                    long at = BASE + p.paddr();
                    in.transferTo(p.offset(), p.filesz(), o.position(at));
                    loads.add(new long[] {1, PAGE_OFFSET + p.paddr(), p.paddr(), at, p.filesz(), p.filesz()});
                }
            }
            long stext = vi.symbol("_stext");
            long textPaddr = stext - X86Paging.START_KERNEL_MAP + vi.physBase().getAsLong();
            loads.add(new long[] {1, stext, textPaddr, BASE + textPaddr, 16L << 20, 16L << 20});
            loads.add(new long[] {1, 0xffffc90000000000L, -1, 2 * BASE, 1L << 30, 1L << 30});
            byte[] desc = vi.raw().getBytes(StandardCharsets.UTF_8);
            ByteBuffer note = ByteBuffer.allocate(12 + 12 + (desc.length + 3) / 4 * 4).order(ByteOrder.LITTLE_ENDIAN);
            note.putInt(11).putInt(desc.length).putInt(0).put("VMCOREINFO\0\0".getBytes(StandardCharsets.US_ASCII)).put(desc);
            int phnum = 1 + loads.size();
            ByteBuffer h = ByteBuffer.allocate(64 + 56 * phnum).order(ByteOrder.LITTLE_ENDIAN);
            h.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0}).position(16);
            h.putShort((short) 4).putShort((short) 62).putInt(1).putLong(0).putLong(64).putLong(0).putInt(0)
                    .putShort((short) 64).putShort((short) 56).putShort((short) phnum).putShort((short) 64)
                    .putShort((short) 0).putShort((short) 0);
            long noteAt = 4096;
            h.putInt(4).putInt(0).putLong(noteAt).putLong(0).putLong(0).putLong(note.capacity()).putLong(0).putLong(4);
            for (long[] l : loads) {
                h.putInt(1).putInt(7).putLong(l[3]).putLong(l[1]).putLong(l[2]).putLong(l[4]).putLong(l[5]).putLong(4096);
            }
            o.write(h.flip(), 0);
            o.write(note.flip(), noteAt);
            o.write(ByteBuffer.allocate(1), 2 * BASE + (1L << 30) - 1); // the file spans every segment
        }
    }
}

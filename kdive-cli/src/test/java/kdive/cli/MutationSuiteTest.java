package kdive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kdive.testkit.Bytes;
import kdive.testkit.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 17's harness: mutated real inputs through every command, in process, with a fixed seed and a
 * bounded number of runs. Each dump format is cut at its structure boundaries (headers, sub-header,
 * vmcoreinfo, notes, bitmaps, descriptors, flattened records, program headers, first page data) and has
 * random bytes changed around them; the vmlinux has its ELF and section headers changed, a module's
 * .ko (same compiler, smaller) its DWARF unit, abbreviation and line headers; the syzkaller corpus
 * logs are cut, spliced and sprinkled with control bytes. A run fails the suite on an uncaught
 * exception, an exit code outside 0/1/2, an exit 2 that is not one clean line, invalid JSON, a run
 * over {@link #RUN_BOUND_SECONDS}, or heap that stays grown past {@link #HEAP_BOUND} after a GC.
 * The counts go to stdout and target/mutation-summary.txt.
 */
@Tag("vmcore")
@Tag("mutation")
class MutationSuiteTest {
    static final long SEED = 0x17_2026L;
    static final int RUN_BOUND_SECONDS = 60;
    static final long HEAP_BOUND = 384L << 20;
    static final List<String> DUMPS = List.of("kdump-zlib", "kdump-lzo", "kdump-elf", "kdump-zlib.flat", "kdump-elf.flat",
            "qemu-kdump-zlib.flat");
    /** Random edits per dump format; each input also gets every boundary cut. */
    static final int EDITS_PER_DUMP = 8;
    static final int VMLINUX_EDITS = 8;
    static final int MODULE_EDITS = 30;
    static final int LOG_INPUTS = 80;

    static Path work;
    static ExecutorService runner;
    static final Tally tally = new Tally();
    static long heapBase;

    @BeforeAll
    static void setUp() throws IOException {
        Path shm = Path.of("/dev/shm");
        work = Files.createTempDirectory(Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir")),
                "kdive-mutation");
        runner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mutation-run");
            t.setDaemon(true); // a run past its bound is abandoned, not joined
            return t;
        });
        heapBase = usedHeap();
    }

    @AfterAll
    static void tearDown() throws IOException {
        runner.shutdownNow();
        try (Stream<Path> files = Files.list(work)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(work);
        String summary = tally.summary();
        System.out.println(summary);
        Path target = Path.of("target");
        if (Files.isDirectory(target)) {
            Files.writeString(target.resolve("mutation-summary.txt"), summary);
        }
    }

    @Test
    void mutatedDumps() throws IOException {
        int before = tally.failureCount();
        String vmlinux = Fixtures.kernel().resolve("vmlinux").toString();
        Random rnd = new Random(SEED);
        for (String name : DUMPS) {
            byte[] real = Files.readAllBytes(Fixtures.scenario("skb").resolve(name));
            Long[] cuts = Boundaries.of(real).toArray(Long[]::new);
            Path f = work.resolve(name);
            // One input at a time (the dumps are up to 63 MB): each cut, then the edits around random boundaries.
            for (int i = 0; i < cuts.length + EDITS_PER_DUMP; i++) {
                String label;
                if (i < cuts.length) {
                    try (var ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.CREATE,
                            java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
                        ch.write(ByteBuffer.wrap(real, 0, (int) (long) cuts[i]));
                    }
                    label = name + " cut at " + cuts[i];
                } else {
                    long around = cuts[rnd.nextInt(cuts.length)];
                    byte[] b = real.clone();
                    label = name + " " + edit(b, rnd, around, 256);
                    Files.write(f, b);
                }
                String file = f.toString();
                tally.input("dump");
                run(label, "info", "--vmlinux", vmlinux, file);
                run(label, "log", file);
                run(label, "analyze", "--vmlinux", vmlinux, file);
                run(label, "rd", "-32", "init_uts_ns", "4", file);
                // The kernel commands open the vmlinux's DWARF (cached index): on every other input.
                if (i % 2 == 0) {
                    run(label, "mod", "--vmlinux", vmlinux, file);
                    run(label, "sys", "--vmlinux", vmlinux, file);
                }
                if (i % 4 == 1) {
                    run(label, "ps", "--vmlinux", vmlinux, file);
                    run(label, "sym", "--vmlinux", vmlinux, "_stext", file);
                    run(label, "vtop", "--vmlinux", vmlinux, "ffffffff81000000", file);
                    run(label, "log", "--json", file);
                }
                checkHeap(label);
            }
            Files.deleteIfExists(f);
        }
        tally.assertClean(before);
    }

    /** ELF and section headers of the real vmlinux, changed in place in one copy and restored after each run. */
    @Test
    void mutatedVmlinuxHeaders() throws IOException {
        int before = tally.failureCount();
        Path real = Fixtures.kernel().resolve("vmlinux");
        Path copy = work.resolve("vmlinux");
        Files.copy(real, copy);
        String previous = System.getProperty("kdive.cache");
        // A mutated file keeps the real build-id: its unit index must not be read from, or written to, the cache.
        System.setProperty("kdive.cache", "off");
        try (RandomAccessFile f = new RandomAccessFile(copy.toFile(), "rw")) {
            Elf elf = Elf.read(f);
            Random rnd = new Random(SEED + 1);
            List<long[]> regions = new ArrayList<>();
            regions.add(new long[] {0, 64});
            regions.add(new long[] {elf.shoff, (long) elf.shnum * 64});
            for (int i = 0; i < VMLINUX_EDITS; i++) {
                long[] r = regions.get(i % regions.size());
                long at = r[0] + (long) (rnd.nextDouble() * r[1]);
                String label = "vmlinux " + patchRun(f, at, rnd);
                tally.input("vmlinux");
                run(label, "dis", "--vmlinux", copy.toString(), "start_kernel");
                run(label, "symbolize", "--vmlinux", copy.toString(), "start_kernel+0x10");
                restore(f, real);
                checkHeap(label);
            }
        } finally {
            restoreProperty(previous);
            Files.deleteIfExists(copy);
        }
        tally.assertClean(before);
    }

    /** A module's DWARF: unit, abbreviation and line program headers, section headers, and cuts. */
    @Test
    void mutatedModuleDwarf() throws IOException {
        int before = tally.failureCount();
        Path real = Fixtures.scenario("skb").resolve("crashlab_skb.ko");
        byte[] bytes = Files.readAllBytes(real);
        Elf elf = Elf.of(bytes);
        List<long[]> regions = new ArrayList<>();
        regions.add(new long[] {0, 64});
        regions.add(new long[] {elf.shoff, (long) elf.shnum * 64});
        for (String s : List.of(".debug_info", ".debug_abbrev", ".debug_line", ".debug_str", ".debug_rnglists",
                ".debug_loclists", ".symtab")) {
            long[] sec = elf.sections.get(s);
            if (sec != null) {
                regions.add(new long[] {sec[0], Math.min(sec[1], 128)}); // the section's first header(s)
            }
        }
        Random rnd = new Random(SEED + 2);
        Path f = work.resolve("crashlab_skb.ko");
        String log = Files.readString(Fixtures.scenario("skb").resolve("console.log"));
        Path console = Files.writeString(work.resolve("console.log"), log);
        for (int i = 0; i < MODULE_EDITS + 4; i++) {
            byte[] b;
            String label;
            if (i < 4) {
                long cut = List.of(64L, elf.shoff, elf.sections.get(".debug_info")[0] + 20, bytes.length / 2L).get(i);
                b = Arrays.copyOf(bytes, (int) Math.min(cut, bytes.length));
                label = "crashlab_skb.ko cut at " + cut;
            } else {
                b = bytes.clone();
                long[] r = regions.get(rnd.nextInt(regions.size()));
                label = "crashlab_skb.ko " + edit(b, rnd, r[0] + (long) (rnd.nextDouble() * r[1]), 0);
            }
            Files.write(f, b);
            tally.input("module");
            run(label, "symbolize", "--module", "crashlab_skb=" + f + "@0xffffffffc0000000", "0xffffffffc0000014");
            run(label, "dis", "--vmlinux", f.toString(), "crashlab_entail");
            run(label, "analyze", "--module", "crashlab_skb=" + f, console.toString());
            checkHeap(label);
        }
        tally.assertClean(before);
    }

    /** The syzkaller corpus logs cut, spliced and sprinkled with control and invalid UTF-8 bytes. */
    @Test
    void mutatedCorpusLogs() throws IOException {
        int before = tally.failureCount();
        List<Path> corpus;
        try (Stream<Path> s = Files.list(Fixtures.shared().resolve("corpus/syzkaller-linux-report/report"))) {
            corpus = s.sorted().toList();
        }
        Random rnd = new Random(SEED + 3);
        Path f = work.resolve("corpus.log");
        for (int i = 0; i < LOG_INPUTS; i++) {
            byte[] a = Files.readAllBytes(corpus.get(rnd.nextInt(corpus.size())));
            byte[] b;
            String label;
            switch (i % 4) {
                case 0 -> {
                    int cut = rnd.nextInt(a.length + 1);
                    b = Arrays.copyOf(a, cut);
                    label = "log cut at " + cut;
                }
                case 1 -> {
                    byte[] other = Files.readAllBytes(corpus.get(rnd.nextInt(corpus.size())));
                    int at = rnd.nextInt(a.length + 1);
                    b = new byte[a.length + other.length];
                    System.arraycopy(a, 0, b, 0, at);
                    System.arraycopy(other, 0, b, at, other.length);
                    System.arraycopy(a, at, b, at + other.length, a.length - at);
                    label = "log spliced at " + at;
                }
                default -> {
                    b = a.clone();
                    label = "log " + edit(b, rnd, rnd.nextInt(Math.max(1, b.length)), 4096);
                }
            }
            Files.write(f, b);
            tally.input("log");
            run(label, "analyze", f.toString());
            run(label, "analyze", "--json", f.toString());
            if (i % 10 == 0) {
                checkHeap(label);
            }
        }
        tally.assertClean(before);
    }

    // --- running and judging ---

    private static void run(String label, String... args) {
        String cmd = label + ": kdive " + String.join(" ", args);
        var out = new StringWriter();
        var err = new StringWriter();
        long start = System.nanoTime();
        Future<Integer> f = runner.submit(() -> Main.run(args, new PrintWriter(out), new PrintWriter(err)));
        int code;
        try {
            code = f.get(RUN_BOUND_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            tally.fail(cmd, "ran over " + RUN_BOUND_SECONDS + " s");
            runner = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "mutation-run");
                t.setDaemon(true);
                return t;
            });
            return;
        } catch (java.util.concurrent.ExecutionException e) {
            var trace = new StringWriter();
            e.getCause().printStackTrace(new PrintWriter(trace));
            tally.fail(cmd, "uncaught " + trace.toString().lines().limit(8).reduce((x, y) -> x + "\n" + y).orElse(""));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        tally.time(System.nanoTime() - start);
        String e = err.toString();
        if (code < 0 || code > 2) {
            tally.fail(cmd, "exit " + code + ": " + e);
        } else if (e.contains("\tat ") || e.contains("Exception")) {
            tally.fail(cmd, "stack trace or exception name on stderr: " + e);
        } else if (code == 2 && (!e.startsWith("kdive") || e.strip().isEmpty())) {
            tally.fail(cmd, "exit 2 without a kdive error line: " + e);
        } else if (Arrays.asList(args).contains("--json") && code != 2 && !validJson(args[0], out.toString())) {
            tally.fail(cmd, "invalid JSON: " + out.toString().lines().limit(3).toList());
        } else {
            tally.exit(code);
        }
    }

    private static boolean validJson(String command, String out) {
        var mapper = new ObjectMapper();
        try {
            if (command.equals("log")) { // one object per line
                for (String line : out.lines().toList()) {
                    mapper.readTree(line);
                }
            } else {
                mapper.readTree(out);
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void checkHeap(String label) {
        long used = usedHeap();
        tally.heap(used - heapBase);
        if (used - heapBase > HEAP_BOUND) {
            tally.fail(label, "heap grew by %d MB after a GC".formatted((used - heapBase) >> 20));
        }
    }

    private static long usedHeap() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    // --- mutations ---

    /** 1 to 8 bytes changed near {@code around} (within {@code spread} bytes): random, 0, 0xff or one bit flipped. */
    private static String edit(byte[] b, Random rnd, long around, int spread) {
        int n = 1 + rnd.nextInt(8);
        var where = new StringBuilder();
        for (int k = 0; k < n; k++) {
            long at = around + (spread == 0 ? k : rnd.nextInt(2 * spread + 1) - spread);
            if (at < 0 || at >= b.length) {
                continue;
            }
            int i = (int) at;
            b[i] = switch (rnd.nextInt(4)) {
                case 0 -> (byte) rnd.nextInt(256);
                case 1 -> 0;
                case 2 -> (byte) 0xff;
                default -> (byte) (b[i] ^ (1 << rnd.nextInt(8)));
            };
            where.append(k == 0 ? "" : ",").append(Long.toHexString(at));
        }
        return "bytes changed at 0x" + where;
    }

    private static String patchRun(RandomAccessFile f, long at, Random rnd) throws IOException {
        int n = 1 + rnd.nextInt(8);
        for (int k = 0; k < n; k++) {
            f.seek(at + k);
            f.write(rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(256));
        }
        return "%d bytes changed at 0x%x".formatted(n, at);
    }

    /** Puts back the headers (first 64 bytes and the section header table) from the real file. */
    private static void restore(RandomAccessFile f, Path real) throws IOException {
        try (RandomAccessFile r = new RandomAccessFile(real.toFile(), "r")) {
            Elf elf = Elf.read(r);
            byte[] head = new byte[64];
            r.seek(0);
            r.readFully(head);
            f.seek(0);
            f.write(head);
            byte[] sh = new byte[elf.shnum * 64];
            r.seek(elf.shoff);
            r.readFully(sh);
            f.seek(elf.shoff);
            f.write(sh);
        }
    }

    private static void restoreProperty(String previous) {
        if (previous == null) {
            System.clearProperty("kdive.cache");
        } else {
            System.setProperty("kdive.cache", previous);
        }
    }

    // --- structure boundaries, read with nothing but the formats' documented layouts ---

    /** Section headers of an ELF64 file: name to {offset, size}. */
    record Elf(long shoff, int shnum, TreeMap<String, long[]> sections) {
        static Elf of(byte[] b) {
            ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            long shoff = h.getLong(0x28);
            int shnum = Short.toUnsignedInt(h.getShort(0x3c));
            int shstrndx = Short.toUnsignedInt(h.getShort(0x3e));
            var sections = new TreeMap<String, long[]>();
            long strOff = h.getLong((int) (shoff + shstrndx * 64L + 0x18));
            for (int i = 0; i < shnum; i++) {
                int sh = (int) (shoff + i * 64L);
                int nameAt = (int) (strOff + h.getInt(sh));
                int end = nameAt;
                while (b[end] != 0) {
                    end++;
                }
                sections.put(new String(b, nameAt, end - nameAt, StandardCharsets.US_ASCII),
                        new long[] {h.getLong(sh + 0x18), h.getLong(sh + 0x20)});
            }
            return new Elf(shoff, shnum, sections);
        }

        static Elf read(RandomAccessFile f) throws IOException {
            byte[] head = new byte[64];
            f.seek(0);
            f.readFully(head);
            ByteBuffer h = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
            return new Elf(h.getLong(0x28), Short.toUnsignedInt(h.getShort(0x3c)), new TreeMap<>());
        }
    }

    /** Where a dump's structures start and end: the cut points of the truncations and the centres of the edits. */
    static final class Boundaries {
        static TreeSet<Long> of(byte[] b) {
            var cuts = new TreeSet<Long>(List.of(0L, 1L, 8L, 64L, 4095L, 4096L, 4097L, (long) b.length / 2, b.length - 1L));
            String magic = new String(b, 0, 12, StandardCharsets.ISO_8859_1);
            if (magic.startsWith("makedumpfile")) {
                flattened(b, cuts);
            } else if (magic.startsWith("KDUMP   ")) {
                kdump(b, 0, b.length, cuts);
            } else if (magic.startsWith("\u007fELF")) {
                elf(b, cuts);
            }
            int vmcoreinfo = Bytes.indexOf(b, "OSRELEASE=".getBytes(StandardCharsets.US_ASCII));
            if (vmcoreinfo >= 0) {
                cuts.addAll(List.of((long) vmcoreinfo, vmcoreinfo + 12L, vmcoreinfo + 600L));
            }
            cuts.removeIf(c -> c < 0 || c >= b.length);
            return cuts;
        }

        /** disk_dump_header, kdump_sub_header, the two bitmaps, the page descriptors, the first page data. */
        static void kdump(byte[] b, long base, long size, TreeSet<Long> cuts) {
            ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            int blockSize = h.getInt(428);
            int subHdrBlocks = h.getInt(432);
            int bitmapBlocks = h.getInt(436);
            cuts.addAll(List.of(402L, 424L, 432L, 444L));
            if (blockSize <= 0 || blockSize > 1 << 20) {
                return;
            }
            long sub = blockSize;
            cuts.addAll(List.of(sub, sub + 8, sub + 16, sub + 48, sub + 64));
            if (sub + 88 < b.length) {
                long viOff = h.getLong((int) sub + 40);
                long viSize = h.getLong((int) sub + 48);
                long noteOff = h.getLong((int) sub + 56);
                long noteSize = h.getLong((int) sub + 64);
                cuts.addAll(List.of(viOff, viOff + viSize / 2, viOff + viSize, noteOff, noteOff + 24, noteOff + noteSize));
            }
            long bitmap = (1L + subHdrBlocks) * blockSize;
            long descs = bitmap + (long) bitmapBlocks * blockSize;
            cuts.addAll(List.of(bitmap, bitmap + 1, bitmap + (long) bitmapBlocks * blockSize / 2, descs, descs + 12,
                    descs + 24, descs + 24 * 100));
            if (descs + 8 < b.length) {
                long data = h.getLong((int) descs);
                cuts.addAll(List.of(data, data + 1, data + 4096));
            }
        }

        /** ELF header, program header table, each PT_NOTE, the first PT_LOADs' data. */
        static void elf(byte[] b, TreeSet<Long> cuts) {
            ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            long phoff = h.getLong(0x20);
            int phnum = Short.toUnsignedInt(h.getShort(0x38));
            cuts.addAll(List.of(16L, 0x20L, 0x38L, phoff));
            int loads = 0;
            for (int i = 0; i < Math.min(phnum, 64); i++) {
                long ph = phoff + i * 56L;
                if (i < 3) {
                    cuts.add(ph); // inside the table: the first entries (PT_NOTE, the first PT_LOAD) stand for all
                }
                if (ph + 56 > b.length) {
                    break;
                }
                int type = h.getInt((int) ph);
                long off = h.getLong((int) ph + 8);
                long filesz = h.getLong((int) ph + 32);
                if (type == 4) {
                    cuts.addAll(List.of(off, off + 12, off + filesz / 2, off + filesz));
                } else if (type == 1 && loads++ < 3) {
                    cuts.addAll(List.of(off, off + filesz / 2, off + filesz - 1));
                }
            }
            cuts.add(phoff + phnum * 56L);
        }

        /** The flattened header, the first records' headers and data. */
        static void flattened(byte[] b, TreeSet<Long> cuts) {
            ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN);
            cuts.addAll(List.of(12L, 16L, 24L, 32L));
            long pos = 4096;
            for (int i = 0; i < 6 && pos + 16 <= b.length; i++) {
                long size = h.getLong((int) pos + 8);
                cuts.addAll(List.of(pos, pos + 8, pos + 16, pos + 16 + size / 2));
                if (size < 0 || pos + 16 + size > b.length) {
                    break;
                }
                pos += 16 + size;
            }
        }

    }

    /** Counts of inputs, runs, exits and failures; the summary of the whole suite. */
    static final class Tally {
        private final TreeMap<String, Integer> inputs = new TreeMap<>();
        private final int[] exits = new int[3];
        private final List<String> failures = new ArrayList<>();
        private long runs;
        private long nanos;
        private long maxNanos;
        private long maxHeap;
        private final long start = System.nanoTime();

        synchronized void input(String kind) {
            inputs.merge(kind, 1, Integer::sum);
        }

        synchronized void exit(int code) {
            exits[code]++;
            runs++;
        }

        synchronized void time(long n) {
            nanos += n;
            maxNanos = Math.max(maxNanos, n);
        }

        synchronized void heap(long grown) {
            maxHeap = Math.max(maxHeap, grown);
        }

        synchronized void fail(String cmd, String why) {
            runs++;
            failures.add(cmd + "\n    " + why);
        }

        synchronized int failureCount() {
            return failures.size();
        }

        /** The failures since {@code from}: each test answers for its own runs. */
        synchronized void assertClean(int from) {
            assertThat(failures.subList(from, failures.size())).as("mutation runs that failed").isEmpty();
        }

        synchronized String summary() {
            return ("mutation suite (seed 0x%x): inputs %s; %d runs: %d results (exit 0), %d nothing found (exit 1), "
                    + "%d clean errors (exit 2), %d failures; slowest run %.1f s, mean %.0f ms; heap growth max %d MB; %.0f s in all%n%s")
                    .formatted(SEED, inputs, runs, exits[0], exits[1], exits[2], failures.size(), maxNanos / 1e9,
                            runs == 0 ? 0.0 : nanos / 1e6 / runs, maxHeap >> 20, (System.nanoTime() - start) / 1e9,
                            String.join("\n", failures.stream().limit(40).toList()));
        }
    }
}

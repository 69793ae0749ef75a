// Benchmark of kdive-dump on one dump: open, random 4 KiB physical reads, sequential read of every
// dumped page with 1 and N threads. Run by scripts/bench-vmcore.sh (java source launcher).
//
//   java -cp 'kdive-cli/target/lib/*' scripts/crashlab/DumpBench.java DUMP [RANDOM_READS] [THREADS]
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import kdive.dump.DumpFile;
import kdive.dump.KdumpCompressed;
import kdive.dump.FlattenedDump;
import kdive.dump.PageState;
import kdive.dump.PhysicalMemory;

void main(String[] args) throws Exception {
    Path path = Path.of(args[0]);
    int reads = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
    long t0 = System.nanoTime();
    try (DumpFile d = DumpFile.open(path)) {
        long opened = System.nanoTime() - t0;
        PhysicalMemory m = d.memory();
        long[] pages = IntStream.range(0, (int) (m.endAddress() / 4096)).mapToLong(p -> p * 4096L)
                .filter(p -> m.state(p) == PageState.PRESENT).toArray();
        var rnd = new Random(42);
        byte[] buf = new byte[4096];
        long sink = 0;
        long t1 = System.nanoTime();
        for (int i = 0; i < reads; i++) {
            m.read(pages[rnd.nextInt(pages.length)], buf, 0, 4096);
            sink += buf[i & 4095];
        }
        long random = System.nanoTime() - t1;
        double seq1 = sequential(d, pages, 1);
        double seqN = sequential(d, pages, threads);
        System.out.printf("%s: %s%n  open %.1f ms; %d dumped pages (%.0f MiB)%n", path, d.describe(), opened / 1e6,
                pages.length, pages.length / 256.0);
        System.out.printf("  random 4 KiB reads: %d in %.0f ms = %.1f us/read%n", reads, random / 1e6, random / 1e3 / reads);
        System.out.printf("  sequential, every page: 1 thread %.0f MB/s, %d threads %.0f MB/s (decompressed bytes)%n",
                seq1, threads, seqN);
        if (sink == 42) {
            System.out.println();
        }
    }
}

/** Reads every page once, split among threads, each through a fresh open (no warm cache); MB/s. */
double sequential(DumpFile ignored, long[] pages, int threads) throws Exception {
    double best = 0;
    for (int round = 0; round < 3; round++) {
        try (DumpFile d = DumpFile.open(Path.of(ignored.name()))) {
            AtomicLong bytes = new AtomicLong();
            long t = System.nanoTime();
            IntStream.range(0, threads).parallel().forEach(k -> {
                byte[] b = new byte[4096];
                int from = (int) ((long) pages.length * k / threads);
                int to = (int) ((long) pages.length * (k + 1) / threads);
                for (int i = from; i < to; i++) {
                    d.memory().read(pages[i], b, 0, 4096);
                }
                bytes.addAndGet((to - from) * 4096L);
            });
            best = Math.max(best, bytes.get() / ((System.nanoTime() - t) / 1e9) / 1e6);
        }
    }
    return best;
}

package kdive.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real tools tests compare against: gcc to make inputs, binutils for expected answers. */
public final class Tools {

    private Tools() {}

    /** A C test program shared by the modules' tests (kdive-testkit/src/main/resources/kdive/testkit/c/). */
    public static Path source(String name) {
        return Fixtures.root().resolve("kdive-testkit/src/main/resources/kdive/testkit/c").resolve(name);
    }

    /** Compiles {@code source} into {@code dir/out} with {@code flags}; returns the output path. */
    public static Path gcc(Path dir, Path source, String out, String... flags) throws IOException, InterruptedException {
        Path output = dir.resolve(out);
        var cmd = new ArrayList<String>(List.of("gcc"));
        cmd.addAll(List.of(flags));
        cmd.addAll(List.of("-o", output.toString(), source.toString()));
        run(cmd);
        return output;
    }

    /** Whether gcc accepts {@code flags} for compiling {@code probe} (old compilers lack some -g options). */
    public static boolean gccAccepts(Path dir, Path probe, String... flags) {
        try {
            var cmd = new ArrayList<String>(List.of("gcc"));
            cmd.addAll(List.of(flags));
            cmd.addAll(List.of("-c", "-o", dir.resolve("probe.o").toString(), probe.toString()));
            run(cmd);
            return true;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Runs a command and returns its stdout; fails (IOException) when it exits non-zero or hangs. */
    public static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        var err = new java.io.ByteArrayOutputStream();
        // Drained from another thread: a tool that fills the stderr pipe would otherwise block forever.
        Thread drainErr = Thread.ofVirtual().start(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (IOException e) {
                // the exit code below reports the failure
            }
        });
        byte[] out = p.getInputStream().readAllBytes();
        drainErr.join();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + err.toString(StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** Runs {@code cmd} with {@code input} on stdin, written from another thread so large outputs cannot deadlock. */
    public static String runWithInput(List<String> cmd, String input) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Thread writer = Thread.ofVirtual().start(() -> {
            try (var os = p.getOutputStream()) {
                os.write(input.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the reader below reports the failure
            }
        });
        byte[] out = p.getInputStream().readAllBytes();
        writer.join();
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed");
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}

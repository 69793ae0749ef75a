package kdive.dwarf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Compiles test programs with the system gcc and runs binutils for expected values. */
final class Gcc {
    private Gcc() {}

    static Path source(String name) {
        return Path.of(System.getProperty("kdive.root", "."), "kdive-dwarf/src/test/resources/kdive/dwarf", name);
    }

    /** Compiles {@code source} into {@code dir} with {@code flags}; returns the output path. */
    static Path compile(Path dir, Path source, String out, String... flags) throws IOException, InterruptedException {
        Path output = dir.resolve(out);
        var cmd = new ArrayList<String>(List.of("gcc"));
        cmd.addAll(List.of(flags));
        cmd.addAll(List.of("-o", output.toString(), source.toString()));
        run(cmd);
        return output;
    }

    /** Runs a command, returning stdout; fails the test when it exits non-zero. */
    static String run(List<String> cmd) throws IOException, InterruptedException {
        var pb = new ProcessBuilder(cmd).redirectErrorStream(false);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + err);
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    static boolean accepts(Path dir, String... flags) {
        try {
            var cmd = new ArrayList<String>(List.of("gcc"));
            cmd.addAll(List.of(flags));
            cmd.addAll(List.of("-c", "-o", dir.resolve("probe.o").toString(), source("prog.c").toString()));
            run(cmd);
            return true;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static byte[] read(Path p) throws IOException {
        return Files.readAllBytes(p);
    }

    /** Runs {@code cmd} with {@code input} on stdin (in a thread, so large outputs cannot deadlock). */
    static String runWithInput(List<String> cmd, String input) throws IOException, InterruptedException {
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

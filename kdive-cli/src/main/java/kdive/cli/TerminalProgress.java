package kdive.cli;

import java.io.PrintStream;
import kdive.io.Progress;

/**
 * A progress bar on stderr, shown only when stderr is a terminal and a task has run for more than
 * a second (quick commands and pipes stay silent), redrawn at most ten times a second and erased
 * when the task ends or the command finishes.
 */
final class TerminalProgress implements Progress, AutoCloseable {
    private static final long SHOW_AFTER_NANOS = 1_000_000_000L;
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int WIDTH = 30;

    private final PrintStream err;
    private final long started = System.nanoTime();
    private long lastDraw;
    private boolean drawn;

    private TerminalProgress(PrintStream err) {
        this.err = err;
    }

    /** A bar on stderr when it is a terminal, else {@link Progress#NONE}. */
    static Progress forStderr() {
        return stderrIsTerminal() ? new TerminalProgress(System.err) : NONE;
    }

    /**
     * Java only tells whether stdin and stdout are a terminal; a bar belongs on stderr, which stays
     * one in {@code kdive symbolize < addrs > out}. Linux names the descriptor's file in /proc.
     */
    private static boolean stderrIsTerminal() {
        try {
            String target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    @Override
    public synchronized void update(String task, long done, long total) {
        long now = System.nanoTime();
        if (total > 0 && done >= total) {
            erase();
            return;
        }
        if (now - started < SHOW_AFTER_NANOS || now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        String bar;
        if (total > 0) {
            int filled = (int) Math.min(WIDTH, done * WIDTH / total);
            bar = "[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] %3d%%".formatted(done * 100 / total);
        } else {
            bar = "%,d".formatted(done);
        }
        err.print("\r\033[Kkdive: " + task + " " + bar);
        err.flush();
        drawn = true;
    }

    private void erase() {
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
            drawn = false;
        }
    }

    @Override
    public synchronized void close() {
        erase();
    }
}

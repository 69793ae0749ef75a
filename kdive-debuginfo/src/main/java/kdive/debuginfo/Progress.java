package kdive.debuginfo;

import java.io.PrintWriter;

/** Reports a download's progress; {@code total} is -1 when the server did not say. Called last with {@code done == total}. */
@FunctionalInterface
public interface Progress {

    void update(String what, long done, long total);

    /** Says nothing: pipes, tests, small files. */
    Progress NONE = (what, done, total) -> {};

    /**
     * One line rewritten in place ({@code \r}) on a terminal, for downloads of at least {@code minBytes}: a
     * 600 MB vmlinux takes a while and the user should see that something happens. Updates only when the
     * MiB count changes, so the terminal is not flooded.
     */
    static Progress terminal(PrintWriter err, long minBytes) {
        return new Progress() {
            private long shownMib = -1;

            @Override
            public void update(String what, long done, long total) {
                // A small file says nothing, unless a line was already started while its size was unknown.
                if (total >= 0 && total < minBytes && shownMib < 0) {
                    return;
                }
                long mib = done >> 20;
                boolean last = done == total;
                if (mib == shownMib && !last) {
                    return;
                }
                shownMib = mib;
                String of = total >= 0 ? "/%d MiB (%d%%)".formatted(total >> 20, total == 0 ? 100 : done * 100 / total) : " MiB";
                err.print("\rdownloading " + what + ": " + mib + of + (last ? "\n" : ""));
                err.flush();
            }
        };
    }
}

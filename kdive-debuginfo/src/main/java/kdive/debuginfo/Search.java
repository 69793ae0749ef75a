package kdive.debuginfo;

import java.util.List;
import java.util.Optional;
import kdive.io.MissingDebugInfoException;

/**
 * The outcome of looking for a debug file: what was wanted, the file if found, and every place looked
 * at with why it was not taken ("absent", "build-id ..., not ...", "not found"), so a failure can name
 * where it looked in one line.
 */
public record Search(String wanted, Optional<Found> found, List<String> looked) {

    public Search {
        looked = List.copyOf(looked);
    }

    /** The file, or a {@link MissingDebugInfoException} naming what was wanted and where it was looked for. */
    public Found orElseThrow() {
        return found.orElseThrow(() -> new MissingDebugInfoException(message()));
    }

    /** Like {@link #orElseThrow()}, the message led by why the file is needed ("log -T needs --vmlinux FILE"). */
    public Found orElseThrow(String need) {
        return found.orElseThrow(() -> new MissingDebugInfoException(need + ": " + message()));
    }

    private String message() {
        return "no " + wanted + "; looked at: " + String.join("; ", looked);
    }
}

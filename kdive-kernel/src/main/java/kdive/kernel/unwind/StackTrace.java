package kdive.kernel.unwind;

import java.util.List;

/** The frames of one task or CPU, innermost first, and why the trace ended. */
public record StackTrace(List<Frame> frames, Stop stop) {
    public StackTrace {
        frames = List.copyOf(frames);
    }
}

package kdive.oops.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The record types the rule table ({@link LinuxRules}) is made of. */
public final class OopsRules {

    private OopsRules() {}

    /** How the guilty frame is picked out of a list of candidate frames. */
    public enum FrameExtractor {
        /** The first frame that survived the skip patterns. */
        FIRST,
        /** Stalls and lockups: the frame just above a known dispatch anchor (syscall entry, workqueue...). */
        STALL,
        /** Hung tasks: rtnl_lock / synchronize_rcu buckets, else the first non-scheduler frame. */
        HUNG_TASK
    }

    /**
     * How the guilty stack frame is extracted from a report.
     *
     * @param parts matched one after the other; a capturing regexp yields frames; {@link #PARSE_STACK_TRACE}
     *        parses a stack trace from the current position
     * @param parts2 tried when {@code parts} fails (may be empty)
     * @param skip frames matching any of these (plus the common skip list) are ignored
     * @param extractor picks the guilty frame among the collected ones
     * @param skipRx the compiled union of common and specific skip patterns
     */
    public record StackFormat(List<Rx> parts, List<Rx> parts2, List<String> skip, FrameExtractor extractor, Rx skipRx) {
        public StackFormat {
            parts = List.copyOf(parts);
            parts2 = List.copyOf(parts2);
            skip = List.copyOf(skip);
        }
    }

    /** Marks "parse a stack trace here" in {@link StackFormat#parts}. */
    public static final Rx PARSE_STACK_TRACE = Rx.of("\\x00PARSE_STACK_TRACE\\x00");

    /**
     * One way an oops can look.
     *
     * @param title matched against the report to recognise the format
     * @param report when present and not matching, the report is corrupted; its groups feed {@code fmt}
     * @param fmt Go format of the title; arguments are the regexp groups then the extracted frames
     * @param alt alternative titles, same format rules
     * @param stack how to extract frames, or null
     * @param noStackTrace the report is not expected to contain a stack trace
     * @param corrupted a report in this format is always considered corrupted
     */
    public record OopsFormat(Rx title, Rx report, String fmt, List<String> alt, StackFormat stack,
                             boolean noStackTrace, boolean corrupted) {
        public OopsFormat {
            alt = List.copyOf(alt);
        }
    }

    /**
     * A family of oopses sharing a header text.
     *
     * @param header text whose presence on a line starts a report
     * @param formats tried in order
     * @param suppressions lines with the header that match one of these do not start a report
     */
    public record OopsGroup(String header, List<OopsFormat> formats, List<Rx> suppressions) {
        public OopsGroup {
            formats = List.copyOf(formats);
            suppressions = List.copyOf(suppressions);
        }
    }

    /**
     * Parameters of stack parsing shared by all formats.
     *
     * @param stackStartRes lines starting a stack trace
     * @param frameRes lines holding a frame (group 1.. = function names)
     * @param skipPatterns functions always skipped
     * @param corruptedLines looking at such a line marks the report corrupted
     * @param stripFramePrefixes syscall-entry prefixes removed from frames in titles
     */
    public record StackParams(List<Rx> stackStartRes, List<Rx> frameRes, List<String> skipPatterns,
                              List<Rx> corruptedLines, List<String> stripFramePrefixes) {}

    // ---------------------------------------------------------------- builders

    static Builder format(String titleRe) {
        return new Builder(Rx.rule(titleRe));
    }

    static Builder format(Rx title) {
        return new Builder(title);
    }

    static final class Builder {
        private final Rx title;
        private Rx report;
        private String fmt = "";
        private final List<String> alt = new ArrayList<>();
        private StackFormat stack;
        private boolean noStackTrace;
        private boolean corrupted;

        private Builder(Rx title) {
            this.title = title;
        }

        Builder report(String re) {
            this.report = Rx.rule(re);
            return this;
        }

        Builder fmt(String fmt) {
            this.fmt = fmt;
            return this;
        }

        Builder alt(String... alts) {
            this.alt.addAll(Arrays.asList(alts));
            return this;
        }

        Builder stack(StackFormat stack) {
            this.stack = stack;
            return this;
        }

        Builder noStackTrace() {
            this.noStackTrace = true;
            return this;
        }

        Builder corrupted() {
            this.corrupted = true;
            return this;
        }

        OopsFormat build() {
            return new OopsFormat(title, report, fmt, alt, stack, noStackTrace, corrupted);
        }
    }

    static final class StackBuilder {
        private final List<Rx> parts;
        private List<Rx> parts2 = List.of();
        private final List<String> skip = new ArrayList<>();
        private FrameExtractor extractor = FrameExtractor.FIRST;

        StackBuilder(Rx... parts) {
            this.parts = List.of(parts);
        }

        StackBuilder parts2(Rx... parts) {
            this.parts2 = List.of(parts);
            return this;
        }

        StackBuilder skip(String... skip) {
            this.skip.addAll(Arrays.asList(skip));
            return this;
        }

        StackBuilder extractor(FrameExtractor e) {
            this.extractor = e;
            return this;
        }

        StackFormat build(List<String> commonSkip) {
            List<String> all = new ArrayList<>(commonSkip);
            all.addAll(skip);
            Rx skipRx = all.isEmpty() ? null : Rx.of(String.join("|", all));
            return new StackFormat(parts, parts2, skip, extractor, skipRx);
        }
    }
}

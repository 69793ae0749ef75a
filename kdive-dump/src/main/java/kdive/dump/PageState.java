package kdive.dump;

/** Whether a physical page can be read from a dump. */
public enum PageState {
    /** The dump holds the page's bytes. */
    PRESENT,
    /** The page was RAM but the dump filter (makedumpfile -d) left it out. */
    EXCLUDED,
    /** The dump does not describe the page at all (a hole in RAM, or beyond the dump). */
    ABSENT,
    /** The dump should hold the page but its file is cut short or the page was never written. */
    TRUNCATED
}

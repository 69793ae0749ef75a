package kdive.triage;

/** Entry point of oops triage (filled in by the analyze work). */
public final class Triage {
    private Triage() {}
}

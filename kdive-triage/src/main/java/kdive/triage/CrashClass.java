package kdive.triage;

import java.util.Locale;

/**
 * A coarse family for a report (NULL-DEREF, PAGE-FAULT, GPF, BUG, WARNING, KASAN, LOCKDEP, HANG,
 * PANIC...), for people and dashboards; syzkaller's finer crash type stays the report's
 * {@code type}, since it is what the corpus and the fleet's buckets agree on.
 */
public final class CrashClass {

    private CrashClass() {}

    public static String of(String title, String type) {
        String t = title.toLowerCase(Locale.ROOT);
        if (type.contains("NULL-POINTER") || t.contains("null pointer dereference") || t.contains("null-ptr-deref")) {
            return "NULL-DEREF";
        }
        for (String sanitizer : new String[] {"KASAN", "KMSAN", "KCSAN", "KFENCE", "UBSAN"}) {
            if (title.startsWith(sanitizer + ":") || type.startsWith(sanitizer)) {
                return sanitizer;
            }
        }
        if (type.equals("LOCKDEP") || type.equals("HANG") || type.equals("LEAK") || type.equals("ATOMIC_SLEEP")) {
            return type;
        }
        if (t.startsWith("bug: unable to handle") || t.contains("page fault") || t.startsWith("unable to handle kernel")) {
            return "PAGE-FAULT";
        }
        if (t.startsWith("general protection fault")) {
            return "GPF";
        }
        if (t.startsWith("kernel panic") || t.startsWith("panic:")) {
            return "PANIC";
        }
        if (t.startsWith("warning") || type.endsWith("WARNING")) {
            return "WARNING";
        }
        if (t.startsWith("kernel bug") || t.startsWith("bug:") || type.equals("BUG")) {
            return "BUG";
        }
        return type.isEmpty() ? "UNKNOWN" : type;
    }
}

package kdive.oops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.stream.Stream;

/**
 * One oops of the real-world corpus ({@code src/test/resources/kdive/oops/realworld/}): a text as someone
 * pasted it into a bug tracker, mailing list or blog, with the facts a reader takes from it written by hand
 * in headers above it, as syzkaller's corpus does with {@code TITLE:}. {@code -} means the text does not show
 * the fact. Every header must be present; an unknown one is an error.
 *
 * @param name file name
 * @param source where the text was copied from
 * @param facts field name ({@link #FIELDS}) to the expected value
 * @param log the text itself
 */
record RealWorldOops(String name, String source, SequencedMap<String, String> facts, String log) {

    /** The facts every file states, in the order the rates are printed. */
    static final List<String> FIELDS = List.of(
            "TITLE", "RELEASE", "COMM", "PID", "CPU", "FAULT-ADDRESS", "ACCESS", "IP", "FRAME");

    static final String ABSENT = "-";

    static Path root() {
        try {
            return Path.of(RealWorldOops.class.getResource("/kdive/oops/realworld").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Path> files() {
        try (Stream<Path> s = Files.list(root())) {
            return s.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RealWorldOops read(Path p) {
        String data;
        try {
            data = Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int blank = data.indexOf("\n\n");
        if (blank < 0) {
            throw new IllegalStateException(p + ": no blank line after the headers");
        }
        String source = "";
        Map<String, String> facts = new LinkedHashMap<>();
        for (String line : data.substring(0, blank).split("\n")) {
            int colon = line.indexOf(": ");
            String key = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 2);
            if (key.equals("SOURCE")) {
                source = value;
            } else if (FIELDS.contains(key)) {
                facts.put(key, value);
            } else {
                throw new IllegalStateException(p + ": unknown header " + line);
            }
        }
        if (source.isEmpty() || facts.size() != FIELDS.size()) {
            throw new IllegalStateException(p + ": needs SOURCE and " + FIELDS + ", has " + facts.keySet());
        }
        SequencedMap<String, String> ordered = new LinkedHashMap<>();
        FIELDS.forEach(f -> ordered.put(f, facts.get(f)));
        return new RealWorldOops(p.getFileName().toString(), source, ordered, data.substring(blank + 2));
    }
}

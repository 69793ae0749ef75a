package kdive.oops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** One test file of syzkaller's report corpus (format: see shared/corpus/README.md). */
record CorpusFile(
        String name,
        String title,
        List<String> alts,
        String type,
        String frame,
        boolean corrupted,
        boolean suppressed,
        boolean panicked,
        String executor,
        String start,
        String end,
        String log,
        String report) {

    static Path corpusRoot() {
        String shared = System.getProperty("kdive.shared");
        Path root = shared == null ? Path.of("../../shared") : Path.of(shared);
        return root.resolve("corpus/syzkaller-linux-report");
    }

    static List<Path> files(String dir) throws IOException {
        Path d = corpusRoot().resolve(dir);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(p -> p.getFileName().toString().matches("[0-9]+"))
                    .sorted((a, b) -> Integer.compare(Integer.parseInt(a.getFileName().toString()),
                            Integer.parseInt(b.getFileName().toString())))
                    .toList();
        }
    }

    static CorpusFile read(Path p) throws IOException {
        String data = new String(Files.readAllBytes(p), StandardCharsets.UTF_8).replace("\r", "");
        String title = "";
        List<String> alts = new ArrayList<>();
        String type = "";
        String frame = "";
        boolean corrupted = false;
        boolean suppressed = false;
        boolean panicked = false;
        String executor = "";
        String start = "";
        String end = "";
        StringBuilder log = new StringBuilder();
        StringBuilder report = null;
        List<String> lines = splitLines(data);
        int phase = 0;
        boolean prevEmpty = false;
        for (String ln : lines) {
            switch (phase) {
                case 0 -> {
                    if (ln.isEmpty()) {
                        phase = 1;
                        break;
                    }
                    if (ln.startsWith("#")) {
                        break;
                    }
                    int colon = ln.indexOf(": ");
                    String key = colon < 0 ? ln.replace(":", "") : ln.substring(0, colon);
                    String val = colon < 0 ? "" : ln.substring(colon + 2);
                    switch (key) {
                        case "TITLE" -> title = val;
                        case "ALT" -> alts.add(val);
                        case "TYPE" -> type = val;
                        case "FRAME" -> frame = val;
                        case "CORRUPTED" -> corrupted = val.equals("Y");
                        case "SUPPRESSED" -> suppressed = val.equals("Y");
                        case "PANICKED" -> panicked = val.equals("Y");
                        case "EXECUTOR" -> executor = val;
                        case "START" -> start = val;
                        case "END" -> end = val;
                        default -> throw new IllegalStateException(p + ": unknown header " + ln);
                    }
                }
                case 1 -> {
                    if (prevEmpty && ln.equals("REPORT:")) {
                        report = new StringBuilder();
                        phase = 2;
                    } else {
                        log.append(ln).append('\n');
                    }
                }
                default -> report.append(ln).append('\n');
            }
            prevEmpty = ln.isEmpty();
        }
        return new CorpusFile(p.getParent().getFileName() + "/" + p.getFileName(), title, List.copyOf(alts), type,
                frame, corrupted, suppressed, panicked, executor, start, end, log.toString(),
                report == null ? null : report.toString());
    }

    /** Lines as Go's bufio.Scanner yields them (no empty last line for a final newline). */
    static List<String> splitLines(String data) {
        List<String> out = new ArrayList<>();
        int pos = 0;
        while (pos < data.length()) {
            int nl = data.indexOf('\n', pos);
            int e = nl < 0 ? data.length() : nl;
            out.add(data.substring(pos, e));
            pos = e + 1;
        }
        return out;
    }

    /** 1-based line number of character offset {@code pos} in {@code text}. */
    static int lineOf(String text, int pos) {
        int line = 1;
        for (int i = 0; i < pos && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}

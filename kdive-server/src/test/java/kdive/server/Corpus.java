package kdive.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Real texts: syzkaller's Linux report corpus (headers stripped) and the shipped CentOS 7 example. */
public final class Corpus {
    private Corpus() {}

    public static Path shared() {
        return Path.of(System.getProperty("kdive.shared", "/work/shared"));
    }

    public static Path root() {
        return Path.of(System.getProperty("kdive.root", "."));
    }

    public static String example() {
        return read(root().resolve("examples/centos7-skb_entail/vmcore-dmesg.txt"));
    }

    /** Every corpus log, in file-name order: the raw log after the header block. */
    public static List<String> syzkallerLogs() {
        Path dir = shared().resolve("corpus/syzkaller-linux-report/report");
        try (Stream<Path> files = Files.list(dir)) {
            var out = new ArrayList<String>();
            for (Path f : files.sorted().toList()) {
                out.add(log(read(f)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** syzkaller's format: header lines, a blank line, the log (optionally followed by REPORT:). */
    static String log(String file) {
        int blank = file.indexOf("\n\n");
        String rest = file.startsWith("\n") ? file.substring(1) : blank < 0 ? file : file.substring(blank + 2);
        int report = rest.indexOf("\nREPORT:\n");
        return report < 0 ? rest : rest.substring(0, report + 1);
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

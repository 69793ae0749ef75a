package kdive.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process kdive run: its exit code and what it printed on stdout and stderr. */
record CliRun(int code, String out, String err) {

    static CliRun run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new CliRun(code, out.toString(), err.toString());
    }
}

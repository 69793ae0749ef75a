package kdive.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Find kernel oopses in logs and explain them: title, fault, faulting operand, code, call trace.")
final class AnalyzeCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print one JSON document {\"reports\":[...]} for all inputs.")
    boolean json;

    @Option(names = "--intel", description = "Intel syntax in the disassembly (default: AT&T).")
    boolean intel;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Log file, directory (every file in it) or - for stdin.")
    List<String> inputs;

    @Override
    public Integer call() {
        return Main.EXIT_NOTHING;
    }
}

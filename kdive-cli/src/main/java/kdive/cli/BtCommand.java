package kdive.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import kdive.io.KdiveException;
import kdive.io.UsageException;
import kdive.kernel.SymbolHit;
import kdive.kernel.helpers.Task;
import kdive.kernel.helpers.Tasks;
import kdive.kernel.unwind.Frame;
import kdive.kernel.unwind.RegisterState;
import kdive.kernel.unwind.StackTrace;
import kdive.kernel.unwind.Stop;
import kdive.kernel.unwind.TaskTraces;
import kdive.kernel.unwind.Unwinder;
import kdive.kernel.unwind.X86Reg;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "bt", mixinStandardHelpOptions = true,
        description = {"Stack traces of a crash dump's tasks, laid out like crash's bt: the frames the kernel's own",
                "ORC unwinder would call reliable (DWARF CFI, then frame pointers where ORC has none), exception",
                "and interrupt frames with their saved registers, and inlined functions as frames of their own.",
                "No task given: the panicking task. PID or TASK_ADDR (hex): those tasks, running or asleep.",
                "Exit status: 0 every trace printed, 1 some, 2 none (usage error, unreadable dump, no such task)."})
final class BtCommand implements Callable<Integer> {
    /** A frame's raw words (-f) are shown up to this many: a garbage SP must not print megabytes. */
    private static final int MAX_WORDS = 2048;

    @Spec
    CommandSpec spec;

    @Mixin
    VmlinuxOptions where;

    @Option(names = "-a", description = "The task running on each CPU.")
    boolean active;

    @Option(names = "--all-tasks", description = "Every task (crash's foreach bt).")
    boolean allTasks;

    @Option(names = "-l", description = "The file:line of every frame.")
    boolean lines;

    @Option(names = "-f", description = "The raw stack words of every frame.")
    boolean words;

    @Option(names = "--locals", description = "Each frame's parameters and locals, valued where the unwound registers or the stack hold them.")
    boolean locals;

    @Option(names = "--json", description = "One JSON object: {traces:[{task, frames, stop}]}.")
    boolean json;

    @Parameters(arity = "1..*", paramLabel = "[PID|TASK_ADDR]... VMCORE", description = "Tasks, then the dump.")
    List<String> args;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> targets = args.subList(0, args.size() - 1);
        if ((active || allTasks) && !targets.isEmpty() || active && allTasks) {
            throw new UsageException("bt: give -a, --all-tasks or tasks, not several");
        }
        String vmcore = args.getLast();
        try (KernelArgs k = KernelArgs.open(vmcore, where.vmlinux, where.debugDirs, "bt", err);
             FrameSources sources = new FrameSources(k.program, Path.of(vmcore), where.debugDirs, err)) {
            Tasks.TaskList list = Tasks.list(k.program);
            TaskTraces traces = new TaskTraces(new Unwinder(k.program));
            var tasks = new ArrayList<Task>();
            int failed = 0;
            if (allTasks) {
                tasks.addAll(list.tasks());
            } else if (active) {
                tasks.addAll(TaskTraces.active(list));
            } else if (targets.isEmpty()) {
                tasks.add(TaskTraces.panicking(list));
            }
            for (String t : targets) {
                try {
                    tasks.addAll(select(list, t));
                } catch (KdiveException e) {
                    err.println("kdive bt: " + t + ": " + e.getMessage());
                    failed++;
                }
            }
            var docs = new ArrayList<String>();
            int printed = 0;
            for (Task task : tasks) {
                StackTrace trace;
                try {
                    trace = traces.of(task);
                } catch (KdiveException e) {
                    err.println("kdive bt: PID %d (task 0x%016x): cannot start the trace: %s"
                            .formatted(task.pid(), task.address(), e.getMessage()));
                    failed++;
                    continue;
                }
                if (json) {
                    docs.add(json(task, trace, sources));
                } else {
                    if (printed > 0) {
                        out.println();
                    }
                    text(out, k, task, trace, sources);
                }
                printed++;
            }
            if (json) {
                out.println(docs.stream().collect(Collectors.joining(",\n", "{\"traces\":[", "]}")));
            }
            list.problems().forEach(p -> err.println("kdive bt: WARNING: " + p));
            return printed == 0 ? Main.EXIT_USAGE : failed > 0 ? Main.EXIT_NOTHING : Main.EXIT_FOUND;
        }
    }

    /** A PID (decimal) or a task_struct address (hex, 0x optional, 16 digits without). */
    private static List<Task> select(Tasks.TaskList list, String arg) {
        String s = arg.strip();
        if (s.matches("\\d{1,9}")) {
            return TaskTraces.byPid(list, Integer.parseInt(s));
        }
        String hex = s.replaceFirst("^0[xX]", "");
        if (!hex.matches("[0-9a-fA-F]{1,16}")) {
            throw new UsageException("not a PID or a task address");
        }
        return List.of(TaskTraces.byAddress(list, Long.parseUnsignedLong(hex, 16)));
    }

    // ---- text, crash's layout ----

    private void text(PrintWriter out, KernelArgs k, Task task, StackTrace trace, FrameSources sources) {
        out.printf("PID: %-8d TASK: %016x  CPU: %-3d  COMMAND: \"%s\"%n", task.pid(), task.address(), task.cpu(),
                task.comm());
        List<Frame> frames = trace.frames();
        for (int i = 0; i < frames.size(); i++) {
            Frame f = frames.get(i);
            List<kdive.symbolize.Frame> chain = sources.at(f.lookupPc());
            for (int c = 0; c < chain.size() - 1; c++) {
                kdive.symbolize.Frame in = chain.get(c);
                out.printf("    [inline] %s at %s%n", in.function() == null ? "??" : in.function(), where(in));
            }
            out.printf("%s#%d [%016x] %s at %016x%s%n", f.index() < 10 ? " " : "", f.index(),
                    f.returnSlot().orElse(f.sp()), f.symbol().map(SymbolHit::name).orElse("??"), f.pc(),
                    f.symbol().filter(SymbolHit::inModule).map(s -> " [" + s.module() + "]").orElse(""));
            if (lines && !chain.isEmpty()) {
                out.printf("    %s%n", where(chain.getLast()));
            }
            if (locals) {
                for (FrameSources.Local v : sources.locals(f.lookupPc(), 0, f.registers(), cfa(frames, i))) {
                    out.printf("    %s: %s %s = %s  [%s]%n", v.function(), v.type(), v.name(),
                            v.value().map(x -> "0x%x".formatted(x)).orElse("<optimized out>"), v.location());
                }
            }
            if (words && i + 1 < frames.size()) {
                stackWords(out, k, f, frames.get(i + 1));
            }
            int at = i;
            f.exception().ifPresent(e -> exception(out, e, frames, at));
        }
        if (!(trace.stop() instanceof Stop.UserMode) && !(trace.stop() instanceof Stop.EndOfStack)) {
            out.println("    bt: " + trace.stop().reason());
        }
    }

    /** A frame's CFA is its caller's SP when a call rule unwound it (not across a pt_regs). */
    private static Optional<Long> cfa(List<Frame> frames, int i) {
        Frame f = frames.get(i);
        if (i + 1 >= frames.size() || f.exception().isPresent()) {
            return Optional.empty();
        }
        return Optional.of(frames.get(i + 1).sp());
    }

    private static String where(kdive.symbolize.Frame f) {
        return (f.file() == null ? "??" : f.file()) + ":" + f.line();
    }

    /** crash's exception frame: "[exception RIP: func+off]" for kernel mode, then the registers three a line. */
    private static void exception(PrintWriter out, Frame.Exception e, List<Frame> frames, int at) {
        RegisterState r = e.registers();
        if (!r.userMode() && at + 1 < frames.size()) {
            Frame next = frames.get(at + 1);
            out.printf("    [exception RIP: %s]%n", next.symbol().map(SymbolHit::nameAndOffset)
                    .orElse("%016x".formatted(next.pc())));
        }
        X86Reg[][] rows = {
            {X86Reg.RIP, X86Reg.RSP, X86Reg.EFLAGS}, {X86Reg.RAX, X86Reg.RBX, X86Reg.RCX},
            {X86Reg.RDX, X86Reg.RSI, X86Reg.RDI}, {X86Reg.RBP, X86Reg.R8, X86Reg.R9},
            {X86Reg.R10, X86Reg.R11, X86Reg.R12}, {X86Reg.R13, X86Reg.R14, X86Reg.R15}};
        for (X86Reg[] row : rows) {
            var b = new StringBuilder("   ");
            for (X86Reg x : row) {
                if (r.has(x)) {
                    b.append(' ').append(crashName(x)).append(x == X86Reg.EFLAGS ? ": %08x " .formatted(r.value(x))
                            : ": %016x ".formatted(r.value(x)));
                }
            }
            if (b.length() > 3) {
                out.println(b.toString().stripTrailing());
            }
        }
        var tail = new StringBuilder("   ");
        if (r.has(X86Reg.ORIG_RAX)) {
            tail.append(" ORIG_RAX: %016x ".formatted(r.value(X86Reg.ORIG_RAX)));
        }
        tail.append(" CS: %04x  SS: %04x".formatted(r.value(X86Reg.CS), r.value(X86Reg.SS)));
        out.println(tail);
    }

    /** crash's register names: "RFLAGS", " R8" right-aligned with the three-letter names. */
    private static String crashName(X86Reg r) {
        return switch (r) {
            case EFLAGS -> "RFLAGS";
            case R8 -> " R8";
            case R9 -> " R9";
            default -> r.regName().toUpperCase(java.util.Locale.ROOT);
        };
    }

    /** crash's bt -f: the words from this frame's SP up to where the caller's return address was read. */
    private static void stackWords(PrintWriter out, KernelArgs k, Frame f, Frame caller) {
        long from = f.sp();
        long to = caller.returnSlot().orElse(caller.sp()) + 8;
        if (Long.compareUnsigned(to, from) <= 0) {
            return;
        }
        long n = Math.min((to - from) / 8, MAX_WORDS);
        for (long i = 0; i < n; i += 2) {
            var b = new StringBuilder("    %016x:".formatted(from + i * 8));
            for (long j = i; j < Math.min(i + 2, n); j++) {
                try {
                    b.append(" %016x".formatted(k.program.u64(from + j * 8)));
                } catch (KdiveException e) {
                    b.append(" ????????????????");
                }
            }
            out.println(b);
        }
    }

    // ---- JSON ----

    private String json(Task task, StackTrace trace, FrameSources sources) {
        List<Frame> all = trace.frames();
        String frames = all.stream().map(f -> frameJson(f, sources, locals ? sources.locals(f.lookupPc(), 0,
                f.registers(), cfa(all, f.index())) : List.of())).collect(Collectors.joining(",", "[", "]"));
        return "{\"task\":{\"pid\":%d,\"comm\":%s,\"address\":\"0x%016x\",\"cpu\":%d},\"frames\":%s,\"stop\":{\"reason\":%s,\"kind\":%s}}"
                .formatted(task.pid(), DumpArgs.json(task.comm()), task.address(), task.cpu(), frames,
                        DumpArgs.json(trace.stop().reason()), DumpArgs.json(trace.stop().getClass().getSimpleName()));
    }

    private static String frameJson(Frame f, FrameSources sources, List<FrameSources.Local> vars) {
        List<kdive.symbolize.Frame> chain = sources.at(f.lookupPc());
        Optional<kdive.symbolize.Frame> own = chain.isEmpty() ? Optional.empty() : Optional.of(chain.getLast());
        String inline = chain.stream().limit(Math.max(chain.size() - 1, 0))
                .map(c -> "{\"function\":%s,\"file\":%s,\"line\":%d}".formatted(str(c.function()), str(c.file()), c.line()))
                .collect(Collectors.joining(",", "[", "]"));
        var b = new StringBuilder();
        b.append("{\"index\":%d,\"sp\":\"0x%016x\",\"pc\":\"0x%016x\",\"function\":%s,\"offset\":%s,\"module\":%s"
                .formatted(f.index(), f.sp(), f.pc(), str(f.symbol().map(SymbolHit::name).orElse(null)),
                        f.symbol().map(s -> String.valueOf(s.offset())).orElse("null"),
                        str(f.symbol().filter(SymbolHit::inModule).map(SymbolHit::module).orElse(null))));
        b.append(",\"exact\":%b,\"rule\":%s,\"inline\":%s,\"file\":%s,\"line\":%s".formatted(f.exact(),
                DumpArgs.json(f.rule().name()), inline, str(own.map(kdive.symbolize.Frame::file).orElse(null)),
                own.map(o -> String.valueOf(o.line())).orElse("null")));
        f.exception().ifPresent(e -> {
            var regs = new LinkedHashMap<String, String>();
            for (X86Reg r : X86Reg.values()) {
                if (e.registers().has(r)) {
                    regs.put(r.regName(), "\"0x%016x\"".formatted(e.registers().value(r)));
                }
            }
            b.append(",\"exception\":{\"address\":\"0x%016x\",\"partial\":%b,\"registers\":%s}".formatted(e.address(),
                    e.partial(), regs.entrySet().stream().map(x -> DumpArgs.json(x.getKey()) + ":" + x.getValue())
                            .collect(Collectors.joining(",", "{", "}"))));
        });
        String localsJson = vars.stream().map(v -> "{\"function\":%s,\"name\":%s,\"type\":%s,\"value\":%s,\"location\":%s}".formatted(
                str(v.function()), DumpArgs.json(v.name()), DumpArgs.json(v.type()), v.value().map(x -> "\"0x%x\"".formatted(x)).orElse("null"),
                DumpArgs.json(v.location()))).collect(Collectors.joining(",", "[", "]"));
        return b.append(",\"locals\":").append(localsJson).append('}').toString();
    }

    private static String str(String s) {
        return s == null ? "null" : DumpArgs.json(s);
    }
}

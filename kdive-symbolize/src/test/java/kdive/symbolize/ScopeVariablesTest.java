package kdive.symbolize;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kdive.disasm.Disassembler;
import kdive.disasm.Disassemblers;
import kdive.disasm.Instruction;
import kdive.disasm.Syntax;
import kdive.dwarf.LocationExpression;
import kdive.testkit.Tools;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Variables in scope and where their values are, at every instruction of optimised gcc code
 * (inlined chains, location lists), against gdb's {@code info scope} on the same file: every
 * variable gdb lists for the innermost block must be ours at that PC with the same location.
 */
class ScopeVariablesTest {
    @TempDir
    static Path dir;

    private static final String[] REGS = {"rax", "rdx", "rcx", "rbx", "rsi", "rdi", "rbp", "rsp",
        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"};
    private static final Pattern RANGE = Pattern.compile("Range 0x([0-9a-f]+)-0x([0-9a-f]+): (.*)");

    @ParameterizedTest
    @ValueSource(strings = {"-gdwarf-5", "-gdwarf-4", "-gdwarf-5 -O1"})
    void locationsAtEveryInstructionAreGdbs(String flags) throws Exception {
        var args = new ArrayList<>(List.of("-g", "-O2", "-I" + Tools.source("list.h").getParent()));
        args.addAll(List.of(flags.split(" ")));
        Path exe = Tools.gcc(dir, Tools.source("prog.c"), "scope" + flags.replaceAll("[^a-z0-9]", "_"), args.toArray(String[]::new));
        int compared = 0;
        var diffs = new ArrayList<String>();
        try (var sym = Symbolizer.open(exe); Disassembler dis = Disassemblers.best()) {
            for (String function : List.of("skb_entail", "work", "main")) {
                Symbolizer.Code code = sym.functionCode(function).orElseThrow();
                List<Instruction> insns = dis.decode(code.bytes(), code.start(), Syntax.ATT);
                var cmd = new ArrayList<>(List.of("gdb", "-nx", "-batch"));
                for (Instruction in : insns) {
                    cmd.addAll(List.of("-ex", "info scope *0x" + Long.toHexString(in.address())));
                }
                cmd.add(exe.toString());
                Map<Long, Map<String, String>> gdb = parse(Tools.run(cmd));
                for (Instruction in : insns) {
                    long pc = in.address();
                    List<ScopeVariable> ours = sym.variablesAt(function, pc - code.start());
                    for (var e : gdb.getOrDefault(pc, Map.of()).entrySet()) {
                        if (e.getValue().equals("other")) {
                            continue;
                        }
                        List<String> mine = ours.stream().filter(v -> v.depth() == 0 && v.name().equals(e.getKey()))
                                .map(v -> canonical(v.location())).toList();
                        compared++;
                        // A variable of a block that does not hold the PC is one gdb calls optimized out and we leave out.
                        boolean bothAbsent = mine.isEmpty() && e.getValue().equals("none");
                        if (!mine.contains(e.getValue()) && !bothAbsent) {
                            diffs.add("%s+0x%x %s: gdb %s, ours %s".formatted(function, pc - code.start(), e.getKey(), e.getValue(), mine));
                        }
                    }
                }
            }
        }
        System.out.printf("%s: %d variable locations compared with gdb, %d differ%n", flags, compared, diffs.size());
        assertThat(diffs).isEmpty();
        assertThat(compared).isGreaterThan(100);
    }

    private static String canonical(LocationExpression l) {
        return switch (l) {
            case LocationExpression.InRegister r -> r.register() < REGS.length ? "reg " + REGS[r.register()] : "other";
            case LocationExpression.RegisterPlus r -> "breg %s %d stack".formatted(REGS[r.register()], r.addend());
            case LocationExpression.OptimizedOut o -> "none";
            default -> "other";
        };
    }

    /** gdb's scope listing: for each PC, each symbol's location there in {@link #canonical} form. */
    private static Map<Long, Map<String, String>> parse(String out) {
        var result = new HashMap<Long, Map<String, String>>();
        Map<String, String> current = null;
        long pc = 0;
        String symbol = null;
        boolean multi = false;
        boolean covered = false;
        List<String> lines = out.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("Scope for *0x")) {
                pc = Long.parseUnsignedLong(line.substring("Scope for *0x".length(), line.indexOf(':')), 16);
                current = result.computeIfAbsent(pc, k -> new HashMap<>());
                symbol = null;
                continue;
            }
            if (current == null) {
                continue;
            }
            if (line.startsWith("Symbol ")) {
                finish(current, symbol, multi, covered);
                String rest = line.substring("Symbol ".length());
                symbol = rest.substring(0, rest.indexOf(' '));
                String what = rest.substring(rest.indexOf(" is ") + 4);
                multi = what.startsWith("multi-location");
                covered = false;
                if (current.containsKey(symbol)) {
                    symbol = null; // gdb goes on through enclosing blocks: the innermost one's name wins
                } else if (what.startsWith("a function") || what.startsWith("static storage") || what.startsWith("constant")) {
                    current.put(symbol, "other");
                    symbol = null;
                } else if (!multi) {
                    current.put(symbol, describe(what, lines, i));
                    symbol = null;
                }
                continue;
            }
            Matcher m = RANGE.matcher(line.strip().replaceFirst("^Base address 0x[0-9a-f]+\\s+", ""));
            if (symbol != null && multi && m.matches()) {
                long lo = Long.parseUnsignedLong(m.group(1), 16);
                long hi = Long.parseUnsignedLong(m.group(2), 16);
                if (pc >= lo && pc < hi) {
                    current.put(symbol, describe(m.group(3), lines, i));
                    covered = true;
                }
            }
        }
        finish(current, symbol, multi, covered);
        return result;
    }

    private static void finish(Map<String, String> current, String symbol, boolean multi, boolean covered) {
        if (current != null && symbol != null && multi && !covered) {
            current.put(symbol, "none");
        }
    }

    /** One location description; a complex expression is read from the lines after it. */
    private static String describe(String what, List<String> lines, int at) {
        Matcher reg = Pattern.compile("a variable in \\$(\\w+).*").matcher(what);
        if (reg.matches()) {
            return "reg " + reg.group(1);
        }
        if (what.startsWith("optimized out")) {
            return "none";
        }
        if (what.startsWith("a complex DWARF expression") && at + 2 < lines.size()) {
            Matcher breg = Pattern.compile("\\s*0: DW_OP_breg\\d+ (-?\\d+) \\[\\$(\\w+)\\]").matcher(lines.get(at + 1));
            boolean stack = lines.get(at + 2).strip().matches("\\d+: DW_OP_stack_value");
            boolean end = at + 3 >= lines.size() || !lines.get(at + 3).strip().matches("\\d+: DW_OP.*");
            if (breg.matches() && stack && end) {
                return "breg %s %s stack".formatted(breg.group(2), breg.group(1));
            }
        }
        return "other";
    }
}

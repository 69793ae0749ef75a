package kdive.triage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kdive.disasm.CodeWindow;
import kdive.disasm.Disassembler;
import kdive.disasm.Instruction;
import kdive.disasm.Syntax;
import kdive.elf.Symbol;
import kdive.io.KdiveException;
import kdive.oops.Frame;
import kdive.oops.OopsDetails;
import kdive.symbolize.Location;
import kdive.symbolize.Symbolizer;

/**
 * Resolves an oops's locations in the debug vmlinux and in module debug files. Locations are
 * looked up as {@code symbol+offset} rather than by the printed addresses, so KASLR and module load
 * addresses do not matter; a vmlinux symbol whose size differs from the oops's {@code /0xsize}
 * means the vmlinux is not the crashed kernel's, and is reported.
 */
public final class SourceAnnotator implements AutoCloseable {

    private final Path vmlinuxPath;
    private final Symbolizer vmlinux;
    private final Map<String, Symbolizer> modules;

    private SourceAnnotator(Path vmlinuxPath, Symbolizer vmlinux, Map<String, Symbolizer> modules) {
        this.vmlinuxPath = vmlinuxPath;
        this.vmlinux = vmlinux;
        this.modules = modules;
    }

    public static SourceAnnotator open(Path vmlinux) {
        return open(vmlinux, Map.of());
    }

    /** {@code modules}: module name as the oops prints it ({@code [crashlab_skb]}) to its debug {@code .ko}. */
    public static SourceAnnotator open(Path vmlinux, Map<String, Path> modules) {
        var opened = new LinkedHashMap<String, Symbolizer>();
        Symbolizer kernel = null;
        try {
            kernel = vmlinux == null ? null : Symbolizer.open(vmlinux);
            for (var e : modules.entrySet()) {
                opened.put(e.getKey(), Symbolizer.open(e.getValue()));
            }
        } catch (RuntimeException e) {
            opened.values().forEach(Symbolizer::close);
            if (kernel != null) {
                kernel.close();
            }
            throw e;
        }
        return new SourceAnnotator(vmlinux, kernel, Map.copyOf(opened));
    }

    /** Locations of {@code details}; with a {@code disassembler}, the faulting operands named too. */
    public Symbolized annotate(OopsDetails details, CodeWindow window, Disassembler disassembler) {
        var warnings = new ArrayList<String>();
        Optional<Frame> ip = details.ip();
        Symbolizer ipFile = ip.map(f -> debugFile(f, warnings)).orElse(null);
        List<SourceFrame> ipChain = ip.isEmpty() ? List.of() : chain(ipFile, ip.get(), ip.get().offset(), warnings);
        var trace = new ArrayList<List<SourceFrame>>();
        for (Frame f : details.callTrace()) {
            // A trace frame holds a return address: the call is the instruction before it.
            trace.add(f.offset() > 0 ? chain(debugFile(f, warnings), f, f.offset() - 1, warnings) : List.of());
        }
        var code = new ArrayList<List<SourceFrame>>();
        for (CodeWindow.Entry e : window.entries()) {
            code.add(ip.isEmpty() ? List.of() : chain(ipFile, ip.get(), ip.get().offset() + e.offsetFromFault(), warnings));
        }
        sizeCheck(details, warnings);
        String files = vmlinuxPath == null ? "" : vmlinuxPath.toString();
        List<NamedOperand> operands = disassembler == null ? List.of() : nameOperands(details, disassembler, warnings);
        return new Symbolized(files, ipChain, trace, code, operands, warnings.stream().distinct().toList());
    }

    /**
     * {@code f}'s address in the vmlinux (its function's symbol value + the printed offset), before any
     * KASLR slide; empty for module frames (their load address is not in the oops) or unknown symbols.
     */
    public java.util.OptionalLong linkedAddress(Frame f) {
        if (vmlinux == null || !f.module().isEmpty() || f.symbol().isEmpty()) {
            return java.util.OptionalLong.empty();
        }
        return symbolOf(vmlinux, f).map(sym -> java.util.OptionalLong.of(sym.value() + f.offset()))
                .orElse(java.util.OptionalLong.empty());
    }

    /**
     * The faulting function's code from the debug file, as a window around the IP: for oopses whose
     * {@code Code:} line has no bytes (the kernel could not read them). Empty when the IP's function
     * is not in a debug file given.
     */
    public Optional<CodeWindow> codeFromDebugFile(OopsDetails details, Disassembler disassembler, Syntax syntax) {
        Optional<Frame> ip = details.ip();
        Symbolizer file = ip.map(f -> debugFile(f, new ArrayList<>())).orElse(null);
        if (file == null) {
            return Optional.empty();
        }
        Optional<Symbolizer.Code> code = symbolOf(file, ip.get()).flatMap(file::functionCode);
        if (code.isEmpty() || ip.get().offset() >= code.get().bytes().length) {
            return Optional.empty();
        }
        long faultAt = code.get().start() + ip.get().offset();
        long ipAddress = ip.get().address().orElse(new RegisterFile(details.registers()).value("rip")
                .orElse(unreadOpcodesIp(details).orElse(faultAt)));
        // Decoded where the code ran, so branch targets and rip-relative operands read as in the oops.
        List<Instruction> insns = disassembler.decode(code.get().bytes(), ipAddress - ip.get().offset(), syntax);
        if (insns.stream().noneMatch(i -> i.address() == ipAddress)) {
            return Optional.empty();
        }
        var entries = new ArrayList<CodeWindow.Entry>();
        int after = 0;
        for (Instruction in : insns) {
            int rel = (int) (in.address() - ipAddress);
            if (rel > 0 && ++after > AFTER_FAULT) {
                break;
            }
            entries.add(new CodeWindow.Entry(rel, in.address(), in.bytes(), in.text(), rel == 0, in));
        }
        return Optional.of(new CodeWindow(entries, false, "code from " + file.elf().name()
                + " (the oops has no code bytes)"));
    }

    private static final java.util.regex.Pattern UNREAD_OPCODES =
            java.util.regex.Pattern.compile("Unable to access opcode bytes at (?:RIP )?0x([0-9a-f]{1,16})");

    /**
     * The IP from "Code: Unable to access opcode bytes at 0x..." ("at RIP 0x..." before 5.18):
     * x86's show_opcodes() names the first of the 42 bytes it meant to print before the IP
     * (arch/x86/kernel/dumpstack.c, PROLOGUE_SIZE).
     */
    private static java.util.OptionalLong unreadOpcodesIp(OopsDetails details) {
        var m = UNREAD_OPCODES.matcher(details.code().map(c -> c.line()).orElse(""));
        return m.find() ? java.util.OptionalLong.of(Long.parseUnsignedLong(m.group(1), 16) + 42) : java.util.OptionalLong.empty();
    }

    /** Instructions shown after the faulting one when the code comes from the debug file. */
    private static final int AFTER_FAULT = 4;

    /**
     * The faulting instruction's operands in source terms (see {@link OperandNamer}); empty when
     * the IP's function has no debug file or no DWARF variables.
     */
    private List<NamedOperand> nameOperands(OopsDetails details, Disassembler disassembler, List<String> warnings) {
        Optional<Frame> ip = details.ip();
        Symbolizer file = ip.map(f -> debugFile(f, new ArrayList<>())).orElse(null);
        if (file == null) {
            return List.of();
        }
        try {
            Optional<Symbol> sym = symbolOf(file, ip.get());
            Optional<Symbolizer.Code> code = sym.flatMap(file::functionCode);
            if (code.isEmpty()) {
                return List.of();
            }
            // AT&T operands in Intel order, whatever syntax the report is shown in.
            List<Instruction> insns = disassembler.decode(code.get().bytes(), code.get().start(), Syntax.ATT);
            return new OperandNamer(file, sym.get(), insns).name(ip.get().offset());
        } catch (KdiveException e) {
            warnings.add("naming the faulting operands: " + e.getMessage());
            return List.of();
        }
    }

    /** The debug file for a frame, or null (with a warning) when none was given. */
    private Symbolizer debugFile(Frame f, List<String> warnings) {
        if (f.symbol().isEmpty()) {
            return null;
        }
        if (f.module().isEmpty()) {
            return vmlinux;
        }
        Symbolizer s = modules.get(f.module());
        if (s == null) {
            warnings.add("%s is in module %s: give --module %s=FILE.ko to resolve it"
                    .formatted(f.symbol(), f.module(), f.module()));
        }
        return s;
    }

    /** The symbol a frame means: among same-named static copies, the one its printed size fits. */
    private static Optional<Symbol> symbolOf(Symbolizer s, Frame f) {
        return s.function(f.symbol(), f.size());
    }

    /** {@code f}'s symbol + {@code offset} in {@code s}; empty when there is no debug file for it. */
    private static List<SourceFrame> chain(Symbolizer s, Frame f, long offset, List<String> warnings) {
        if (s == null || offset < 0) {
            return List.of();
        }
        Location loc;
        try {
            loc = s.symbolizeSymbol(symbolOf(s, f).orElseThrow(() -> new kdive.io.LookupException(
                    s.elf().name() + ": no symbol " + f.symbol())), offset);
        } catch (KdiveException e) {
            warnings.add(e.getMessage());
            return List.of();
        }
        if (!loc.found()) {
            return List.of();
        }
        return loc.frames().stream().map(fr -> new SourceFrame(fr.function(), fr.file(), fr.line())).toList();
    }

    /**
     * kallsyms prints the distance to the next symbol, which includes alignment padding after the
     * function; only a size outside [ELF size, ELF size rounded up to 64] says "another build".
     */
    private void sizeCheck(OopsDetails details, List<String> warnings) {
        if (vmlinux == null) {
            return;
        }
        var frames = new ArrayList<Frame>(details.callTrace());
        details.ip().ifPresent(frames::add);
        for (Frame f : frames) {
            if (!f.module().isEmpty() || f.symbol().isEmpty() || f.size() == 0) {
                continue;
            }
            Optional<Symbol> sym = symbolOf(vmlinux, f);
            if (sym.isEmpty()) {
                warnings.add(vmlinux.elf().name() + ": no symbol " + f.symbol());
                continue;
            }
            long elfSize = sym.get().size();
            if (elfSize != 0 && !Symbolizer.sizeFits(elfSize, f.size())) {
                warnings.add("%s is 0x%x bytes in the vmlinux but 0x%x in the oops: this vmlinux is not the crashed kernel's"
                        .formatted(f.symbol(), elfSize, f.size()));
            }
        }
    }

    @Override
    public void close() {
        modules.values().forEach(Symbolizer::close);
        if (vmlinux != null) {
            vmlinux.close();
        }
    }
}

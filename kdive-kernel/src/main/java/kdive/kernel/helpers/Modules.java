package kdive.kernel.helpers;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import kdive.elf.Symbol;
import kdive.io.FaultException;
import kdive.kernel.Obj;
import kdive.kernel.Program;
import kdive.kernel.SymbolHit;

/**
 * The loaded modules, from the kernel's {@code modules} list: where each one's memory is and its
 * own symbol table ({@code mod->kallsyms}, kept in the module's memory), which the vmlinux cannot
 * know. Three layouts of {@code struct module} are read: {@code mem[]} (6.4+),
 * {@code core_layout}/{@code init_layout} (4.5 to 6.3) and {@code module_core}/{@code core_size}
 * (older). Unreadable parts become problems; the rest is still listed.
 */
public final class Modules {

    /** Bounds against a corrupt module: more is not a kernel's. */
    private static final int MAX_MODULES = 1 << 16;
    private static final int MAX_SYMBOLS = 1 << 20;
    private static final int MAX_STRTAB = 64 << 20;
    private static final int ELF64_SYM = 24;

    private Modules() {}

    /**
     * One loaded module.
     *
     * @param address its {@code struct module}
     * @param base where its text starts (what /proc/modules prints)
     * @param size its size as /proc/modules prints it (every memory region it still holds)
     * @param ranges its memory regions, {start, size} each
     * @param symbols its symbols in address order
     */
    public record Module(long address, String name, long base, long size, List<long[]> ranges, List<ModuleSymbol> symbols) {
        public Module {
            ranges = List.copyOf(ranges);
            symbols = List.copyOf(symbols);
        }

        public boolean contains(long vaddr) {
            return ranges.stream().anyMatch(r -> Long.compareUnsigned(vaddr - r[0], r[1]) < 0);
        }
    }

    /** A module symbol with the type letter the kernel keeps for /proc/kallsyms. */
    public record ModuleSymbol(Symbol symbol, char letter) {}

    public record ModuleList(List<Module> modules, List<String> problems) {
        public ModuleList {
            modules = List.copyOf(modules);
            problems = List.copyOf(problems);
        }

        /** The module symbol at or below {@code vaddr}, in the module whose memory holds it. */
        public Optional<SymbolHit> symbolize(long vaddr) {
            for (Module m : modules) {
                if (!m.contains(vaddr)) {
                    continue;
                }
                ModuleSymbol best = null;
                for (ModuleSymbol s : m.symbols()) {
                    if (Long.compareUnsigned(s.symbol().value(), vaddr) > 0) {
                        break;
                    }
                    if (m.contains(s.symbol().value())) {
                        best = s;
                    }
                }
                if (best != null) {
                    long value = best.symbol().value();
                    return Optional.of(new SymbolHit(best.symbol(), value, best.letter(), vaddr - value, m.name()));
                }
            }
            return Optional.empty();
        }

        /** Every module symbol named {@code name}. */
        public List<SymbolHit> symbols(String name) {
            var out = new ArrayList<SymbolHit>();
            for (Module m : modules) {
                for (ModuleSymbol s : m.symbols()) {
                    if (s.symbol().name().equals(name)) {
                        out.add(new SymbolHit(s.symbol(), s.symbol().value(), s.letter(), 0, m.name()));
                    }
                }
            }
            return out;
        }
    }

    public static ModuleList list(Program prog) {
        var problems = new ArrayList<String>();
        var modules = new ArrayList<Module>();
        if (!prog.hasObject("modules")) {
            return new ModuleList(modules, List.of("no variable 'modules' in the vmlinux's DWARF: modules not listed"));
        }
        Obj head = prog.object("modules");
        long listOff = Obj.offsetOf(prog, prog.type("struct module").offset(), "list");
        Lists.Walk w = Lists.walk(prog, head.address(), MAX_MODULES);
        w.problem().ifPresent(p -> problems.add("modules: " + p));
        for (long node : w.nodes()) {
            long address = node - listOff;
            try {
                modules.add(read(prog, prog.object("struct module", address), problems));
            } catch (FaultException e) {
                problems.add("module 0x%016x: %s".formatted(address, e.getMessage()));
            }
        }
        return new ModuleList(modules, problems);
    }

    private static Module read(Program prog, Obj mod, List<String> problems) {
        String name = mod.member("name").asString(64);
        // Each layout's regions as {base, size} members; the first is where the text starts.
        var regions = new ArrayList<Obj[]>();
        if (mod.hasMember("mem")) {
            Obj mem = mod.member("mem");
            for (int i = 0; i < mem.length(); i++) {
                regions.add(new Obj[] {mem.index(i).member("base"), mem.index(i).member("size")});
            }
        } else if (mod.hasMember("core_layout")) {
            for (String layout : List.of("core_layout", "init_layout")) {
                regions.add(new Obj[] {mod.member(layout + ".base"), mod.member(layout + ".size")});
            }
        } else {
            regions.add(new Obj[] {mod.member("module_core"), mod.member("core_size")});
            regions.add(new Obj[] {mod.member("module_init"), mod.member("init_size")});
        }
        var ranges = new ArrayList<long[]>();
        long base = regions.getFirst()[0].asLong();
        long size = 0;
        for (Obj[] r : regions) {
            long s = r[1].asLong();
            size += s;
            if (s > 0) {
                ranges.add(new long[] {r[0].asLong(), s});
            }
        }
        List<ModuleSymbol> symbols = List.of();
        try {
            symbols = symbols(prog, mod);
        } catch (FaultException e) {
            problems.add("symbols of module %s: %s".formatted(name, e.getMessage()));
        }
        return new Module(mod.address(), name, base, size, ranges, symbols);
    }

    /** mod->kallsyms (4.11+; the fields sit in struct module before): Elf64_Sym array, strings, letters. */
    private static List<ModuleSymbol> symbols(Program prog, Obj mod) {
        Obj ks = mod.hasMember("kallsyms") ? mod.member("kallsyms").deref() : mod;
        long count = ks.member("num_symtab").asLong();
        if (count <= 0 || count > MAX_SYMBOLS) {
            throw new FaultException(ks.address(), 0, "num_symtab %d is no module's".formatted(count));
        }
        long symtab = ks.member("symtab").asLong();
        long strtab = ks.member("strtab").asLong();
        ByteBuffer syms = ByteBuffer.wrap(prog.read(symtab, (int) count * ELF64_SYM)).order(ByteOrder.LITTLE_ENDIAN);
        long maxName = 0;
        for (int i = 0; i < count; i++) {
            maxName = Math.max(maxName, syms.getInt(i * ELF64_SYM) & 0xffffffffL);
        }
        byte[] strings = prog.read(strtab, (int) Math.min(MAX_STRTAB, maxName + 256));
        byte[] types = ks.hasMember("typetab") ? prog.read(ks.member("typetab").asLong(), (int) count) : null;
        var out = new ArrayList<ModuleSymbol>();
        for (int i = 0; i < count; i++) {
            int at = i * ELF64_SYM;
            int nameOff = syms.getInt(at);
            int info = syms.get(at + 4) & 0xff;
            int other = syms.get(at + 5) & 0xff;
            int shndx = syms.getShort(at + 6) & 0xffff;
            long value = syms.getLong(at + 8);
            long size = syms.getLong(at + 16);
            String name = cstring(strings, nameOff);
            if (name.isEmpty() || shndx == 0) {
                continue;
            }
            // Before 5.2 the kernel kept the letter in st_info itself (add_kallsyms' elf_type()).
            char letter = types != null ? (char) (types[i] & 0xff) : (char) info;
            Symbol sym = types != null
                    ? new Symbol(name, value, size, info & 0xf, info >> 4, other & 3, shndx)
                    : new Symbol(name, value, size, Symbol.STT_NOTYPE, Character.isUpperCase(letter) ? 1 : 0, other & 3, shndx);
            out.add(new ModuleSymbol(sym, letter));
        }
        out.sort(Comparator.comparing((ModuleSymbol s) -> s.symbol().value(), Long::compareUnsigned));
        return out;
    }

    private static String cstring(byte[] b, int off) {
        if (off < 0 || off >= b.length) {
            return "";
        }
        int end = off;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.ISO_8859_1);
    }
}

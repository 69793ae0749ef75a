package kdive.dwarf;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kdive.dwarf.internal.CfaProgram;
import kdive.dwarf.internal.FrameSection;
import kdive.elf.ElfFile;
import kdive.elf.Section;
import kdive.io.LookupException;

/**
 * Call frame information of one ELF file (DWARF 5 §6.4): {@code .eh_frame} (what the program's
 * own unwinder uses, LSB "Exception Frames") and {@code .debug_frame}. Opening walks the entries
 * once to index FDEs by address; a lookup decodes only the FDE that covers the PC.
 *
 * <p>For relocatable objects ({@code .o}, {@code .ko}) the sections are relocated by kdive-elf,
 * which lays allocated sections out one after another as binutils' DWARF reader does, so the
 * addresses here are those same placed addresses ({@link ElfFile#placedAddress(Section)}).
 *
 * <p>Thread-safe; the ElfFile must stay open while this is used.
 */
public final class CallFrames {
    public static final String EH_FRAME = ".eh_frame";
    public static final String DEBUG_FRAME = ".debug_frame";

    private final List<FrameSection> sections;

    private CallFrames(List<FrameSection> sections) {
        this.sections = List.copyOf(sections);
    }

    /** Both sections, .eh_frame first: where both describe a PC, its .eh_frame FDE is used. */
    public static CallFrames of(ElfFile elf) {
        var list = new ArrayList<FrameSection>();
        load(elf, EH_FRAME).ifPresent(list::add);
        load(elf, DEBUG_FRAME).ifPresent(list::add);
        return new CallFrames(list);
    }

    /** Only section {@code name} ({@link #EH_FRAME} or {@link #DEBUG_FRAME}); empty when the file lacks it. */
    public static CallFrames of(ElfFile elf, String name) {
        if (!name.equals(EH_FRAME) && !name.equals(DEBUG_FRAME)) {
            throw new IllegalArgumentException("not a call frame section: " + name);
        }
        return new CallFrames(load(elf, name).stream().toList());
    }

    private static Optional<FrameSection> load(ElfFile elf, String name) {
        Optional<Section> sec = elf.findSection(name);
        if (sec.isEmpty() || sec.get().type() == Section.SHT_NOBITS) {
            return Optional.empty();
        }
        MemorySegment data = elf.debugSection(name).orElseThrow();
        // Relocated as if every section were at 0 (kdive-elf's Relocator subtracts only the field's
        // offset in the section for PC-relative types): pcrel values count from 0 too.
        long address = elf.header().isRelocatable() ? 0 : sec.get().addr();
        long text = elf.findSection(".text").map(elf::placedAddress).orElse(0L);
        // glibc's unwinder takes the data base from DT_PLTGOT (i386): .got.plt, else .got.
        long dataBase = elf.findSection(".got.plt").or(() -> elf.findSection(".got")).map(elf::placedAddress).orElse(0L);
        var bases = new FrameSection.Bases(address, text, dataBase, elf.is64() ? 8 : 4);
        return Optional.of(new FrameSection(elf.name(), name, data, elf.order(), bases));
    }

    public boolean isEmpty() {
        return sections.isEmpty();
    }

    /** Names of the sections read, in lookup order. */
    public List<String> sectionNames() {
        return sections.stream().map(FrameSection::name).toList();
    }

    /** The FDE covering {@code pc}, if any. */
    public Optional<Fde> fdeAt(long pc) {
        for (FrameSection s : sections) {
            Optional<Fde> f = s.fdeAt(pc);
            if (f.isPresent()) {
                return f;
            }
        }
        return Optional.empty();
    }

    /** The table row in force at {@code pc}: decodes the covering FDE's instructions. */
    public Optional<FrameRow> at(long pc) {
        return fdeAt(pc).map(f -> {
            List<FrameRow> rows = rows(f);
            int lo = 0;
            int hi = rows.size() - 1;
            int found = 0;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (Long.compareUnsigned(rows.get(mid).start(), pc) <= 0) {
                    found = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return rows.get(found);
        });
    }

    /** Every FDE, section by section in file order (including empty-range ones). */
    public List<Fde> fdes() {
        var out = new ArrayList<Fde>();
        for (FrameSection s : sections) {
            out.addAll(s.fdes());
        }
        return out;
    }

    /** Every CIE, section by section in file order. */
    public List<Cie> cies() {
        var out = new ArrayList<Cie>();
        for (FrameSection s : sections) {
            out.addAll(s.cies());
        }
        return out;
    }

    /** Number of FDEs in all sections. */
    public int fdeCount() {
        return sections.stream().mapToInt(FrameSection::fdeCount).sum();
    }

    /**
     * The full table of {@code fde}: one row per location the instructions create, in order (an
     * advance by 0 makes an empty row, as in the DWARF table and readelf's); never empty.
     */
    public List<FrameRow> rows(Fde fde) {
        return CfaProgram.rows(section(fde.section()), fde);
    }

    /** The rules after {@code cie}'s initial instructions, as a row at address 0. */
    public FrameRow initialRow(Cie cie) {
        return CfaProgram.initialRow(section(cie.section()), cie);
    }

    private FrameSection section(String name) {
        for (FrameSection s : sections) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new LookupException("no " + name + " section in these call frames");
    }
}

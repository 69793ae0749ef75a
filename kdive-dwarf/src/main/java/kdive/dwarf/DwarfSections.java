package kdive.dwarf;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import kdive.elf.ElfFile;
import kdive.io.BinaryReader;

/**
 * The DWARF sections of one file, uncompressed and (for relocatable objects) relocated; absent
 * sections are empty. Readers name the file and section in errors, with section offsets.
 */
public record DwarfSections(
        String file,
        ByteOrder order,
        MemorySegment info,
        MemorySegment abbrev,
        MemorySegment str,
        MemorySegment lineStr,
        MemorySegment strOffsets,
        MemorySegment addr,
        MemorySegment line,
        MemorySegment ranges,
        MemorySegment rnglists,
        MemorySegment loclists,
        MemorySegment loc,
        MemorySegment aranges) {

    public static DwarfSections of(ElfFile elf) {
        return new DwarfSections(elf.name(), elf.order(),
                get(elf, ".debug_info"), get(elf, ".debug_abbrev"), get(elf, ".debug_str"),
                get(elf, ".debug_line_str"), get(elf, ".debug_str_offsets"), get(elf, ".debug_addr"),
                get(elf, ".debug_line"), get(elf, ".debug_ranges"), get(elf, ".debug_rnglists"),
                get(elf, ".debug_loclists"), get(elf, ".debug_loc"), get(elf, ".debug_aranges"));
    }

    private static MemorySegment get(ElfFile elf, String name) {
        return elf.debugSection(name).orElse(MemorySegment.ofArray(new byte[0]));
    }

    /** A reader over {@code section}, named "{@code file} [{@code name}]" in errors. */
    public BinaryReader reader(MemorySegment section, String name) {
        return new BinaryReader(section, file + " [" + name + "]", 0, order);
    }
}

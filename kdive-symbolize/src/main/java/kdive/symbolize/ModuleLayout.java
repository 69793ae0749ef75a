package kdive.symbolize;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kdive.elf.ElfFile;
import kdive.elf.Section;

/**
 * Where the kernel's module loader put each section of a {@code .ko} whose core image starts at
 * {@code base} (the address /proc/modules and crash's {@code mod} print), so that a raw address
 * inside a module maps to a section and an offset. The loader (kernel/module/main.c,
 * layout_sections, up to 6.3) places allocated sections in four groups — code, read-only data,
 * read-only-after-init data, writable data — each in section-header order aligned to its
 * {@code sh_addralign}, with every group starting on a page (CONFIG_STRICT_MODULE_RWX, always on
 * x86-64); {@code .init*} sections go to a separate image that is freed after loading. From 6.4 on
 * the groups are allocated separately: only the code group then starts at {@code base}.
 */
public record ModuleLayout(long base, List<Placed> sections) {
    private static final long PAGE = 4096;
    private static final long SHF_RO_AFTER_INIT = 0x00200000;

    public ModuleLayout {
        sections = List.copyOf(sections);
    }

    /** A section of the module and the address it was loaded at. */
    public record Placed(Section section, long address) {
        public boolean contains(long a) {
            return Long.compareUnsigned(a, address) >= 0 && Long.compareUnsigned(a - address, section.size()) < 0;
        }
    }

    public static ModuleLayout of(ElfFile ko, long base) {
        var placed = new ArrayList<Placed>();
        long size = 0;
        for (Group g : Group.values()) {
            for (Section s : ko.sections()) {
                if (g.holds(s) && !s.name().startsWith(".init") && !droppedByLoader(s)) {
                    long align = Math.max(1, s.addralign());
                    size = (size + align - 1) / align * align;
                    placed.add(new Placed(s, base + size));
                    size += s.size();
                }
            }
            size = (size + PAGE - 1) / PAGE * PAGE;
        }
        return new ModuleLayout(base, placed);
    }

    /** The section loaded at {@code address}, if any. */
    public Optional<Placed> find(long address) {
        return sections.stream().filter(p -> p.contains(address)).findFirst();
    }

    /** The loader keeps .modinfo and __versions out of the image (it clears their SHF_ALLOC). */
    private static boolean droppedByLoader(Section s) {
        return s.name().equals(".modinfo") || s.name().equals("__versions");
    }

    private enum Group {
        CODE, RODATA, RO_AFTER_INIT, DATA;

        boolean holds(Section s) {
            long f = s.flags();
            if ((f & Section.SHF_ALLOC) == 0) {
                return false;
            }
            boolean roAfterInit = (f & SHF_RO_AFTER_INIT) != 0 || s.name().equals(".data..ro_after_init");
            return switch (this) {
                case CODE -> (f & Section.SHF_EXECINSTR) != 0;
                case RODATA -> (f & (Section.SHF_WRITE | Section.SHF_EXECINSTR)) == 0 && !roAfterInit;
                case RO_AFTER_INIT -> roAfterInit && (f & Section.SHF_EXECINSTR) == 0;
                case DATA -> (f & Section.SHF_WRITE) != 0 && (f & Section.SHF_EXECINSTR) == 0 && !roAfterInit;
            };
        }
    }
}

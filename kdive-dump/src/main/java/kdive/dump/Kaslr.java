package kdive.dump;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import kdive.elf.BuildId;
import kdive.elf.ElfFile;
import kdive.elf.Section;
import kdive.elf.Symbol;
import kdive.io.LookupException;
import kdive.io.MissingDebugInfoException;
import kdive.io.ValidationException;

/**
 * Finds the crashed kernel's location (KASLR offset, phys_base, page tables), and checks that a
 * vmlinux belongs to the dump.
 *
 * <p>With vmcoreinfo the kernel says it (KERNELOFFSET, NUMBER(phys_base), SYMBOL(init_top_pgt)).
 * Without it (QEMU without -device vmcoreinfo) the location is derived the way crash's
 * "--kaslr auto" does for QEMU dumps: QEMU's per-CPU note gives CR3 and the IDT base; entry 0
 * of the IDT is the divide-error handler, whose link-time address the vmlinux gives, so their
 * difference is the KASLR offset; walking _stext through CR3 then gives phys_base.
 */
public final class Kaslr {
    /** QEMUCPUState (qemu target/i386/arch_dump.c): offsets of idt.base, cr[3], cr[4]. */
    private static final int QEMU_IDT_BASE = 384;
    private static final int QEMU_CR3 = 416;
    private static final int QEMU_CR4 = 424;
    private static final long CR4_LA57 = 1L << 12;
    /** CR3 low bits are flags/PCID; bit 12 selects PTI's user half (arch/x86/include/asm/pgtable.h). */
    private static final long CR3_ADDR_MASK = 0x000ffffffffff000L & ~(1L << 12);

    private Kaslr() {}

    /** The location from vmcoreinfo if the dump has it, else derived with {@code vmlinux}. */
    public static KernelLocation locate(DumpFile dump, Optional<ElfFile> vmlinux) {
        Optional<VmcoreInfo> vi = dump.vmcoreInfo();
        if (vi.isPresent() && pageTableSymbol(vi.get()).isPresent() && vi.get().physBase().isPresent()) {
            return fromVmcoreInfo(vi.get());
        }
        ElfFile elf = vmlinux.orElseThrow(() -> new MissingDebugInfoException(
                "%s has no vmcoreinfo: give its vmlinux to find the KASLR offset".formatted(dump.name())));
        return fromQemuNote(dump, elf);
    }

    /**
     * The location vmcoreinfo states: SYMBOL(init_top_pgt) (swapper_pg_dir on kernels before 4.13),
     * NUMBER(phys_base), NUMBER(pgtable_l5_enabled), NUMBER(sme_mask) (0 when absent: no SME).
     */
    public static KernelLocation fromVmcoreInfo(VmcoreInfo vi) {
        long root = pageTableSymbol(vi).orElseThrow(() -> new LookupException(
                "%s: vmcoreinfo has no SYMBOL(init_top_pgt) or SYMBOL(swapper_pg_dir), so the page tables cannot be found"
                        .formatted(vi.file())));
        long physBase = vi.physBase().orElseThrow(() -> new LookupException(
                "%s: vmcoreinfo has no NUMBER(phys_base)".formatted(vi.file())));
        return new KernelLocation(vi.kernelOffset(), physBase, root - X86Paging.START_KERNEL_MAP + physBase,
                vi.pgtableL5Enabled(), vi.findNumber("sme_mask").orElse(0), "vmcoreinfo");
    }

    private static java.util.OptionalLong pageTableSymbol(VmcoreInfo vi) {
        java.util.OptionalLong top = vi.findSymbol("init_top_pgt");
        return top.isPresent() ? top : vi.findSymbol("swapper_pg_dir");
    }

    /** Derivation from QEMU's CPU note and the vmlinux (ignores vmcoreinfo even when present). */
    public static KernelLocation fromQemuNote(DumpFile dump, ElfFile vmlinux) {
        DumpNote cpu = dump.notes().stream().filter(n -> n.name().equals("QEMU") && n.desc().length >= QEMU_CR4 + 8)
                .findFirst().orElseThrow(() -> new LookupException(
                        "%s: no vmcoreinfo and no QEMU CPU note: cannot find the KASLR offset".formatted(dump.name())));
        var regs = ByteBuffer.wrap(cpu.desc()).order(ByteOrder.LITTLE_ENDIAN);
        long idt = regs.getLong(QEMU_IDT_BASE);
        long cr3 = regs.getLong(QEMU_CR3) & CR3_ADDR_MASK;
        boolean la57 = (regs.getLong(QEMU_CR4) & CR4_LA57) != 0;
        var paging = new X86Paging(dump.memory(), cr3, la57, 0, 0);
        var gate = ByteBuffer.wrap(paging.read(idt, 16)).order(ByteOrder.LITTLE_ENDIAN);
        long handler = Short.toUnsignedLong(gate.getShort(0)) | Short.toUnsignedLong(gate.getShort(6)) << 16
                | Integer.toUnsignedLong(gate.getInt(8)) << 32;
        long linked = symbol(vmlinux, "asm_exc_divide_error", "divide_error");
        long offset = handler - linked;
        long stext = symbol(vmlinux, "_stext") + offset;
        long physBase = paging.toPhysical(stext) - (stext - X86Paging.START_KERNEL_MAP);
        // No vmcoreinfo, so no sme_mask: QEMU's note does not say whether the guest encrypts memory.
        return new KernelLocation(offset, physBase, cr3, la57, 0,
                "derived: IDT entry 0 (QEMU CPU note) minus the vmlinux's divide-error handler");
    }

    private static long symbol(ElfFile vmlinux, String... names) {
        for (String n : names) {
            Optional<Symbol> s = vmlinux.symbols().findByName(n);
            if (s.isPresent()) {
                return s.get().value();
            }
        }
        throw new LookupException("%s: no symbol %s".formatted(vmlinux.name(), String.join(" or ", names)));
    }

    /**
     * Refuses a vmlinux that is not the dump's kernel: the build-id from vmcoreinfo when both
     * have one, else linux_banner in memory against the vmlinux's (as crash does).
     */
    public static void checkVmlinux(DumpFile dump, ElfFile vmlinux, KernelLocation where) {
        Optional<String> dumpId = dump.vmcoreInfo().flatMap(VmcoreInfo::buildId);
        Optional<BuildId> fileId = vmlinux.buildId();
        if (dumpId.isPresent() && fileId.isPresent()) {
            if (!dumpId.get().equalsIgnoreCase(fileId.get().hex())) {
                throw new ValidationException("%s does not match %s: build-id %s, the dump's kernel has %s"
                        .formatted(vmlinux.name(), dump.name(), fileId.get().hex(), dumpId.get()));
            }
            return;
        }
        long banner = symbol(vmlinux, "linux_banner");
        byte[] expected = bytesAt(vmlinux, banner, 64);
        byte[] actual = where.paging(dump.memory()).read(banner + where.kernelOffset(), expected.length);
        if (!Arrays.equals(expected, actual)) {
            throw new ValidationException("%s does not match %s: linux_banner differs (\"%s\" in the dump)"
                    .formatted(vmlinux.name(), dump.name(), printable(actual)));
        }
    }

    private static byte[] bytesAt(ElfFile elf, long vaddr, int n) {
        List<Section> s = elf.sections().stream()
                .filter(x -> x.addr() != 0 && Long.compareUnsigned(vaddr - x.addr(), x.size()) < 0).toList();
        if (s.isEmpty()) {
            throw new LookupException("%s: no section holds 0x%016x".formatted(elf.name(), vaddr));
        }
        var c = elf.contents(s.getFirst());
        long at = vaddr - s.getFirst().addr();
        return c.asSlice(at, Math.min(n, c.byteSize() - at)).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    private static String printable(byte[] b) {
        var sb = new StringBuilder();
        for (byte x : b) {
            if (x == 0) {
                break;
            }
            sb.append(x >= 0x20 && x < 0x7f ? (char) x : '.');
        }
        return sb.toString();
    }
}

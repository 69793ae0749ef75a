package kdive.dump;

/**
 * One ELF note of a dump (the PT_NOTE segment of an ELF vmcore, or the note area a kdump
 * compressed file copies from it): CORE/NT_PRSTATUS per CPU, VMCOREINFO, QEMU's CPU state.
 *
 * @param offset file offset of the descriptor, for error messages
 */
public record DumpNote(String name, int type, byte[] desc, long offset) {
    public static final int NT_PRSTATUS = 1;

    public DumpNote {
        desc = desc.clone();
    }

    @Override
    public byte[] desc() {
        return desc.clone();
    }
}

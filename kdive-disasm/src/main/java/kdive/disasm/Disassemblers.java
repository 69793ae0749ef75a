package kdive.disasm;

import kdive.disasm.internal.CapstoneDisassembler;
import kdive.disasm.internal.ObjdumpDisassembler;
import kdive.io.UsageException;

/** Opens a {@link Disassembler}. Each call returns a new instance owned by the caller (close it). */
public final class Disassemblers {
    private Disassemblers() {}

    /**
     * Capstone 4 if {@code libcapstone.so.4} loads, else binutils objdump from {@code PATH}.
     *
     * @throws UsageException naming both failures if neither is available
     */
    public static Disassembler best() {
        UsageException capstoneFailure;
        try {
            return capstone();
        } catch (UsageException e) {
            capstoneFailure = e;
        }
        try {
            return objdump();
        } catch (UsageException e) {
            throw new UsageException("no x86-64 disassembler: " + capstoneFailure.getMessage()
                    + "; objdump: " + e.getMessage() + " (install libcapstone4 or binutils)");
        }
    }

    /**
     * Capstone 4 through FFM. Run with {@code --enable-native-access=kdive.disasm} on the module path
     * ({@code ALL-UNNAMED} on the class path), otherwise the JDK warns on first use.
     *
     * @throws UsageException if libcapstone.so.4 is missing or not version 4.x
     */
    public static Disassembler capstone() {
        return new CapstoneDisassembler();
    }

    /**
     * binutils {@code objdump} from {@code PATH}: one process per call (a CodeWindow costs two),
     * each bounded to 20 s and to an output size proportional to the input.
     *
     * @throws UsageException if {@code objdump --version} does not run
     */
    public static Disassembler objdump() {
        return new ObjdumpDisassembler();
    }
}

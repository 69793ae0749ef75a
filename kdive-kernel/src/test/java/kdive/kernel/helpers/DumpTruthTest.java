package kdive.kernel.helpers;

import java.util.function.Function;
import kdive.dump.DumpFile;
import kdive.elf.ElfFile;
import kdive.kernel.Dumps;
import kdive.kernel.Program;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The truth tests' vmlinux, opened once per test class, and a program over one fixture dump. */
abstract class DumpTruthTest {
    private static ElfFile vmlinux;

    @BeforeAll
    static void openVmlinux() {
        vmlinux = Dumps.openVmlinux();
    }

    @AfterAll
    static void closeVmlinux() {
        if (vmlinux != null) {
            vmlinux.close();
            vmlinux = null;
        }
    }

    /** What {@code read} finds in the scenario's dump file, read with the vmlinux. */
    static <T> T read(String scenario, String file, Function<Program, T> read) {
        try (DumpFile d = DumpFile.open(Dumps.file(scenario, file)); Program prog = Program.of(d, vmlinux)) {
            return read.apply(prog);
        }
    }
}

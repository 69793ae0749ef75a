package kdive.disasm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real machine code with its true instruction boundaries: C compiled by gcc at test time and the
 * .text of system binaries, disassembled linearly by objdump (exact for gcc output, which keeps no
 * data in .text on x86-64).
 */
final class RealCode {
    private RealCode() {}

    /** One instruction as objdump printed it (operand text without comments). */
    record TrueInsn(long address, byte[] bytes, String mnemonic, String operands) {
        int length() { return bytes.length; }
    }

    /** A contiguous stretch of instructions. */
    record Run(String name, long start, byte[] bytes, List<TrueInsn> insns) {
        long end() { return start + bytes.length; }
    }

    private static final Pattern LINE =
            Pattern.compile("^\\s*([0-9a-f]+):\\t((?:[0-9a-f]{2} )+)\\s*\\t(.*)$");

    /** gcc flags close to the kernel's x86-64 build (kernel code model, no red zone, no SSE). */
    static final List<String> KERNEL_FLAGS = List.of("-fno-pie", "-no-pie", "-mcmodel=kernel", "-mno-red-zone",
            "-mno-sse", "-ffreestanding", "-fno-stack-protector", "-fno-asynchronous-unwind-tables", "-nostdlib",
            "-static", "-Wl,-Ttext=0xffffffff81000000", "-Wl,--build-id=none");

    static Path compileKernelStyle(Path source, String opt, Path dir) throws Exception {
        Path out = dir.resolve(source.getFileName() + opt + ".elf");
        List<String> cmd = new ArrayList<>(List.of("gcc", opt));
        cmd.addAll(KERNEL_FLAGS);
        cmd.addAll(List.of("-o", out.toString(), source.toString()));
        run(cmd, dir.resolve("gcc.log"));
        return out;
    }

    /** Runs of .text in [start, stop) of an ELF file; the whole section when start == stop == 0. */
    static List<Run> text(Path elf, long start, long stop, Path dir) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("objdump", "-d", "-z", "--insn-width=16", "-j", ".text"));
        if (stop != 0) {
            cmd.add("--start-address=0x" + Long.toHexString(start));
            cmd.add("--stop-address=0x" + Long.toHexString(stop));
        }
        cmd.add(elf.toString());
        Path out = dir.resolve("objdump-" + elf.getFileName() + "-" + Long.toHexString(start) + ".txt");
        run(cmd, out);
        return parse(elf.getFileName() + "@" + Long.toHexString(start), Files.readAllLines(out));
    }

    static List<Run> parse(String name, List<String> lines) {
        List<Run> runs = new ArrayList<>();
        List<TrueInsn> cur = new ArrayList<>();
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            long addr = Long.parseUnsignedLong(m.group(1), 16);
            byte[] bytes = HexFormat.of().parseHex(m.group(2).replace(" ", ""));
            String text = m.group(3).replaceAll("\\s*#.*$", "").replaceAll("\\s*<[^>]*>", "").strip();
            String[] mo = splitText(text);
            if (!cur.isEmpty()) {
                TrueInsn last = cur.getLast();
                if (last.address() + last.length() != addr) {
                    runs.add(toRun(name, cur));
                    cur = new ArrayList<>();
                }
            }
            cur.add(new TrueInsn(addr, bytes, mo[0], mo[1]));
        }
        if (!cur.isEmpty()) {
            runs.add(toRun(name, cur));
        }
        return runs;
    }

    /** objdump pads the mnemonic (with its prefix words) to 6 columns, then one space. */
    static String[] splitText(String text) {
        Matcher m = Pattern.compile("^((?:(?:lock|rep|repz|repnz|data16|cs|ds|es|ss|fs|gs|notrack|bnd|addr32"
                + "|rex\\.?[WRXB]*|\\{[a-z0-9]+\\}) )*\\S+)\\s*(.*)$").matcher(text);
        return m.matches() ? new String[] {m.group(1), m.group(2).strip()} : new String[] {text, ""};
    }

    private static Run toRun(String name, List<TrueInsn> insns) {
        long start = insns.getFirst().address();
        int size = 0;
        for (TrueInsn i : insns) {
            size += i.length();
        }
        byte[] bytes = new byte[size];
        int off = 0;
        for (TrueInsn i : insns) {
            System.arraycopy(i.bytes(), 0, bytes, off, i.length());
            off += i.length();
        }
        return new Run(name, start, bytes, List.copyOf(insns));
    }

    /** Start and end of .text from {@code objdump -h}, or null. */
    static long[] textRange(Path elf, Path dir) throws Exception {
        Path out = dir.resolve("h-" + elf.getFileName() + ".txt");
        run(List.of("objdump", "-h", "-j", ".text", elf.toString()), out);
        for (String line : Files.readAllLines(out)) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 4 && f[1].equals(".text")) {
                long size = Long.parseUnsignedLong(f[2], 16);
                long vma = Long.parseUnsignedLong(f[3], 16);
                return new long[] {vma, vma + size};
            }
        }
        return null;
    }

    static void run(List<String> cmd, Path stdout) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(stdout.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timeout: " + cmd);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(cmd + " failed: " + Files.readString(stdout));
        }
    }
}

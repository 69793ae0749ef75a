package kdive.disasm.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import kdive.disasm.Disassembler;
import kdive.disasm.Instruction;
import kdive.disasm.Syntax;
import kdive.io.UsageException;

/**
 * binutils {@code objdump} as a disassembler: the bytes go to a temporary file, objdump decodes it
 * as a raw x86-64 binary, and its text is parsed back ({@link ObjdumpOutput}, {@link OperandParser}).
 * Each call runs one process, bounded in time ({@link #TIMEOUT_SECONDS}) and output size.
 * Instances hold no state besides the executable's path and are safe to share between threads.
 */
public final class ObjdumpDisassembler implements Disassembler {

    static final long TIMEOUT_SECONDS = 20;
    /** objdump prints under 120 characters per byte of input even for one-byte instructions. */
    private static final int OUTPUT_BYTES_PER_INPUT_BYTE = 160;

    private final String executable;
    private final String version;

    /**
     * @throws UsageException if {@code objdump --version} does not run
     */
    public ObjdumpDisassembler() {
        this("objdump");
    }

    public ObjdumpDisassembler(String executable) {
        this.executable = executable;
        String out = run(List.of(executable, "--version"), 1 << 16);
        String first = out.lines().findFirst().orElse("");
        if (!first.contains("objdump")) {
            throw new UsageException("'" + executable + " --version' did not identify as objdump: " + first);
        }
        this.version = first.replaceAll(".*\\s(\\d+\\.\\d+(\\.\\d+)?)\\S*\\s*$", "$1");
    }

    @Override
    public String name() {
        return "objdump " + version;
    }

    @Override
    public List<Instruction> decode(byte[] code, long address, Syntax syntax) {
        if (code.length == 0) {
            return List.of();
        }
        String text = runOn(code, address, syntax);
        List<Instruction> out = new ArrayList<>();
        List<ObjdumpOutput.Line> lines = ObjdumpOutput.parse(text);
        for (int i = 0; i < lines.size(); i++) {
            ObjdumpOutput.Line line = lines.get(i);
            long offset = line.address() - address;
            if (offset < 0 || offset + line.bytes().length > code.length) {
                break;
            }
            if (line.invalid() || Mnemonics.isBarePrefix(line.mnemonic()) && !followedByValid(lines, i)) {
                break; // objdump prints a cut-off instruction as bare prefixes and .byte lines
            }
            out.add(OperandParser.instruction(line, syntax));
        }
        return out;
    }

    private static boolean followedByValid(List<ObjdumpOutput.Line> lines, int i) {
        for (int j = i + 1; j < lines.size(); j++) {
            if (lines.get(j).invalid()) {
                return false;
            }
            if (!Mnemonics.isBarePrefix(lines.get(j).mnemonic())) {
                return true;
            }
        }
        return false;
    }

    /**
     * One objdump run for all offsets: the 15-byte window at each offset is laid out at a 32-byte
     * stride and followed by 17 {@code nop} bytes. The instruction at the window's start ends within
     * it (at most 15 bytes), anything decoded after it ends within the nops, so objdump is back on an
     * instruction boundary at every stride.
     */
    @Override
    public List<Optional<Instruction>> decodeEveryOffset(byte[] code, int end, long address, Syntax syntax) {
        int limit = Math.min(end, code.length);
        List<Optional<Instruction>> out = new ArrayList<>(Math.max(0, limit));
        if (limit <= 0) {
            return out;
        }
        final int stride = 32;
        byte[] laid = new byte[limit * stride];
        java.util.Arrays.fill(laid, (byte) 0x90);
        for (int i = 0; i < limit; i++) {
            System.arraycopy(code, i, laid, i * stride, Math.min(15, limit - i));
        }
        List<ObjdumpOutput.Line> lines = ObjdumpOutput.parse(runOn(laid, 0, syntax));
        java.util.Map<Long, ObjdumpOutput.Line> byStart = new java.util.HashMap<>();
        for (ObjdumpOutput.Line line : lines) {
            if (line.address() % stride == 0) {
                byStart.put(line.address(), line);
            }
        }
        for (int i = 0; i < limit; i++) {
            ObjdumpOutput.Line line = byStart.get((long) i * stride);
            boolean ok = line != null && !line.invalid() && !Mnemonics.isBarePrefix(line.mnemonic())
                    && line.bytes().length <= limit - i;
            out.add(ok ? Optional.of(OperandParser.instruction(line.at(address + i), syntax)) : Optional.empty());
        }
        return out;
    }

    private String runOn(byte[] code, long address, Syntax syntax) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("kdive-disasm-", ".bin");
            Files.write(tmp, code);
            List<String> cmd = new ArrayList<>(List.of(executable, "-D", "-b", "binary", "-m", "i386:x86-64",
                    "--insn-width=16", "--adjust-vma=0x" + Long.toHexString(address)));
            if (syntax == Syntax.INTEL) {
                cmd.add("-M");
                cmd.add("intel");
            }
            cmd.add(tmp.toString());
            return run(cmd, code.length * OUTPUT_BYTES_PER_INPUT_BYTE + (1 << 16));
        } catch (IOException e) {
            throw new UsageException("cannot write a temporary file for objdump: " + e.getMessage(), e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /**
     * Runs {@code cmd} and returns its stdout. The output goes to a temporary file so that the wait
     * is bounded by {@link #TIMEOUT_SECONDS} even if the process stops writing without exiting.
     *
     * @throws UsageException on a timeout, a non-zero exit or more than {@code maxBytes} of output
     */
    static String run(List<String> cmd, long maxBytes) {
        Path out = null;
        Process p = null;
        try {
            out = Files.createTempFile("kdive-objdump-", ".txt");
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new UsageException(cmd.getFirst() + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new UsageException(cmd.getFirst() + " exited with status " + p.exitValue());
            }
            if (Files.size(out) > maxBytes) {
                throw new UsageException(cmd.getFirst() + " printed more than " + maxBytes + " bytes");
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("cannot run " + cmd.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UsageException("interrupted while waiting for " + cmd.getFirst(), e);
        } finally {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
            deleteQuietly(out);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A leftover temp file is harmless; the result is still valid.
        }
    }

    @Override
    public void close() {
        // Nothing held between calls.
    }
}

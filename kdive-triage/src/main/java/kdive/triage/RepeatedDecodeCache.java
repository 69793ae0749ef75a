package kdive.triage;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import kdive.disasm.Disassembler;
import kdive.disasm.Instruction;
import kdive.disasm.Syntax;

/**
 * Triage decodes each report's code window twice, once per {@link kdive.disasm.CodeWindow.Policy}
 * (the proven start and the most plausible one), with the same bytes: the second decoding of every
 * offset and of the faulting instruction's tail is answered from the first. That was about a tenth
 * of the CPU time per report on a log dense with reports. Confined to the caller's lock, as the
 * disassembler it wraps.
 */
final class RepeatedDecodeCache implements Disassembler {
    private final Disassembler inner;
    private Key lastEvery;
    private List<Optional<Instruction>> lastEveryResult;
    private Key lastDecode;
    private List<Instruction> lastDecodeResult;

    private record Key(byte[] code, int end, long address, Syntax syntax) {
        boolean same(byte[] c, int e, long a, Syntax s) {
            return end == e && address == a && syntax == s && Arrays.equals(code, c);
        }
    }

    RepeatedDecodeCache(Disassembler inner) {
        this.inner = inner;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public List<Instruction> decode(byte[] code, long address, Syntax syntax) {
        if (lastDecode == null || !lastDecode.same(code, -1, address, syntax)) {
            lastDecodeResult = List.copyOf(inner.decode(code, address, syntax));
            lastDecode = new Key(code.clone(), -1, address, syntax);
        }
        return lastDecodeResult;
    }

    @Override
    public Optional<Instruction> decodeOne(byte[] code, int offset, int end, long address, Syntax syntax) {
        return inner.decodeOne(code, offset, end, address, syntax);
    }

    @Override
    public List<Optional<Instruction>> decodeEveryOffset(byte[] code, int end, long address, Syntax syntax) {
        if (lastEvery == null || !lastEvery.same(code, end, address, syntax)) {
            lastEveryResult = List.copyOf(inner.decodeEveryOffset(code, end, address, syntax));
            lastEvery = new Key(code.clone(), end, address, syntax);
        }
        return lastEveryResult;
    }

    @Override
    public void close() {
        inner.close();
    }
}

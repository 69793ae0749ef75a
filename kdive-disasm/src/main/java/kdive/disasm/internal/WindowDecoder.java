package kdive.disasm.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import kdive.disasm.CodeWindow;
import kdive.disasm.Disassembler;
import kdive.disasm.Instruction;
import kdive.disasm.Syntax;

/**
 * Finds where the instructions before an oops marker start.
 *
 * <p>Every offset before the marker is decoded once (one instruction each); offset {@code i}
 * <em>syncs</em> if following instruction lengths from {@code i} lands exactly on the marker without
 * passing through an instruction {@link Plausibility} rejects. The instruction that contains the
 * window's first byte is at most 15 bytes long (SDM vol. 2, 2.3.11), so the first true instruction
 * starts at one of the offsets 0..14, and the true stream syncs. Hence a position that every syncing
 * stream starting at 0..14 passes through is a true instruction boundary, whichever of them is the
 * true one: the decoder shows the instructions from the earliest such position. (It considers the
 * starts 0..10 only, see {@link #FIRST_STARTS}.) Choosing by a
 * plausibility score instead (earliest start, fewest penalties) picked the tail of the instruction
 * cut by the window's start in over a third of all windows, since a tail usually decodes as something
 * ordinary ({@code test %edx,%edx} from {@code 48 85 d2}); see {@code CodeWindowMeasurementTest}.
 */
public final class WindowDecoder {
    private WindowDecoder() {}

    /**
     * Offsets 0..FIRST_STARTS-1 are the possible first true starts. Any x86 instruction is at most 15
     * bytes (SDM vol. 2, 2.3.11), so 15 makes the consensus a proof; the instruction cut by the
     * window's start is in practice at most 11 bytes (gcc's longest common forms: 11-byte nop padding,
     * {@code movl $imm32,disp32(%reg)}), and 11 shows about 10% more of the window for a precision of
     * 99.85-100% instead of 99.8-100% (CodeWindowMeasurementTest: 15 -> 62% recall, 11 -> 71%,
     * 9 -> 76% at 99.7%, 7 -> 80% at 99.0%).
     */
    static final int FIRST_STARTS = 11;

    public static CodeWindow decode(Disassembler d, byte[] code, int marker, long faultIp, Syntax syntax,
                                    CodeWindow.Policy policy) {
        long base = faultIp - marker;
        List<Optional<Instruction>> at = d.decodeEveryOffset(code, marker, base, syntax);
        int[] next = new int[marker];
        boolean[] syncs = new boolean[marker + 1];
        syncs[marker] = true;
        for (int i = marker - 1; i >= 0; i--) {
            next[i] = -1;
            Optional<Instruction> insn = at.get(i);
            if (insn.isEmpty() || Plausibility.gain(insn.get()) <= Plausibility.REJECT) {
                continue;
            }
            int n = i + insn.get().length();
            if (n <= marker && syncs[n]) {
                next[i] = n;
                syncs[i] = true;
            }
        }
        int best = switch (policy) {
            case PROVEN -> consensus(next, syncs, marker);
            case EARLIEST_PLAUSIBLE -> bestScore(at, next, syncs, marker);
        };
        List<CodeWindow.Entry> entries = new ArrayList<>();
        for (int i = best; i < marker; i += at.get(i).orElseThrow().length()) {
            entries.add(entry(at.get(i).orElseThrow(), i - marker, false));
        }
        byte[] tail = Arrays.copyOfRange(code, marker, code.length);
        List<Instruction> after = d.decode(tail, faultIp, syntax);
        int off = 0;
        for (Instruction insn : after) {
            entries.add(entry(insn, off, off == 0));
            off += insn.length();
        }
        String note;
        if (best < marker) {
            note = "decoded from %d bytes before the faulting instruction (%s; %d bytes before it not shown)"
                    .formatted(marker - best, policy == CodeWindow.Policy.PROVEN
                            ? "every plausible start passes there" : "most plausible start", best);
        } else if (marker == 0) {
            note = "no code bytes before the faulting instruction";
        } else {
            note = "no plausible instruction boundary in the %d bytes before the faulting instruction; shown from it on"
                    .formatted(marker);
        }
        if (after.isEmpty()) {
            note += "; the bytes at the faulting IP do not decode";
        }
        return new CodeWindow(entries, best < marker, note);
    }

    /**
     * The earliest position every syncing stream from offsets below {@link #FIRST_STARTS} passes through ({@code marker}
     * if none syncs). Streams merge for good once they meet, so counting visits per position is enough.
     */
    private static int consensus(int[] next, boolean[] syncs, int marker) {
        int[] visits = new int[marker + 1];
        int candidates = 0;
        for (int s = 0; s < Math.min(FIRST_STARTS, marker); s++) {
            if (!syncs[s]) {
                continue;
            }
            candidates++;
            for (int p = s; p < marker; p = next[p]) {
                visits[p]++;
            }
        }
        if (candidates == 0) {
            return marker;
        }
        for (int p = 0; p < marker; p++) {
            if (visits[p] == candidates) {
                return p;
            }
        }
        return marker;
    }

    /**
     * The start with the highest sum of {@link Plausibility#gain} over its stream, the earliest on
     * ties: recovers about as much, but in over a third of windows its first one is the tail of the
     * instruction cut by the window's start.
     */
    private static int bestScore(List<Optional<Instruction>> at, int[] next, boolean[] syncs, int marker) {
        double[] score = new double[marker + 1];
        for (int i = marker - 1; i >= 0; i--) {
            if (syncs[i]) {
                score[i] = Plausibility.gain(at.get(i).orElseThrow()) + score[next[i]];
            }
        }
        int best = marker;
        for (int i = marker - 1; i >= 0; i--) {
            if (syncs[i] && score[i] > 0 && score[i] >= score[best]) {
                best = i;
            }
        }
        return best;
    }

    private static CodeWindow.Entry entry(Instruction insn, int offset, boolean faulting) {
        String text = insn.operandText().isEmpty()
                ? insn.mnemonic()
                : "%-6s %s".formatted(insn.mnemonic(), insn.operandText());
        return new CodeWindow.Entry(offset, insn.address(), insn.bytes(), text, faulting, insn);
    }
}

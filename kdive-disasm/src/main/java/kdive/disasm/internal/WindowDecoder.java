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
 * <em>syncs</em> if following instruction lengths from {@code i} lands exactly on the marker. The
 * chains of all syncing offsets form a tree rooted at the marker, so the score of a chain is its
 * first instruction's gain plus the score of the chain it continues: one backwards pass scores all
 * of them. A chain containing an implausible instruction does not sync at all, so the chosen chain
 * never shows one.
 */
public final class WindowDecoder {
    private WindowDecoder() {}

    public static CodeWindow decode(Disassembler d, byte[] code, int marker, long faultIp, Syntax syntax) {
        long base = faultIp - marker;
        List<Optional<Instruction>> at = d.decodeEveryOffset(code, marker, base, syntax);
        double[] score = new double[marker + 1];
        boolean[] syncs = new boolean[marker + 1];
        syncs[marker] = true;
        for (int i = marker - 1; i >= 0; i--) {
            Optional<Instruction> insn = at.get(i);
            if (insn.isEmpty()) {
                continue;
            }
            int next = i + insn.get().length();
            double gain = Plausibility.gain(insn.get());
            if (next <= marker && syncs[next] && gain > Plausibility.REJECT) {
                syncs[i] = true;
                score[i] = gain + score[next];
            }
        }
        int best = marker;
        for (int i = marker - 1; i >= 0; i--) {
            // >= : ties go to the earlier start.
            if (syncs[i] && score[i] > 0 && score[i] >= score[best]) {
                best = i;
            }
        }
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
            note = "decoded from %d bytes before the faulting instruction (%d bytes before it skipped as a partial instruction)"
                    .formatted(marker - best, best);
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

    private static CodeWindow.Entry entry(Instruction insn, int offset, boolean faulting) {
        String text = insn.operandText().isEmpty()
                ? insn.mnemonic()
                : "%-6s %s".formatted(insn.mnemonic(), insn.operandText());
        return new CodeWindow.Entry(offset, insn.address(), insn.bytes(), text, faulting, insn);
    }
}

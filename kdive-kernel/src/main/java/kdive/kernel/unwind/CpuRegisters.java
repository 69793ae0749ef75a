package kdive.kernel.unwind;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kdive.dump.DumpNote;
import kdive.io.KdiveException;
import kdive.kernel.Program;
import kdive.kernel.helpers.PerCpu;

/**
 * Each CPU's registers when the dump was taken, the first registers of its running task's trace.
 * QEMU's dump-guest-memory writes one NT_PRSTATUS per vCPU, in vCPU order, with pr_pid = index + 1
 * (not a pid): CPU i is note i. A kdump vmcore's notes are the kernel's per-CPU crash_notes
 * (kernel/crash_core.c crash_save_cpu(): the registers at the crash, pr_pid = the task's pid),
 * so they are read from crash_notes in memory, by CPU, which needs no guess at the note order.
 */
public final class CpuRegisters {
    /** Elf64_Nhdr (12 bytes) + "CORE\0" padded to 8: where a crash_notes descriptor starts. */
    private static final int CRASH_NOTE_DESC = 20;
    private static final int PRSTATUS_SIZE = 336;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private CpuRegisters() {}

    public static Map<Integer, RegisterState> of(Program prog) {
        List<DumpNote> prstatus = new ArrayList<>();
        boolean qemu = false;
        for (DumpNote n : prog.dump().notes()) {
            if (n.name().equals("CORE") && n.type() == DumpNote.NT_PRSTATUS) {
                prstatus.add(n);
            }
            qemu |= n.name().equals("QEMU");
        }
        boolean vcpuNumbered = qemu;
        for (int i = 0; i < prstatus.size() && vcpuNumbered; i++) {
            vcpuNumbered = RegisterState.prstatusPid(prstatus.get(i).desc()) == i + 1;
        }
        var out = new TreeMap<Integer, RegisterState>();
        if (vcpuNumbered) {
            for (int i = 0; i < prstatus.size(); i++) {
                DumpNote n = prstatus.get(i);
                out.put(i, RegisterState.fromPrstatus(n.desc(), prog.dump().name(), n.offset()));
            }
            return out;
        }
        return fromCrashNotes(prog);
    }

    /** The per-CPU crash_notes the kernel filled when it crashed (empty notes: a CPU that never saved). */
    private static Map<Integer, RegisterState> fromCrashNotes(Program prog) {
        var out = new TreeMap<Integer, RegisterState>();
        if (!prog.hasObject("crash_notes")) {
            return out;
        }
        try {
            long base = prog.object("crash_notes").asLong();
            for (int cpu : PerCpu.cpus(prog, "__cpu_possible_mask")) {
                long note = base + prog.object("__per_cpu_offset").index(cpu).asLong();
                byte[] b = prog.read(note, CRASH_NOTE_DESC + PRSTATUS_SIZE);
                MemorySegment s = MemorySegment.ofArray(b);
                if (s.get(U32, 0) != 5 || s.get(U32, 8) != DumpNote.NT_PRSTATUS) {
                    continue; // namesz of "CORE": anything else is a note never written
                }
                byte[] desc = java.util.Arrays.copyOfRange(b, CRASH_NOTE_DESC, b.length);
                out.put(cpu, RegisterState.fromPrstatus(desc, "crash_notes", note));
            }
        } catch (KdiveException e) {
            // crash_notes unreadable: no CPU registers, tasks start from their switch frames
        }
        return out;
    }
}

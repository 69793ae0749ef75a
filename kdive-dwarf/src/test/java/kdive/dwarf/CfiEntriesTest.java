package kdive.dwarf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.function.Consumer;
import java.util.stream.Stream;
import kdive.dwarf.internal.CfaProgram;
import kdive.dwarf.internal.FrameSection;
import kdive.io.FormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Call frame entries built byte by byte. Corrupt ones, one defect each around a valid CIE: each
 * is one FormatException naming the section and the offset of the bad byte, never a wrong table.
 * Valid ones in the DW_EH_PE_* pointer encodings readelf cannot check (it applies only pcrel).
 */
class CfiEntriesTest {

    /** Little-endian bytes with LEB128 and length-prefixed entries. */
    static final class Bytes {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes u8(int... values) {
            for (int v : values) {
                out.write(v);
            }
            return this;
        }

        Bytes u16(int v) {
            return u8(v & 0xff, (v >>> 8) & 0xff);
        }

        Bytes u32(long v) {
            for (int i = 0; i < 4; i++) {
                out.write((int) (v >>> (8 * i)) & 0xff);
            }
            return this;
        }

        Bytes u64(long v) {
            return u32(v).u32(v >>> 32);
        }

        Bytes uleb(long v) {
            do {
                int b = (int) (v & 0x7f);
                v >>>= 7;
                out.write(v != 0 ? b | 0x80 : b);
            } while (v != 0);
            return this;
        }

        Bytes sleb(long v) {
            while (true) {
                int b = (int) (v & 0x7f);
                v >>= 7;
                if ((v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0)) {
                    out.write(b);
                    return this;
                }
                out.write(b | 0x80);
            }
        }

        Bytes str(String s) {
            out.writeBytes(s.getBytes());
            out.write(0);
            return this;
        }

        /** An entry: 32-bit length, then {@code body}. */
        Bytes entry(Consumer<Bytes> body) {
            var b = new Bytes();
            body.accept(b);
            u32(b.out.size());
            out.writeBytes(b.out.toByteArray());
            return this;
        }

        int size() {
            return out.size();
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** The .eh_frame CIE all cases start with (offset 0, 0x18 bytes): "zR", pcrel|sdata4, CFA rsp+8, rip at CFA-8. */
    static Bytes cie(String aug, int version) {
        return new Bytes().entry(b -> {
            b.u32(0).u8(version).str(aug).uleb(1).sleb(-8).u8(16);
            if (aug.startsWith("z")) {
                b.uleb(1).u8(0x1b);
            }
            b.u8(0x0c, 7, 8, 0x90, 1, 0, 0);
        });
    }

    /** An FDE for [0x1000, 0x1010) after {@link #cie}: its instructions start at offset 0x18 + 17. */
    static Bytes fde(Bytes b, int... program) {
        int at = b.size();
        return b.entry(f -> {
            f.u32(at + 4); // back to offset 0
            f.u32(0x1000 - (at + 8)).u32(0x10).uleb(0); // pcrel: the field is at at + 8
            f.u8(program);
        });
    }

    static final int PROGRAM = 0x18 + 17;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("length past the end", new Bytes().u32(0x100).u32(0).bytes(), 0, "an entry length within"),
                Arguments.of("64-bit length past the end", new Bytes().u32(0xffffffffL).u64(1L << 40).bytes(), 0, "an entry length within"),
                Arguments.of("CIE pointer before the section", cie("zR", 1).entry(f -> f.u32(0x100).u32(0).u32(0).uleb(0)).bytes(),
                        0x1c, "a CIE pointer at most"),
                Arguments.of("CIE pointer to an FDE", fde(cie("zR", 1), 0).entry(f -> f.u32(0x2e - 0x18)
                        .u32(0).u32(0).uleb(0)).bytes(), 0x2e, "CIE pointer leads to a CIE"),
                Arguments.of("unknown augmentation", cie("xy", 1).bytes(), 9, "a CIE augmentation"),
                Arguments.of("CIE version 2", cie("zR", 2).bytes(), 8, "a CIE version of 1, 3 or 4"),
                Arguments.of("bad pointer encoding", new Bytes().entry(b -> b.u32(0).u8(1).str("zR").uleb(1).sleb(-8).u8(16).uleb(1).u8(0x07))
                        .bytes(), 0x10, "a DW_EH_PE_* pointer encoding"),
                Arguments.of("funcrel FDE address", new Bytes().entry(b -> b.u32(0).u8(1).str("zR").uleb(1).sleb(-8).u8(16).uleb(1).u8(0x43))
                        .entry(f -> f.u32(0x15).u32(0).u32(0x10).uleb(0)).bytes(), 0x19, "pointer encoding absptr, pcrel"),
                Arguments.of("unknown opcode", fde(cie("zR", 1), 0x41, 0x1d, 0).bytes(), PROGRAM + 1, "a DW_CFA_* opcode, got 0x1d"),
                Arguments.of("huge advance", fde(cie("zR", 1), 0x04, 0xff, 0xff, 0xff, 0xff).bytes(), PROGRAM, "a row location between"),
                Arguments.of("set_loc backwards", fde(cie("zR", 1), 0x41, 0x01, 0, 0, 0, 0).bytes(), PROGRAM + 1, "a row location between"),
                Arguments.of("restore_state without remember_state", fde(cie("zR", 1), 0x0b).bytes(), PROGRAM, "a DW_CFA_remember_state before"),
                Arguments.of("remember_state 65 deep", fde(cie("zR", 1), remembers(65)).bytes(), PROGRAM + 64, "nested at most 64 deep"),
                Arguments.of("expression past the end", fde(cie("zR", 1), 0x0f, 0x10, 0x77).bytes(), PROGRAM + 1, "an expression within"),
                Arguments.of("def_cfa_offset after a CFA expression", fde(cie("zR", 1), 0x0f, 1, 0x30, 0x0e, 8).bytes(), PROGRAM + 3,
                        "a register-based CFA rule"),
                Arguments.of("register number too large", fde(cie("zR", 1), 0x07, 0xff, 0xff, 0xff, 0x7f).bytes(), PROGRAM, "a register number up to"),
                Arguments.of("truncated operand", fde(cie("zR", 1), 0x05, 0x03).bytes(), PROGRAM + 2, "1 more byte"),
                Arguments.of("advance in a CIE", new Bytes().entry(b -> b.u32(0).u8(1).str("").uleb(1).sleb(-8).u8(16).u8(0x41)).bytes(),
                        0x0d, "no location change in a CIE"));
    }

    static int[] remembers(int n) {
        int[] p = new int[n];
        java.util.Arrays.fill(p, 0x0a);
        return p;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void corruptEntryIsOneFormatError(String name, byte[] bytes, long offset, String expected) {
        assertThatThrownBy(() -> readAll(bytes))
                .isInstanceOf(FormatException.class)
                .satisfies(e -> {
                    var f = (FormatException) e;
                    assertThat(f.file()).isEqualTo("t.elf [.eh_frame]");
                    if (offset >= 0) {
                        assertThat(f.offset()).as(f.getMessage()).isEqualTo(offset);
                    }
                    assertThat(f.expected()).contains(expected);
                    assertThat(f.getMessage()).doesNotContain("\n");
                });
    }

    @Test
    void theValidBaseCaseReads() {
        // The cases above differ from this by one defect each.
        var s = section(fde(cie("zR", 1), 0x41, 0x0e, 16, 0x0a, 0x0e, 8, 0x41, 0x0b, 0).bytes());
        Fde f = s.fdeAt(0x1004).orElseThrow();
        assertThat(f.pcBegin()).isEqualTo(0x1000);
        var rows = CfaProgram.rows(s, f);
        assertThat(rows).extracting(FrameRow::cfa).containsExactly(
                new CfaRule.RegisterOffset(7, 8), new CfaRule.RegisterOffset(7, 8), new CfaRule.RegisterOffset(7, 16));
        assertThat(rows).extracting(FrameRow::start).containsExactly(0x1000L, 0x1001L, 0x1002L);
        assertThat(s.fdeAt(0x1010)).isEmpty();
    }

    /**
     * FDE start addresses in every DW_EH_PE_* format and application readelf cannot check (it
     * applies only pcrel): the section at 0x4000, .text at 0x100, the GOT at 0x200.
     */
    static Stream<Arguments> encodings() {
        return Stream.of(
                Arguments.of(0x00, 8, (Consumer<Bytes>) b -> b.u64(0xffffffff81000000L), 0xffffffff81000000L),
                Arguments.of(0x00, 4, (Consumer<Bytes>) b -> b.u32(0x8048000L), 0x8048000L),
                Arguments.of(0x08, 4, (Consumer<Bytes>) b -> b.u32(0xffffffe0L), 0xffffffe0L), // signed, masked to 32 bits
                Arguments.of(0x01, 8, (Consumer<Bytes>) b -> b.uleb(0x123456), 0x123456L),
                Arguments.of(0x02, 8, (Consumer<Bytes>) b -> b.u16(0xfff0), 0xfff0L),
                Arguments.of(0x03, 8, (Consumer<Bytes>) b -> b.u32(0x80000000L), 0x80000000L),
                Arguments.of(0x04, 8, (Consumer<Bytes>) b -> b.u64(0x1122334455667788L), 0x1122334455667788L),
                Arguments.of(0x09, 8, (Consumer<Bytes>) b -> b.sleb(-0x20), -0x20L),
                Arguments.of(0x0a, 8, (Consumer<Bytes>) b -> b.u16(0xffe0), -0x20L),
                Arguments.of(0x0b, 8, (Consumer<Bytes>) b -> b.u32(0xffffffe0L), -0x20L),
                Arguments.of(0x0c, 8, (Consumer<Bytes>) b -> b.u64(-0x20L), -0x20L),
                // pcrel: the field is at section offset 0x20, address 0x4020.
                Arguments.of(0x1b, 8, (Consumer<Bytes>) b -> b.u32(-0x20L), 0x4000L),
                Arguments.of(0x13, 8, (Consumer<Bytes>) b -> b.u32(0x10), 0x4030L),
                Arguments.of(0x23, 8, (Consumer<Bytes>) b -> b.u32(0x10), 0x110L), // textrel
                Arguments.of(0x3b, 8, (Consumer<Bytes>) b -> b.u32(0x10), 0x210L), // datarel
                // aligned: padded from 0x4020 to the next multiple of 8 (already one), then absolute.
                Arguments.of(0x50, 8, (Consumer<Bytes>) b -> b.u64(0x5000), 0x5000L));
    }

    @ParameterizedTest(name = "DW_EH_PE 0x{0}, {1}-byte addresses")
    @MethodSource("encodings")
    void fdeAddressEncodings(int encoding, int addressSize, Consumer<Bytes> address, long expected) {
        // A CIE of exactly 0x18 bytes, so the FDE's address field is at 0x20.
        var b = new Bytes().entry(c -> c.u32(0).u8(1).str("zR").uleb(1).sleb(-8).u8(16).uleb(1).u8(encoding)
                .u8(0x0c, 7, 8, 0x90, 1, 0, 0));
        assertThat(b.size()).isEqualTo(0x18);
        b.entry(f -> {
            f.u32(0x1c);
            address.accept(f);
            // The range: 0x10 in the same format, without the application.
            switch (encoding & 0x0f) {
                case 0x00, 0x08 -> {
                    if (addressSize == 8) {
                        f.u64(0x10);
                    } else {
                        f.u32(0x10);
                    }
                }
                case 0x01, 0x09 -> f.uleb(0x10);
                case 0x02, 0x0a -> f.u16(0x10);
                case 0x03, 0x0b -> f.u32(0x10);
                default -> f.u64(0x10);
            }
            f.uleb(0).u8(0x41, 0x0e, 16);
        });
        var s = new FrameSection("t.elf", ".eh_frame", MemorySegment.ofArray(b.bytes()), ByteOrder.LITTLE_ENDIAN,
                new FrameSection.Bases(0x4000, 0x100, 0x200, addressSize));
        Fde f = s.fdes().getFirst();
        long mask = addressSize == 8 ? -1L : 0xffffffffL;
        assertThat(f.pcBegin()).isEqualTo(expected & mask);
        assertThat(f.pcEnd()).isEqualTo((expected & mask) + 0x10);
        assertThat(s.fdeAt(expected & mask).orElseThrow().offset()).isEqualTo(0x18);
        var rows = CfaProgram.rows(s, f);
        assertThat(rows).extracting(FrameRow::start).containsExactly(expected & mask, (expected & mask) + 1);
        assertThat(rows.get(1).cfa()).isEqualTo(new CfaRule.RegisterOffset(7, 16));
    }

    @Test
    void alignedPointerSkipsToAnAddressMultiple() {
        // The field is at offset 0x20 of a section at 0x4004: address 0x4024, so 4 padding bytes.
        var b = new Bytes().entry(c -> c.u32(0).u8(1).str("zR").uleb(1).sleb(-8).u8(16).uleb(1).u8(0x50)
                .u8(0x0c, 7, 8, 0x90, 1, 0, 0));
        b.entry(f -> f.u32(0x1c).u32(0xdeadbeefL).u64(0x5000).u64(0x10).uleb(0).u8(0x41, 0x0e, 16));
        var s = new FrameSection("t.elf", ".eh_frame", MemorySegment.ofArray(b.bytes()), ByteOrder.LITTLE_ENDIAN,
                new FrameSection.Bases(0x4004, 0, 0, 8));
        Fde f = s.fdes().getFirst();
        assertThat(f.pcBegin()).isEqualTo(0x5000);
        assertThat(f.pcEnd()).isEqualTo(0x5010);
        assertThat(f.instructionsOffset()).isEqualTo(0x20 + 4 + 16 + 1);
    }

    private static FrameSection section(byte[] bytes) {
        return new FrameSection("t.elf", ".eh_frame", MemorySegment.ofArray(bytes), ByteOrder.LITTLE_ENDIAN,
                new FrameSection.Bases(0, 0, 0, 8));
    }

    private static void readAll(byte[] bytes) {
        FrameSection s = section(bytes);
        for (Cie c : s.cies()) {
            CfaProgram.initialRow(s, c);
        }
        for (Fde f : s.fdes()) {
            CfaProgram.rows(s, f);
        }
    }
}

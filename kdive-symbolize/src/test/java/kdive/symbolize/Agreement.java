package kdive.symbolize;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kdive.testkit.Tools;

/**
 * Our answers against {@code addr2line -a -f -i} for the same addresses, queried in the same order
 * (some addr2line answers depend on earlier queries, so the batch order matters).
 *
 * @param same addresses whose output is byte-identical
 * @param total addresses compared
 * @param differences the first {@link #SHOWN} differing addresses, both outputs on one line each
 */
record Agreement(int same, int total, List<String> differences) {

    static final int SHOWN = 30;

    /** Symbolizes {@code addresses} in {@code file} and compares with {@code expected} (address to addr2line block). */
    static Agreement of(Path file, long[] addresses, Map<Long, String> expected) {
        try (var sym = Symbolizer.open(file)) {
            return compare(addresses, sym.symbolizeAll(addresses), expected);
        }
    }

    /** Our answers (in the order of {@code keys}) against addr2line's blocks for the same keys. */
    private static Agreement compare(long[] keys, List<Location> answers, Map<Long, String> expected) {
        int same = 0;
        var diffs = new ArrayList<String>();
        for (int i = 0; i < keys.length; i++) {
            String actual = Addr2line.format(answers.get(i));
            String exp = expected.get(keys[i]);
            if (actual.equals(exp)) {
                same++;
            } else if (diffs.size() < SHOWN) {
                diffs.add("0x%x:\n  addr2line: %s\n  kdive:     %s".formatted(keys[i],
                        String.valueOf(exp).replace("\n", " | "), actual.replace("\n", " | ")));
            }
        }
        return new Agreement(same, keys.length, List.copyOf(diffs));
    }

    /** Prints the rate (the figure a reviewer looks for) and the first differences. */
    Agreement print(String what) {
        System.out.printf("%s: %d/%d identical to addr2line -f -i (%.3f%%)%n", what, same, total,
                total == 0 ? 0.0 : 100.0 * same / total);
        differences.forEach(System.out::println);
        return this;
    }

    /** addr2line -a -f -i over all addresses in one process, its raw output. */
    static String addr2lineOutput(Path file, long[] addresses) throws Exception {
        return addr2lineOutput(file, addresses, List.of());
    }

    private static String addr2lineOutput(Path file, long[] addresses, List<String> options) throws Exception {
        var in = new StringBuilder();
        for (long a : addresses) {
            in.append(Long.toHexString(a)).append('\n');
        }
        var command = new java.util.ArrayList<>(List.of("addr2line", "-a", "-f", "-i"));
        command.addAll(options);
        command.addAll(List.of("-e", file.toString()));
        return Tools.runWithInput(command, in.toString());
    }

    /** addr2line's answers for {@code addresses}, keyed by address. */
    static Map<Long, String> addr2line(Path file, long[] addresses) throws Exception {
        return parseBlocks(addr2lineOutput(file, addresses));
    }

    /** {@code addr2line -j SECTION}: offsets into one section of a relocatable file, keyed by offset. */
    static Map<Long, String> addr2lineInSection(Path file, String section, long[] offsets) throws Exception {
        return parseBlocks(addr2lineOutput(file, offsets, List.of("-j", section)));
    }

    /** Offsets into {@code section} symbolized as {@link Symbolizer#symbolizeInSection} answers them. */
    static Agreement inSection(Path file, String section, long[] offsets, Map<Long, String> expected) {
        try (var sym = Symbolizer.open(file)) {
            kdive.elf.Section s = sym.elf().section(section);
            var answers = new ArrayList<Location>(offsets.length);
            for (long off : offsets) {
                answers.add(sym.symbolizeInSection(s, off));
            }
            return compare(offsets, answers, expected);
        }
    }

    /** Splits addr2line -a output into one block per "0x..." address line. */
    static Map<Long, String> parseBlocks(String out) {
        var map = new LinkedHashMap<Long, String>();
        Long current = null;
        var block = new StringBuilder();
        for (String line : out.split("\n", -1)) {
            if (line.startsWith("0x") && line.length() >= 10 && line.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                if (current != null) {
                    map.put(current, block.toString());
                }
                current = Long.parseUnsignedLong(line.substring(2), 16);
                block.setLength(0);
            } else if (current != null && !(line.isEmpty() && block.isEmpty())) {
                block.append(line).append('\n');
            }
        }
        if (current != null) {
            String b = block.toString();
            map.put(current, b.endsWith("\n\n") ? b.substring(0, b.length() - 1) : b);
        }
        return map;
    }
}

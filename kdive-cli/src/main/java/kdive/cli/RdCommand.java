package kdive.cli;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.Callable;
import java.nio.file.Path;
import java.util.Optional;
import kdive.dump.DumpFile;
import kdive.dump.MemoryReader;
import kdive.io.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "rd", mixinStandardHelpOptions = true,
        description = {"Read memory of a crash dump, laid out like crash's rd: ADDR [COUNT] VMCORE.",
                "ADDR is hexadecimal or a vmcoreinfo symbol (init_uts_ns+0x10); COUNT units, default 1.",
                "Exit status: 0 ok, 2 usage error, unreadable dump or memory not in the dump."})
final class RdCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "-p", description = "ADDR is a physical address.")
    boolean physical;

    @Option(names = "-8", description = "Display 8-bit values.")
    boolean w8;

    @Option(names = "-16", description = "Display 16-bit values.")
    boolean w16;

    @Option(names = "-32", description = "Display 32-bit values.")
    boolean w32;

    @Option(names = "-64", description = "Display 64-bit values (the default).")
    boolean w64;

    @Option(names = "--json", description = "One JSON object: address, physical, width and the values as hex strings.")
    boolean json;

    @Option(names = "--vmlinux", paramLabel = "FILE",
            description = "The dump's vmlinux: checked against the dump; needed when the dump has no vmcoreinfo.")
    String vmlinux;

    @Parameters(arity = "2..3", paramLabel = "ADDR [COUNT] VMCORE")
    List<String> args;

    @Override
    public Integer call() {
        int width = w8 ? 1 : w16 ? 2 : w32 ? 4 : 8;
        if ((w8 ? 1 : 0) + (w16 ? 1 : 0) + (w32 ? 1 : 0) + (w64 ? 1 : 0) > 1) {
            throw new UsageException("rd: choose one of -8, -16, -32, -64");
        }
        PrintWriter out = spec.commandLine().getOut();
        DumpFile opened = DumpArgs.open(args.getLast());
        try (KernelArgs k = KernelArgs.of(opened, Optional.ofNullable(vmlinux).map(Path::of))) {
            long addr = DumpArgs.address(args.getFirst(), k.dump);
            int count = args.size() == 3 ? DumpArgs.count(args.get(1)) : 1;
            MemoryReader memory = physical ? k.program.memory().physical() : k.program.memory();
            long total = (long) count * width;
            if (json) {
                if (total > 1 << 24) {
                    throw new UsageException("rd --json: at most 16 MiB at once");
                }
                byte[] all = new byte[(int) total];
                memory.read(addr, all, 0, all.length);
                out.println(json(addr, physical, all, width));
                return Main.EXIT_FOUND;
            }
            for (long done = 0; done < total; done += 16) {
                int n = (int) Math.min(16, total - done);
                byte[] line = new byte[n];
                memory.read(addr + done, line, 0, n);
                out.println(format(addr + done, line, width));
                out.flush(); // what was read stays printed if a later line faults
            }
        }
        return Main.EXIT_FOUND;
    }

    static String json(long addr, boolean physical, byte[] bytes, int width) {
        var buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        var values = new StringBuilder();
        for (int i = 0; i + width <= bytes.length; i += width) {
            long v = switch (width) {
                case 1 -> Byte.toUnsignedLong(buf.get(i));
                case 2 -> Short.toUnsignedLong(buf.getShort(i));
                case 4 -> Integer.toUnsignedLong(buf.getInt(i));
                default -> buf.getLong(i);
            };
            values.append(values.isEmpty() ? "" : ",").append("\"0x%x\"".formatted(v));
        }
        return "{\"address\":\"0x%016x\",\"physical\":%b,\"width\":%d,\"values\":[%s]}"
                .formatted(addr, physical, width * 8, values);
    }

    /** One line: "address:  values   ascii" (ascii only for 8-byte units, as crash does). */
    static String format(long addr, byte[] bytes, int width) {
        var b = new StringBuilder("%016x:  ".formatted(addr));
        var buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + width <= bytes.length; i += width) {
            switch (width) {
                case 1 -> b.append("%02x ".formatted(buf.get(i)));
                case 2 -> b.append("%04x ".formatted(buf.getShort(i)));
                case 4 -> b.append("%08x ".formatted(buf.getInt(i)));
                default -> b.append("%016x ".formatted(buf.getLong(i)));
            }
        }
        if (width == 8) {
            b.append("  ".repeat(Math.max(0, 2 - bytes.length / 8) * 9));
            b.append("  ");
            for (byte x : bytes) {
                b.append(x >= 0x20 && x < 0x7f ? (char) x : '.');
            }
        }
        return b.toString().stripTrailing();
    }
}

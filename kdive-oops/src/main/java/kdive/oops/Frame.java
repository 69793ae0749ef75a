package kdive.oops;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * A code location as an oops prints it: {@code [<ffffffff81577bf2>] tcp_sendmsg+0x6f2/0xc20 [mod]}.
 *
 * @param address the address when the line shows one (old kernels, arm64), else empty
 * @param symbol function name, empty when the frame is a bare address
 * @param offset offset into {@code symbol}
 * @param size size of {@code symbol} (0 when not printed)
 * @param module module name for frames in a loadable module, else empty
 * @param reliable false for frames printed with {@code ?} (found on the stack, not by the unwinder)
 * @param context the stack the frame was found on when the trace marks it ({@code IRQ}, {@code NMI}, {@code TASK},
 *        {@code SOFTIRQ}, {@code EOI}), else empty
 * @param source {@code file.c:123} when the line is already symbolized, else empty
 */
public record Frame(
        OptionalLong address, String symbol, long offset, long size, String module, boolean reliable,
        String context, String source) {

    public Optional<String> moduleIfAny() {
        return module.isEmpty() ? Optional.empty() : Optional.of(module);
    }

    /** {@code symbol+0xoff/0xsize [module]} as the kernel prints it. */
    public String display() {
        if (symbol.isEmpty()) {
            return address.isPresent() ? "0x%x".formatted(address.getAsLong()) : "?";
        }
        var s = new StringBuilder(symbol).append("+0x").append(Long.toHexString(offset));
        if (size != 0) {
            s.append("/0x").append(Long.toHexString(size));
        }
        if (!module.isEmpty()) {
            s.append(" [").append(module).append(']');
        }
        return s.toString();
    }
}

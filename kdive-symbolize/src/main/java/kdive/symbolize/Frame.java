package kdive.symbolize;

/**
 * One level of an address's inline chain: the function, and the source position in it
 * (for the innermost level, the line table's row; for outer levels, the call site of the
 * level inside). {@code function}/{@code file} are null when unknown; {@code line} is 0 when
 * unknown.
 */
public record Frame(String function, String file, long line, long discriminator) {}

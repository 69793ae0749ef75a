package kdive.io;

/** Memory that cannot be read: not in the dump, excluded by the dump filter, or unmapped. */
public final class FaultException extends KdiveException {
    private final long address;
    private final long size;
    private final String reason;

    public FaultException(long address, long size, String reason) {
        super("cannot read %d byte(s) at 0x%016x: %s".formatted(size, address, reason));
        this.address = address;
        this.size = size;
        this.reason = reason;
    }

    public long address() { return address; }

    public long size() { return size; }

    public String reason() { return reason; }
}

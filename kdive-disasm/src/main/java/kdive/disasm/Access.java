package kdive.disasm;

/** How an instruction uses an operand. */
public enum Access {
    NONE, READ, WRITE, READ_WRITE;

    public boolean reads() { return this == READ || this == READ_WRITE; }

    public boolean writes() { return this == WRITE || this == READ_WRITE; }
}

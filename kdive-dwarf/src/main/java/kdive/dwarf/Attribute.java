package kdive.dwarf;

/** An attribute of a DIE: its name (DW_AT_*, see {@link DwAt}) and value. */
public record Attribute(int name, AttrValue value) {}

package kdive.kernel.commands;

import java.util.ArrayList;
import java.util.List;
import kdive.dwarf.Type;
import kdive.io.FaultException;
import kdive.kernel.Obj;
import kdive.kernel.types.KType;
import kdive.kernel.types.KType.Shape;

/**
 * A value as gdb prints it under crash (pretty structs, repeats never folded: checked against
 * crash 8.0.2's p on the fixture dumps): structs one member a line, indented by two, arrays in
 * braces, char arrays as strings with octal escapes, pointers in hex followed by the kernel
 * symbol they point into (a char pointer by its string), enums by name, booleans as
 * true/false. An unreadable part prints as {@code <error: ...>} so one bad page does not hide
 * the rest of a struct.
 */
public final class ValueFormat {
    /** gdb's {@code print elements}: longer arrays and strings end in "...". */
    private static final int ELEMENTS = 200;
    private static final int MAX_DEPTH = 32;

    private final boolean hex;
    private final Symbolizer symbols;

    /** Names an address for a function pointer ("schedule+4"), or null. */
    public interface Symbolizer {
        String name(long address);
    }

    public ValueFormat(boolean hex, Symbolizer symbols) {
        this.hex = hex;
        this.symbols = symbols;
    }

    /** The value at the top level: a pointer shows its type first, as gdb does ("(struct sock *) 0x..."). */
    public String top(Obj o) {
        if (!o.isAbsent() && o.type().shape() instanceof Shape.PointerShape p && !isChar(p.target())
                && !(p.target().shape() instanceof Shape.FunctionShape)) {
            return "(" + o.type().name() + ") " + value(o, 0);
        }
        return value(o, 0);
    }

    public String value(Obj o, int indent) {
        if (o.isAbsent()) {
            return "<optimized out>";
        }
        if (indent > MAX_DEPTH * 2) {
            return "{...}";
        }
        try {
            return switch (o.type().shape()) {
                case Shape.IntShape i -> integer(o, i);
                case Shape.PointerShape p -> pointer(o, p);
                case Shape.ArrayShape a -> array(o, a, indent);
                case Shape.StructShape s -> struct(o, s, indent);
                case Shape.FunctionShape f -> "{%s} 0x%x%s".formatted(o.type().name(), o.address(), symbol(o.address()));
                case Shape.VoidShape v -> "void";
                case Shape.OtherShape x -> "<unprintable " + o.type().name() + ">";
            };
        } catch (FaultException e) {
            return "<error: " + e.getMessage() + ">";
        }
    }

    private String integer(Obj o, Shape.IntShape i) {
        long v = o.asLong();
        if (i.bool()) {
            return v == 0 ? "false" : v == 1 ? "true" : Long.toString(v);
        }
        if (o.type().unqualified() instanceof KType.Dwarf d && d.dwarfType() instanceof Type.Enum e && !hex) {
            for (Type.Enumerator en : e.enumerators()) {
                if (en.value() == v) {
                    return en.name();
                }
            }
            return Long.toString(v);
        }
        String number = hex ? "0x" + Long.toHexString(v & mask(i.bytes())) // gdb: p/x (int)-1 is 0xffffffff
                : i.signed() ? Long.toString(v) : Long.toUnsignedString(v);
        return isChar(o.type()) && !hex ? number + " " + charLiteral((int) (v & 0xff)) : number;
    }

    private static long mask(int bytes) {
        return bytes >= 8 ? -1 : (1L << (bytes * 8)) - 1;
    }

    private String pointer(Obj o, Shape.PointerShape p) {
        long v = o.asLong();
        String s = "0x" + Long.toHexString(v);
        if (v == 0) {
            return s;
        }
        if (p.target().shape() instanceof Shape.FunctionShape) {
            return s + symbol(v);
        }
        if (!(p.target().shape() instanceof Shape.VoidShape) && !isChar(p.target())) {
            return s + symbol(v);
        }
        if (isChar(p.target())) {
            try {
                return s + " " + cString(o.program(), v);
            } catch (FaultException e) {
                return s + " <error: Cannot access memory at address 0x" + Long.toHexString(v) + ">";
            }
        }
        return s;
    }

    private String symbol(long address) {
        String name = symbols == null ? null : symbols.name(address);
        return name == null ? "" : " <" + name + ">";
    }

    private String array(Obj o, Shape.ArrayShape a, int indent) {
        long n = a.length();
        if (n < 0) {
            return "0x" + Long.toHexString(o.address());
        }
        if (isChar(a.element())) {
            int len = (int) Math.min(n, ELEMENTS);
            byte[] b = o.program().read(o.address(), len);
            // A full array's last NUL is its terminator, not shown; gdb also stops at the print limit.
            int shown = n <= ELEMENTS && len > 0 && b[len - 1] == 0 ? len - 1 : len;
            return quoted(b, shown, n > ELEMENTS);
        }
        var items = new ArrayList<String>();
        long shown = Math.min(n, ELEMENTS);
        for (long i = 0; i < shown; i++) {
            items.add(value(o.index(i), indent + 2));
        }
        return "{" + String.join(", ", items) + (n > ELEMENTS ? "..." : "") + "}";
    }

    private String struct(Obj o, Shape.StructShape s, int indent) {
        var out = new StringBuilder("{\n");
        String pad = " ".repeat(indent + 2);
        List<Type.Member> members = s.struct().members();
        for (int i = 0; i < members.size(); i++) {
            Type.Member m = members.get(i);
            out.append(pad);
            Obj field = o.memberAt(m);
            if (m.name() != null) {
                out.append(m.name()).append(" = ");
            }
            out.append(value(field, indent + 2));
            out.append(i + 1 < members.size() ? ",\n" : "\n");
        }
        return out.append(" ".repeat(indent)).append('}').toString();
    }

    private static boolean isChar(KType t) {
        return t.unqualified() instanceof KType.Dwarf d && d.dwarfType() instanceof Type.Base b && b.size() == 1
                && (b.name().equals("char") || b.name().equals("signed char") || b.name().equals("unsigned char"))
                || t.unqualified() instanceof KType.Int i && i.bytes() == 1;
    }

    /** The C string at {@code at}, read a page at a time up to its NUL or gdb's element limit. */
    private static String cString(kdive.kernel.Program prog, long at) {
        var bytes = new java.io.ByteArrayOutputStream();
        long p = at;
        while (bytes.size() < ELEMENTS) {
            byte[] chunk = prog.read(p, (int) Math.min(4096 - (p & 4095), ELEMENTS - bytes.size()));
            for (byte x : chunk) {
                if (x == 0) {
                    return quoted(bytes.toByteArray(), bytes.size(), false);
                }
                bytes.write(x);
            }
            p += chunk.length;
        }
        return quoted(bytes.toByteArray(), bytes.size(), true);
    }

    /** Bytes as gdb quotes a char array or string: printable ASCII as is, the rest as octal escapes. */
    private static String quoted(byte[] b, int n, boolean truncated) {
        var s = new StringBuilder("\"");
        for (int i = 0; i < n; i++) {
            s.append(escaped(b[i] & 0xff));
        }
        return s.append('"').append(truncated ? "..." : "").toString();
    }

    private static String escaped(int c) {
        return switch (c) {
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            case '\n' -> "\\n";
            case '\t' -> "\\t";
            default -> c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : "\\%03o".formatted(c);
        };
    }

    private static String charLiteral(int c) {
        return switch (c) {
            case '\'' -> "'\\''";
            case '\\' -> "'\\\\'";
            case '\n' -> "'\\n'";
            case '\t' -> "'\\t'";
            default -> c >= 0x20 && c < 0x7f ? "'" + (char) c + "'" : "'\\%03o'".formatted(c);
        };
    }
}

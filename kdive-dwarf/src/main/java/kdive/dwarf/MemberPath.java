package kdive.dwarf;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The member an offset into an object reaches: {@code sk_write_queue.prev} for offset 0x140 into a
 * {@code struct sock} read 8 bytes wide. Anonymous structs and unions are entered without a name,
 * as C spells them; array elements get an index.
 *
 * @param path C member designator, without a leading dot; empty for the object itself
 * @param type DIE offset of the member's type
 * @param rest bytes past the start of that member still unexplained (0 when exact)
 */
public record MemberPath(String path, long type, long rest) {
    private static final int MAX_DEPTH = 32;

    /** C for "this member of the object {@code base} points to": {@code sk->sk_write_queue.prev}, or {@code *sk}. */
    public String through(String base) {
        String tail = rest == 0 ? "" : "+0x" + Long.toHexString(rest);
        if (path.isEmpty()) {
            return "*" + parenthesized(base) + tail;
        }
        return parenthesized(base) + (path.startsWith("[") ? "[0]" : "->") + path + tail;
    }

    private static String parenthesized(String e) {
        return e.matches("[A-Za-z_][A-Za-z0-9_>.\\-\\[\\]]*") ? e : "(" + e + ")";
    }

    /**
     * The member of the object of type {@code type} at byte {@code offset} accessed {@code size} bytes
     * wide (0: unknown). Among union members and overlapping candidates the first whose own size is
     * exactly {@code size} wins; empty when the offset is outside the type.
     */
    public static Optional<MemberPath> find(Types types, long type, long offset, long size) {
        long total = types.sizeOf(type);
        if (offset < 0 || total > 0 && offset >= total) {
            return Optional.empty();
        }
        Reached r = descend(types, type, offset, size, 0);
        return Optional.of(new MemberPath(join(r.parts()), r.type(), r.rest()));
    }

    /** Where a descent ended: designators on the way, the type reached and the bytes left over. */
    private record Reached(List<String> parts, long type, long rest, boolean exact) {
        Reached under(String part) {
            var p = new ArrayList<String>(parts.size() + 1);
            if (part != null) {
                p.add(part);
            }
            p.addAll(parts);
            return new Reached(p, type, rest, exact);
        }
    }

    private static Reached descend(Types types, long type, long offset, long size, int depth) {
        Type t = types.strip(type);
        boolean whole = offset == 0 && (size == 0 || t.size() == size);
        if (whole || depth > MAX_DEPTH) {
            return new Reached(List.of(), type, offset, whole);
        }
        if (t instanceof Type.Array a) {
            long elem = types.sizeOf(a.element());
            if (elem > 0) {
                // Row-major: the flat element index splits into one index per dimension, last fastest.
                long flat = offset / elem;
                var dims = new StringBuilder();
                for (int d = a.counts().size() - 1; d >= 0; d--) {
                    long n = a.counts().get(d);
                    long index = d == 0 || n <= 0 ? flat : flat % n;
                    flat = d == 0 || n <= 0 ? 0 : flat / n;
                    dims.insert(0, "[" + index + "]");
                }
                return descend(types, a.element(), offset % elem, size, depth + 1).under(dims.toString());
            }
        }
        if (t instanceof Type.Struct s) {
            Reached first = null;
            for (Type.Member m : s.members()) {
                long msize = types.sizeOf(m.type());
                if (m.isBitfield() || msize <= 0 || offset < m.byteOffset() || offset >= m.byteOffset() + msize) {
                    continue;
                }
                Reached r = descend(types, m.type(), offset - m.byteOffset(), size, depth + 1).under(m.name());
                if (r.exact()) {
                    return r;
                }
                first = first == null ? r : first;
            }
            if (first != null) {
                return first;
            }
        }
        return new Reached(List.of(), type, offset, false);
    }

    private static String join(List<String> parts) {
        var sb = new StringBuilder();
        for (String p : parts) {
            if (!p.startsWith("[") && !sb.isEmpty()) {
                sb.append('.');
            }
            sb.append(p);
        }
        return sb.toString();
    }
}

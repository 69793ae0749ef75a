package kdive.dwarf;

import java.util.List;

/**
 * A decoded line number program (DWARF 5 §6.2): the header's directories and files and the rows
 * of the matrix in the order the program emitted them (sequences end with an end_sequence row).
 * Row {@code i} is ({@code address[i]}, {@code file[i]}, {@code line[i]}, {@code column[i]},
 * {@code discriminator[i]}, {@code flags[i]}).
 *
 * @param compDir the unit's DW_AT_comp_dir (null when absent), used to complete relative paths
 */
public record LineTable(
        long offset,
        int version,
        String compDir,
        List<String> dirs,
        List<FileEntry> files,
        long[] address,
        int[] file,
        int[] line,
        int[] column,
        int[] discriminator,
        byte[] flags) {

    public static final byte IS_STMT = 1;
    public static final byte END_SEQUENCE = 2;
    /** The row's file register still holds its initial value (no DW_LNS_set_file since the sequence began). */
    public static final byte DEFAULT_FILE = 4;

    /** A file entry: its name (null when the entry has no DW_LNCT_path) and directory index as written. */
    public record FileEntry(String name, long dir) {}

    public int rowCount() {
        return address.length;
    }

    public boolean isEndSequence(int row) {
        return (flags[row] & END_SEQUENCE) != 0;
    }

    /** True when file and directory indices are 0-based (DWARF 5 §6.2.4 items 20-21); 1-based before. */
    public boolean zeroBasedFiles() {
        return version >= 5;
    }

    /**
     * The path of file {@code index} as binutils prints it: the name when absolute, else
     * {@code dir/name} when the directory is absolute, else {@code comp_dir/dir/name}. Null when
     * the index is 0 before DWARF 5 or out of range (binutils prints {@code <unknown>}).
     */
    public String path(long index) {
        long i = zeroBasedFiles() ? index : index - 1;
        if (i < 0 || i >= files.size()) {
            return null;
        }
        FileEntry f = files.get((int) i);
        if (f.name() == null) {
            return null;
        }
        if (f.name().startsWith("/")) {
            return f.name();
        }
        long d = zeroBasedFiles() ? f.dir() : f.dir() - 1;
        String subdir = d >= 0 && d < dirs.size() ? dirs.get((int) d) : null;
        String dir = null;
        if (subdir == null || !subdir.startsWith("/")) {
            dir = compDir;
        }
        if (dir == null) {
            dir = subdir;
            subdir = null;
        }
        if (dir == null) {
            return f.name();
        }
        return subdir != null ? dir + "/" + subdir + "/" + f.name() : dir + "/" + f.name();
    }
}

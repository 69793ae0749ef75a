package kdive.cli;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;
import kdive.io.Printable;

/**
 * Standard output as a terminal should receive it: every control character but tab and newline is
 * written {@code \xHH}, as dmesg does. Kernel logs, vmcoreinfo, task names and oops text come from
 * the crashed machine; an escape sequence or a NUL in them (a planted kernel command line, a
 * corrupted ring) must be shown, not interpreted. JSON output is unaffected: its serializers
 * already escape every control character, so none reaches this writer.
 */
final class PrintableWriter extends FilterWriter {

    PrintableWriter(Writer out) {
        super(out);
    }

    @Override
    public void write(int c) throws IOException {
        out.write(Printable.escape(String.valueOf((char) c)));
    }

    @Override
    public void write(char[] cbuf, int off, int len) throws IOException {
        write(new String(cbuf, off, len), 0, len);
    }

    @Override
    public void write(String str, int off, int len) throws IOException {
        String part = off == 0 && len == str.length() ? str : str.substring(off, off + len);
        out.write(Printable.escape(part));
    }
}

package kdive.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 17 (5): control characters from a dump are shown, not sent to the terminal. */
class PrintableTest {

    @Test
    void controlCharactersAreEscapedAsDmesgDoes() {
        assertThat(Printable.escape("a\u001b[2Jb\0c\u0007")).isEqualTo("a\\x1b[2Jb\\x00c\\x07");
        assertThat(Printable.escape("tab\tand\nnewline stay")).isEqualTo("tab\tand\nnewline stay");
        assertThat(Printable.escape("\r")).isEqualTo("\\x0d");
        assertThat(Printable.escape("caf\u00e9 \u4e2d")).isEqualTo("caf\u00e9 \u4e2d");
        String clean = "nothing to do";
        assertThat(Printable.escape(clean)).isSameAs(clean);
    }

    /** DEL and C1 (U+009B is CSI) become a form that is also a JSON escape of the same character. */
    @Test
    void delAndC1StayValidInsideJson() {
        assertThat(Printable.escape("\u007f\u009b31m")).isEqualTo("\\u007f\\u009b31m");
    }
}

package kdive.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import kdive.io.UsageException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensTest {
    @TempDir
    Path tmp;

    @Test
    void severalTokensPerFileCommentsAndBlanksIgnored() throws Exception {
        Path f = Files.writeString(tmp.resolve("tokens"), "# fleet tokens\n\n  alpha-1  \nbeta-2\n#gamma\n");
        Tokens t = Tokens.load(f);
        assertThat(t.size()).isEqualTo(2);
        assertThat(t.check("Bearer alpha-1")).isEqualTo(Tokens.Verdict.ACCEPTED);
        assertThat(t.check("bearer beta-2")).isEqualTo(Tokens.Verdict.ACCEPTED);
        assertThat(t.check("Bearer #gamma")).isEqualTo(Tokens.Verdict.REJECTED);
        assertThat(t.check("Bearer alpha-")).isEqualTo(Tokens.Verdict.REJECTED);
        assertThat(t.check(null)).isEqualTo(Tokens.Verdict.MISSING);
        assertThat(t.check("Bearer ")).isEqualTo(Tokens.Verdict.MISSING);
        assertThat(t.check("Basic YTpi")).isEqualTo(Tokens.Verdict.MISSING);
    }

    @Test
    void emptyOrMissingFileIsAUsageErrorThatNeverShowsATokenLine() throws Exception {
        Path empty = Files.writeString(tmp.resolve("empty"), "# nothing\n\n");
        assertThatThrownBy(() -> Tokens.load(empty)).isInstanceOf(UsageException.class).hasMessageContaining("no token");
        assertThatThrownBy(() -> Tokens.load(tmp.resolve("absent"))).isInstanceOf(UsageException.class);
    }

    @Property(tries = 200)
    void onlyTheExactTokenIsAccepted(@ForAll String token, @ForAll String other) {
        if (token.isBlank() || token.strip().length() != token.length()) {
            return;
        }
        Tokens t = Tokens.of(token);
        assertThat(t.check("Bearer " + token)).isEqualTo(Tokens.Verdict.ACCEPTED);
        if (!other.isBlank() && !other.strip().equals(token)) {
            assertThat(t.check("Bearer " + other)).isEqualTo(Tokens.Verdict.REJECTED);
        }
    }
}

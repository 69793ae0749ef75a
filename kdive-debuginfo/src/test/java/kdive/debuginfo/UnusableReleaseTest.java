package kdive.debuginfo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 17 (2): OSRELEASE comes from the dump. One holding a NUL made Path.resolve throw
 * InvalidPathException in every command that looks for the vmlinux; it is now skipped in one line,
 * escaped so that no control byte reaches the terminal.
 */
class UnusableReleaseTest {

    @ParameterizedTest
    @ValueSource(strings = {"6.1.0-50\0cloud-amd64", "\0\0\0\0", "6.1.0\u001b[2J", "6.1 0", "../../etc"})
    void releaseThatNamesNoFileIsSkipped(String release, @TempDir Path root) {
        var files = new DebugFiles(DebugFiles.Locations.under(root, List.of(root)), Optional.empty());
        Search s = files.vmlinux(release, Optional.empty());
        assertThat(s.found()).isEmpty();
        String message = String.join("; ", s.looked()) + s.wanted();
        assertThat(message).contains("is not a file name").doesNotContain("\0").doesNotContain("\u001b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.1.0-50-cloud-amd64", "5.10.0-32-amd64", "3.10.0-327.36.1.el7.x86_64", "6.12.9+rpt-rpi-v8"})
    void realReleasesAreUsable(String release) {
        assertThat(DebugFiles.usableRelease(release)).isTrue();
    }
}

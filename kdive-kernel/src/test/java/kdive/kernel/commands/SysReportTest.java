package kdive.kernel.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import kdive.kernel.helpers.SysInfo;
import org.junit.jupiter.api.Test;

/**
 * The commands layer names and formats raw values as crash does, and its JSON is the record with
 * camelCase keys. Values are chosen to hit crash's corner cases: days of uptime, a fractional
 * memory size, load averages that round up, an offline CPU.
 */
class SysReportTest {
    private static SysInfo sys() {
        // avenrun is fixed point (FSHIFT 11): 2048 is 1.00; 1014 + FIXED_1/200 is 1024, which /proc/loadavg shows as 0.50 (1013 gives 0.49)
        return new SysInfo("vmlinux", true, "dump", true, 4, 1, 1_765_000_000L, 2 * 86400 + 3661,
                new double[] {2048, 1014, 0}, 57, "host", "6.1.0", "#1 SMP", "x86_64", 2400, 255L * 1024 * 1024 + 512 * 1024,
                Optional.of("\"SysRq : Trigger a crash\""));
    }

    @Test
    void textIsCrashs() {
        assertThat(SysReport.of(sys()).text()).containsExactly(
                "      KERNEL: vmlinux  [TAINTED]",
                "    DUMPFILE: dump  [PARTIAL DUMP]",
                "        CPUS: 4 [OFFLINE: 1]",
                "        DATE: Sat Dec  6 05:46:40 UTC 2025",
                "      UPTIME: 2 days, 01:01:01",
                "LOAD AVERAGE: 1.00, 0.50, 0.00",
                "       TASKS: 57",
                "    NODENAME: host",
                "     RELEASE: 6.1.0",
                "     VERSION: #1 SMP",
                "     MACHINE: x86_64  (2400 Mhz)",
                "      MEMORY: 255.5 MB",
                "       PANIC: \"SysRq : Trigger a crash\"");
    }

    @Test
    void jsonKeysAreCamelCase() {
        String json = Json.of(SysReport.of(sys()));
        assertThat(json).startsWith("{\"kernel\":\"vmlinux  [TAINTED]\",\"dumpfile\":")
                .contains("\"loadAverage\":\"1.00, 0.50, 0.00\"", "\"panic\":\"\\\"SysRq : Trigger a crash\\\"\"")
                .doesNotContain("load_average");
        assertThat(Json.of(new ModReport(java.util.List.of(new ModReport.Row("0xffffffffc0000000", "m", "0xffffffffc0001000", 4096, 3)),
                java.util.List.of()))).isEqualTo("{\"modules\":[{\"module\":\"0xffffffffc0000000\",\"name\":\"m\","
                + "\"base\":\"0xffffffffc0001000\",\"size\":4096,\"symbols\":3}],\"problems\":[]}");
    }
}

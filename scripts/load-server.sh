#!/usr/bin/env bash
# Load figure of the fleet collector: starts `kdive server` on loopback with SQLite, then (when reachable)
# PostgreSQL, and drives it with CLIENTS concurrent HTTP clients posting real oops texts of 1-5 KB from
# syzkaller's corpus under varied host names. Prints reports/s and p50/p99 latency per database and mode:
#   fleet:  the corpus texts repeated across hosts (the server parses each distinct text once)
#   unique: every text made unique (one extra log line), so every report is parsed: parser-bound
# Usage: scripts/load-server.sh [REPORTS_FLEET] [REPORTS_UNIQUE]   (defaults 20000 and 3000)
# Env: CLIENTS (32), LOAD_NO_BUILD=1 (run the built jar without rebuilding), KDIVE_TEST_POSTGRES_URL (postgresql://kdive:kdive@127.0.0.1:5432/kdive_test),
#      KDIVE_SHARED (../shared), LOAD_DBS ("sqlite postgresql").
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
fleet_n="${1:-20000}"
unique_n="${2:-3000}"
clients="${CLIENTS:-32}"
pg_url="${KDIVE_TEST_POSTGRES_URL:-postgresql://kdive:kdive@127.0.0.1:5432/kdive_test}"
corpus="${KDIVE_SHARED:-$root/../shared}/corpus/syzkaller-linux-report/report"
work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill "$server_pid"; wait "$server_pid" || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# The launcher builds the jar when it is missing or sources changed; LOAD_NO_BUILD=1 uses the jar as is.
if [ "${LOAD_NO_BUILD:-0}" != 1 ] || [ ! -f "$root/kdive-cli/target/kdive.jar" ]; then
    "$root/kdive" --version >/dev/null
fi
java_bin="$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -n 1)/bin/java"
[ -x "$java_bin" ] || java_bin="${KDIVE_JAVA_HOME:-${JAVA_HOME:-/usr}}/bin/java"
echo "load-token-$RANDOM$RANDOM" > "$work/tokens"

cp="$root/kdive-cli/target/kdive.jar:$root/kdive-cli/target/lib/*"
cat > "$work/LoadClient.java" <<'JAVA'
import java.net.URI;
import java.net.http.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;

/** Posts N reports with C clients; prints throughput and latency percentiles. Bounded in count and time. */
public class LoadClient {
    public static void main(String[] a) throws Exception {
        String base = a[0], token = Files.readString(Path.of(a[1])).strip(), mode = a[3], run = a[6];
        Path corpus = Path.of(a[2]);
        int n = Integer.parseInt(a[4]), clients = Integer.parseInt(a[5]);
        var parser = kdive.oops.ReportParser.linux();
        List<String> texts = new ArrayList<>();
        try (var files = Files.list(corpus)) {
            for (Path f : files.sorted().toList()) {
                String s = Files.readString(f, StandardCharsets.ISO_8859_1);
                int blank = s.indexOf("\n\n");
                String log = s.startsWith("\n") ? s.substring(1) : blank < 0 ? s : s.substring(blank + 2);
                if (log.length() >= 1024 && log.length() <= 5120 && !parser.parseAll(log).isEmpty()) texts.add(log);
            }
        }
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        URI uri = URI.create(base + "/api/v1/reports");
        long[] lat = new long[n];
        var next = new AtomicInteger();
        var errors = new AtomicInteger();
        var codes = new ConcurrentHashMap<Integer, AtomicInteger>();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        long t0 = System.nanoTime();
        try (var pool = Executors.newFixedThreadPool(clients)) {
            for (int c = 0; c < clients; c++) pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < n && System.nanoTime() < deadline; i = next.getAndIncrement()) {
                    String text = texts.get(i % texts.size());
                    if (mode.equals("unique")) text = "[    0.000000] kdive load " + run + " report " + i + "\n" + text;
                    String host = "load-" + run + "-" + (i / texts.size()) + "-" + (i % 97);
                    String body = "{\"host\":" + json(host) + ",\"text\":" + json(text) + "}";
                    long s = System.nanoTime();
                    try {
                        var r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                                .header("Authorization", "Bearer " + token)
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
                        codes.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                        if (r.statusCode() != 201) errors.incrementAndGet();
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    lat[i] = System.nanoTime() - s;
                }
                return null;
            });
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        int done = Math.min(next.get(), n);
        long[] l = Arrays.copyOf(lat, done);
        Arrays.sort(l);
        System.out.printf("%-6s %-10s %6d reports %3d clients %7.1f s  %7.0f reports/s  p50 %6.1f ms  p99 %6.1f ms  errors %d  %s  (%d distinct texts of 1-5 KB)%n",
                mode, a[7], done, clients, secs, done / secs, l[done / 2] / 1e6, l[Math.min(done - 1, (int) (done * 0.99))] / 1e6,
                errors.get(), codes, texts.size());
    }

    static String json(String s) {
        var b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> { if (c < 0x20) b.append(String.format("\\u%04x", (int) c)); else b.append(c); }
            }
        }
        return b.append('"').toString();
    }
}
JAVA

run_id="$(date +%s)"
tick=$(getconf CLK_TCK)
server_cpu_ms() { # user+system CPU of a process in ms, from /proc/PID/stat (fields 14 and 15)
    awk -v t="$tick" '{ sub(/^.*\) /, ""); print int(($12 + $13) * 1000 / t) }' "/proc/$1/stat"
}
for db in ${LOAD_DBS:-sqlite postgresql}; do
    case "$db" in
        sqlite) spec="$work/load.sqlite" ;;
        postgresql)
            if ! PGCONNECT_TIMEOUT=3 psql "${pg_url}" -qtAX -c 'select 1' >/dev/null 2>&1; then
                echo "postgresql: not reachable at ${pg_url#*@} (run scripts/ci/50-server.sh); skipped"
                continue
            fi
            # Its own schema, so a test run on the same database cannot drop the tables under it.
            case "$pg_url" in *\?*) spec="$pg_url&currentSchema=kdive_load" ;; *) spec="$pg_url?currentSchema=kdive_load" ;; esac ;;
    esac
    port=$(( 20000 + RANDOM % 20000 ))
    "$java_bin" --enable-native-access=ALL-UNNAMED -cp "$cp" kdive.cli.Main server --listen "127.0.0.1:$port" --db "$spec" --token-file "$work/tokens" >"$work/server-$db.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 100); do
        curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
        kill -0 "$server_pid" 2>/dev/null || { cat "$work/server-$db.log" >&2; exit 1; }
        sleep 0.2
    done
    # Warm-up (not reported): JIT and the parse cache, as on a server that has been up a while.
    "$java_bin" -cp "$cp" "$work/LoadClient.java" "http://127.0.0.1:$port" "$work/tokens" "$corpus" \
        fleet 2000 "$clients" "$run_id-$db-warm" "$db" >/dev/null
    for mode in fleet unique; do
        count=$fleet_n; [ "$mode" = unique ] && count=$unique_n
        cpu_before=$(server_cpu_ms "$server_pid")
        "$java_bin" -cp "$cp" "$work/LoadClient.java" "http://127.0.0.1:$port" "$work/tokens" "$corpus" \
            "$mode" "$count" "$clients" "$run_id-$db" "$db"
        # CPU the server spent per report: a figure that other load on the machine does not inflate.
        echo "       server CPU $(( ($(server_cpu_ms "$server_pid") - cpu_before) * 1000 / count )) us/report;" \
             "load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
    done
    kill "$server_pid"; wait "$server_pid" || true; server_pid=""
done

#!/usr/bin/env bash
# Throughput and peak RSS of `kdive analyze` on a large log built from the syzkaller corpus, in two
# shapes:
#   sparse  mostly noise lines (corpus lines that are not part of a crash report) with one corpus
#           report every few MB;
#   dense   the corpus logs concatenated over and over: a report every ~50 lines (issue 17: this
#           shape ran at 0.2-0.7 MB/s and printed nothing until the end).
# Prints MB/s (per wall second and per CPU second: the CPU figure holds on a loaded machine), reports,
# peak RSS and the time to the first report on stdout. Pinned to one core.
#   scripts/bench-analyze.sh [SIZE_MB] [sparse|dense] [--json]     (default 256 sparse, text)
#   KDIVE_JAVA_OPTS=-Xmx... applies as for ./kdive.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
size_mb="${1:-256}"
shape="${2:-sparse}"
format="${3:-}"
corpus="${KDIVE_SHARED:-$root/../shared}/corpus/syzkaller-linux-report/report"
work="${KDIVE_CACHE:-$HOME/.cache/kdive}/bench"
mkdir -p "$work"
log="$work/analyze-${shape}-${size_mb}MB.log"
[ "$shape" = sparse ] && [ -s "$work/analyze-${size_mb}MB.log" ] && log="$work/analyze-${size_mb}MB.log"
target=$((size_mb * 1024 * 1024))

if [ ! -s "$log" ]; then
    case "$shape" in
    sparse)
        noise="$work/noise.txt"
        # Lines of the corpus logs (after each header) that carry no oops marker: boot messages, fuzzer output.
        for f in "$corpus"/*; do sed '1,/^$/d' "$f"; done \
            | grep -a -v -E 'SYZ|unregister_netdevice|runtime|goroutine|BUG|WARNING|Oops|panic|Call Trace|RIP|Code:|KASAN|INFO:|general protection|lock|stall|UBSAN|KMSAN|KCSAN|kernel|Unable|Internal error|ODEBUG|list_|refcount|memory leak|unreferenced|divide error|invalid opcode|trap|fault|PID:|Hardware|Modules|^ *\[ *[0-9.]+\] +[a-z_0-9.]+\+0x' \
            > "$noise"
        : > "$log"
        while [ "$(stat -c %s "$log")" -lt "$target" ]; do
            cat "$noise" "$noise" "$noise" "$noise" >> "$log"
            # One real report in every few MB of noise.
            f=$(ls "$corpus" | shuf -n 1)
            sed '1,/^$/d' "$corpus/$f" >> "$log"
        done
        ;;
    dense)
        once="$work/corpus-once.txt"
        for f in "$corpus"/*; do sed '1,/^$/d' "$f"; echo; done > "$once"
        : > "$log"
        while [ "$(stat -c %s "$log")" -lt "$target" ]; do
            cat "$once" >> "$log"
        done
        ;;
    *) echo "usage: $0 [SIZE_MB] [sparse|dense] [--json]" >&2; exit 2 ;;
    esac
fi

bytes=$(stat -c %s "$log")
"$root/kdive" --version >/dev/null   # build first, outside the measurement
out="$work/out-$shape.txt"
first="$work/first-$shape.txt"
start=$(date +%s.%N)
# The time to the first report: when the first byte reaches the pipe (streamed output) or the end.
/usr/bin/time -f '%M %U %S' -o "$work/rss.txt" taskset -c 0 "$root/kdive" analyze $format "$log" \
    | { IFS= read -r line || true; date +%s.%N > "$first"; printf '%s\n' "$line"; cat; } > "$out" || true
end=$(date +%s.%N)
secs=$(echo "$end - $start" | bc -l)
if [ "$format" = --json ]; then
    reports=$(grep -c '"title"' "$out" || true)
else
    reports=$(grep -c '^  source ' "$out" || true)
fi
printf 'input: %s (%.1f MB, %s), reports: %s\n' "$log" "$(echo "$bytes / 1048576" | bc -l)" "$shape" "$reports"
read -r rss user sys < <(tail -1 "$work/rss.txt")
cpu=$(echo "$user + $sys" | bc -l)
printf 'time: %.2f s  throughput: %.1f MB/s  CPU: %.2f s (%.1f MB per CPU s, %.2f ms per report)  first report after %.2f s  peak RSS: %.0f MB (one core, taskset -c 0)\n' \
    "$secs" "$(echo "$bytes / 1048576 / $secs" | bc -l)" "$cpu" "$(echo "$bytes / 1048576 / $cpu" | bc -l)" \
    "$(echo "if ($reports > 0) $cpu * 1000 / $reports else 0" | bc -l)" "$(echo "$(cat "$first") - $start" | bc -l)" \
    "$(echo "$rss / 1024" | bc -l)"

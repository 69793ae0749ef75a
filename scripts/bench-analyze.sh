#!/usr/bin/env bash
# Throughput of `kdive analyze` on a large log built from the syzkaller corpus: mostly noise lines
# (corpus lines that are not part of a crash report) with every corpus report mixed in once.
# Prints MB/s and peak RSS. Pinned to one core with taskset.
#   scripts/bench-analyze.sh [SIZE_MB]      (default 256)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
size_mb="${1:-256}"
corpus="${KDIVE_SHARED:-$root/../shared}/corpus/syzkaller-linux-report/report"
work="${KDIVE_CACHE:-$HOME/.cache/kdive}/bench"
mkdir -p "$work"
log="$work/analyze-${size_mb}MB.log"

if [ ! -s "$log" ]; then
    noise="$work/noise.txt"
    # Lines of the corpus logs (after each header) that carry no oops marker: boot messages, fuzzer output.
    for f in "$corpus"/*; do sed '1,/^$/d' "$f"; done \
        | grep -a -v -E 'SYZ|unregister_netdevice|runtime|goroutine|BUG|WARNING|Oops|panic|Call Trace|RIP|Code:|KASAN|INFO:|general protection|lock|stall|UBSAN|KMSAN|KCSAN|kernel|Unable|Internal error|ODEBUG|list_|refcount|memory leak|unreferenced|divide error|invalid opcode|trap|fault|PID:|Hardware|Modules|^ *\[ *[0-9.]+\] +[a-z_0-9.]+\+0x' \
        > "$noise"
    target=$((size_mb * 1024 * 1024))
    : > "$log"
    while [ "$(stat -c %s "$log")" -lt "$target" ]; do
        cat "$noise" "$noise" "$noise" "$noise" >> "$log"
        # One real report in every few MB of noise.
        f=$(ls "$corpus" | shuf -n 1)
        sed '1,/^$/d' "$corpus/$f" >> "$log"
    done
fi

bytes=$(stat -c %s "$log")
"$root/kdive" --version >/dev/null   # build first, outside the measurement
start=$(date +%s.%N)
/usr/bin/time -f '%M' -o "$work/rss.txt" taskset -c 0 "$root/kdive" analyze --json "$log" > "$work/out.json" || true
end=$(date +%s.%N)
secs=$(echo "$end - $start" | bc -l)
reports=$(grep -c '"title"' "$work/out.json" || true)
printf 'input: %s (%.1f MB), reports: %s\n' "$log" "$(echo "$bytes / 1048576" | bc -l)" "$reports"
printf 'time: %.2f s  throughput: %.1f MB/s  peak RSS: %.0f MB (one core, taskset -c 0)\n' \
    "$secs" "$(echo "$bytes / 1048576 / $secs" | bc -l)" "$(echo "$(cat "$work/rss.txt") / 1024" | bc -l)"

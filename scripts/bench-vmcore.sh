#!/usr/bin/env bash
# Side-by-side timings on the real fixtures of make-vmcores.sh: kdive against crash, drgn and
# makedumpfile on the same files. Prints a table (wall seconds, peak RSS); numbers depend on
# the machine's load, so run it on a quiet machine and keep the output with the date.
#
#   scripts/bench-vmcore.sh [SCENARIO]        # default: skb
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
scenario=${1:-skb}
dir=$("$root/scripts/make-vmcores.sh")/$scenario
kdir=$("$root/scripts/fetch-kernel.sh")
vmlinux=$kdir/vmlinux
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$root/kdive" --version >/dev/null   # build once, outside the timings
java=$(ls -d /usr/lib/jvm/*25* | head -1)/bin/java   # the JDK the launcher picks (>= 25)

measure() {  # label command... : one row "label  seconds  peakRSS"
    local label=$1; shift
    /usr/bin/time -f "%e %M" -o "$tmp/t" "$@" >"$tmp/out" 2>"$tmp/err" || true
    read -r secs kb < <(tail -1 "$tmp/t")   # GNU time may add a "Command exited" line first
    printf '%-48s %7.2f s %7d MB   %s\n' "$label" "$secs" $((kb / 1024)) "$(wc -l <"$tmp/out") lines"
}

command -v /usr/bin/time >/dev/null || apt-get install -y -q time >/dev/null
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $dir"
for f in kdump-zlib kdump-lzo qemu.elf; do
    dump=$dir/$f
    echo "## $f"
    measure "kdive log" "$root/kdive" log "$dump"
    rm -f "$tmp/dmesg"
    measure "makedumpfile --dump-dmesg" makedumpfile --dump-dmesg "$dump" "$tmp/dmesg"
    cmp -s "$tmp/dmesg" <("$root/kdive" log "$dump") && echo "  (kdive log output == makedumpfile --dump-dmesg output)"
    if command -v crash >/dev/null; then
        printf 'q\n' >"$tmp/q"
        measure "crash -s (open vmlinux+dump, quit)" sh -c "crash -s '$vmlinux' '$dump' <'$tmp/q'"
        printf 'log\nq\n' >"$tmp/log"
        measure "crash -s log" sh -c "crash -s '$vmlinux' '$dump' <'$tmp/log'"
        # 2000 random 4 KiB reads (rd -p ADDR 512 = 512 64-bit words) between 16 and 216 MiB
        printf '' >"$tmp/rd"
        for _ in $(seq 2000); do printf 'rd -p %x 512\n' $(( (RANDOM * 32768 + RANDOM) % (200 * 1024 * 1024) / 4096 * 4096 + 16 * 1024 * 1024 )); done >>"$tmp/rd"
        echo q >>"$tmp/rd"
        measure "crash -s: 2000 random rd -p 4 KiB" sh -c "crash -s '$vmlinux' '$dump' <'$tmp/rd'"
    fi
    if /usr/bin/python3 -c 'import drgn' 2>/dev/null; then
        measure "drgn: open + release + ps + log" /usr/bin/python3 "$root/scripts/crashlab/drgn-truth.py" "$vmlinux" "$dump"
    fi
    # Pinned to two cores (taskset -c 0,1), the size of the project's machines: the sequential
    # figure is every dumped page read once, decompressed, in MB/s (target: >= 500 for kdump-zlib).
    measure "kdive-dump: 100000 random 4 KiB + full scans" taskset -c 0,1 "$java" --enable-native-access=ALL-UNNAMED \
        -cp "$root/kdive-cli/target/lib/*" "$root/scripts/crashlab/DumpBench.java" "$dump" 100000 2
    sed 's/^/    /' "$tmp/out"
done

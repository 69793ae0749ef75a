#!/usr/bin/env bash
# kdive bt --all-tasks against crash's "foreach bt" and drgn's stack_trace of every task on one
# dump: wall time, CPU time and peak RSS of each (/usr/bin/time -v), best of N runs.
#
#   scripts/bench-bt.sh [DUMP [VMLINUX [RUNS]]]     # default: the skb fixture's kdump-zlib, 3 runs
#
# kdive resolves every frame's inline chain from the DWARF (crash and drgn print no inline
# frames in bt; drgn's stack_trace computes them lazily, so its loop asks for each frame's name).
# The first kdive run may build the DWARF name index: one warm-up run is not counted.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${KDIVE_CACHE:-$HOME/.cache/kdive}
release=$(for d in "$cache"/vmcores/*/; do [ -e "$d/debian-suite" ] || basename "$d"; done 2>/dev/null | sort | tail -1)
dump=${1:-$cache/vmcores/$release/skb/kdump-zlib}
vmlinux=${2:-$cache/kernel/$release/vmlinux}
runs=${3:-3}
[ -f "$dump" ] && [ -f "$vmlinux" ] || { echo "bench-bt: need $dump and $vmlinux (scripts/make-vmcores.sh)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench-bt: needs GNU time (apt-get install time)" >&2; exit 2; }

"$root/kdive" bt --all-tasks --vmlinux "$vmlinux" "$dump" >/dev/null 2>&1 || { echo "bench-bt: kdive bt failed" >&2; exit 1; }

measure() {  # name, command...: prints "name seconds kb cpu" (best wall time, its peak RSS and CPU seconds)
    local name=$1 best="" kb="" cpu="" t c out
    shift
    for _ in $(seq "$runs"); do
        /usr/bin/time -v -o "$tmp" "$@" >/dev/null 2>&1 || true
        out=$(cat "$tmp")
        t=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' <<<"$out" | awk -F: '{ print ($1 * 60) + $2 }')
        k=$(sed -n 's/.*Maximum resident set size (kbytes): //p' <<<"$out")
        c=$(sed -n 's/.*\(User\|System\) time (seconds): //p' <<<"$out" | awk '{ s += $1 } END { print s }')
        if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; kb=$k; cpu=$c; fi
    done
    echo "$name $best $kb $cpu"
}

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
results=()
for _ in $(seq 30); do ls "$cache"/aot/bt-*.aot >/dev/null 2>&1 && break; sleep 1; done
results+=("$(measure kdive "$root/kdive" bt --all-tasks --vmlinux "$vmlinux" "$dump")")
results+=("$(KDIVE_AOT=off measure kdive-noaot "$root/kdive" bt --all-tasks --vmlinux "$vmlinux" "$dump")")
if command -v crash >/dev/null 2>&1; then
    results+=("$(measure crash sh -c 'printf "foreach bt\nq\n" | crash -s "$0" "$1"' "$vmlinux" "$dump")")
fi
if /usr/bin/python3 -c 'import drgn' 2>/dev/null; then
    results+=("$(measure drgn /usr/bin/python3 -c '
import sys, drgn
from drgn.helpers.linux.pid import for_each_task
p = drgn.Program(); p.set_core_dump(sys.argv[1]); p.load_debug_info([sys.argv[2]])
for t in for_each_task(p):
    try:
        for f in p.stack_trace(t):
            print(f.name, hex(f.pc))
    except Exception as e:
        print(e)' "$dump" "$vmlinux")")
fi

printf '%-12s %9s %9s %12s\n' tool "wall (s)" "cpu (s)" "peak RSS"
for r in "${results[@]}"; do
    read -r n t k c <<<"$r"
    printf '%-12s %9.2f %9.2f %9d MB\n' "$n" "$t" "$c" $((k / 1024))
done

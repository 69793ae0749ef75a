#!/usr/bin/env bash
# kdive sys against crash's sys and drgn's load on one dump: wall time and peak RSS of each
# (/usr/bin/time -v), best of N runs, and kdive's ratios to them.
#
#   scripts/bench-sys.sh [DUMP [VMLINUX [RUNS]]]     # default: the sysrq fixture's kdump-zlib, 3 runs
#
# crash runs "sys" from stdin in silent mode; drgn opens the same dump and vmlinux and prints
# init_uts_ns's release (its load is what costs). The first kdive run may build the DWARF name
# index (cached under ${KDIVE_CACHE:-~/.cache/kdive}/index/): one warm-up run is not counted.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${KDIVE_CACHE:-$HOME/.cache/kdive}
# The main kernel's fixtures: those of other Debian releases carry a debian-suite file.
release=$(for d in "$cache"/vmcores/*/; do [ -e "$d/debian-suite" ] || basename "$d"; done 2>/dev/null | sort | tail -1)
dump=${1:-$cache/vmcores/$release/sysrq/kdump-zlib}
vmlinux=${2:-$cache/kernel/$release/vmlinux}
runs=${3:-3}
[ -f "$dump" ] && [ -f "$vmlinux" ] || { echo "bench-sys: need $dump and $vmlinux (scripts/make-vmcores.sh)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench-sys: needs GNU time (apt-get install time)" >&2; exit 2; }

"$root/kdive" sys --vmlinux "$vmlinux" "$dump" >/dev/null 2>&1 || { echo "bench-sys: kdive sys failed" >&2; exit 1; }  # builds the jar and the index first

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
# The launcher keeps an ahead-of-time class cache per dump command (made in the background after
# the first run): wait for it, then time the cached runs, and once more without it.
for _ in $(seq 30); do ls "$cache"/aot/sys-*.aot >/dev/null 2>&1 && break; sleep 1; done
results+=("$(measure kdive "$root/kdive" sys --vmlinux "$vmlinux" "$dump")")
results+=("$(KDIVE_AOT=off measure kdive-noaot "$root/kdive" sys --vmlinux "$vmlinux" "$dump")")
if command -v crash >/dev/null 2>&1; then
    results+=("$(measure crash sh -c 'printf "sys\nq\n" | crash -s "$0" "$1"' "$vmlinux" "$dump")")
fi
if /usr/bin/python3 -c 'import drgn' 2>/dev/null; then
    results+=("$(measure drgn /usr/bin/python3 -c '
import sys, drgn
p = drgn.Program(); p.set_core_dump(sys.argv[1]); p.load_debug_info([sys.argv[2]])
print(p["init_uts_ns"].name.release.string_().decode())' "$dump" "$vmlinux")")
fi

# On a busy machine wall time grows with the load; CPU time (user + system) much less.
printf '%-12s %9s %9s %12s\n' tool "wall (s)" "cpu (s)" "peak RSS"
for r in "${results[@]}"; do
    read -r n t k c <<<"$r"
    printf '%-12s %9.2f %9.2f %9d MB\n' "$n" "$t" "$c" $((k / 1024))
done
read -r _ kt kk kc <<<"${results[0]}"
for r in "${results[@]:2}"; do
    read -r n t k c <<<"$r"
    awk -v n="$n" -v kt="$kt" -v t="$t" -v kk="$kk" -v k="$k" -v kc="$kc" -v c="$c" \
        'BEGIN { printf "kdive/%s: wall %.2fx, cpu %.2fx, peak RSS %.2fx\n", n, kt / t, kc / c, kk / k }'
done

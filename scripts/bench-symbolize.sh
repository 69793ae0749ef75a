#!/usr/bin/env bash
# Times `kdive symbolize` against binutils `addr2line -f -i` (and elfutils `eu-addr2line` when
# installed) on Debian's debug vmlinux: first answer for 1 address, then 10,000 random .text
# addresses in one process; wall time, peak RSS and the ratio. Also checks the outputs agree.
#
#   scripts/bench-symbolize.sh [VMLINUX] [COUNT]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vmlinux="${1:-$("$root/scripts/fetch-kernel.sh")/vmlinux}"
count="${2:-10000}"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

"$root/kdive" --version >/dev/null   # build the jar now, not inside a timing

# COUNT addresses uniform in .text, fixed seed.
read -r text_addr text_size < <(readelf -SW "$vmlinux" |
    awk '{ for (i = 1; i < NF; i++) if ($i == ".text") { print $(i + 2), $(i + 4); exit } }')
python3 - "$text_addr" "$text_size" "$count" > "$work/addrs" <<'PY'
import random, sys
base, size, n = int(sys.argv[1], 16), int(sys.argv[2], 16), int(sys.argv[3])
r = random.Random(42)
for _ in range(n):
    print("%x" % (base + r.randrange(size)))
PY
one=$(head -1 "$work/addrs")

measure() { # label, output file, command...: prints "label  wall s  cpu s  rss MB"
    local label="$1" out="$2"; shift 2
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" > "$out"
    read -r wall user sys rss < "$work/time"
    printf '%-34s wall %7.2f s  cpu %7.2f s  rss %6d MB\n' "$label" "$wall" "$(echo "$user + $sys" | bc -l)" "$((rss / 1024))"
    echo "$wall" > "$work/last"
}

[ -x /usr/bin/time ] || { echo "bench: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
echo "vmlinux: $vmlinux ($(du -Lh "$vmlinux" | cut -f1)), $count addresses, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
cat "$vmlinux" > /dev/null   # warm the page cache for every contender alike
measure "addr2line     1 address" "$work/a1" addr2line -f -i -e "$vmlinux" "$one"; a1=$(cat "$work/last")
measure "kdive         1 address" "$work/k1" "$root/kdive" symbolize --vmlinux "$vmlinux" "$one"; k1=$(cat "$work/last")
measure "addr2line $count addresses" "$work/an" addr2line -f -i -e "$vmlinux" < "$work/addrs"; an=$(cat "$work/last")
measure "kdive     $count addresses" "$work/kn" "$root/kdive" symbolize --vmlinux "$vmlinux" < "$work/addrs"; kn=$(cat "$work/last")
if command -v eu-addr2line >/dev/null; then
    measure "eu-addr2line $count addresses" "$work/en" eu-addr2line -f -i -e "$vmlinux" < "$work/addrs"
fi
printf 'ratio kdive/addr2line: 1 address %.2f, %s addresses %.2f (below 1 = kdive faster)\n' \
    "$(echo "$k1 / $a1" | bc -l)" "$count" "$(echo "$kn / $an" | bc -l)"
cmp -s "$work/a1" "$work/k1" && echo "1 address: identical output" || echo "1 address: OUTPUT DIFFERS"
if cmp -s "$work/an" "$work/kn"; then
    echo "$count addresses: identical output"
else
    echo "$count addresses: output differs: $(diff "$work/an" "$work/kn" | grep -c '^[<>]') lines"
fi

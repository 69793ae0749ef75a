#!/usr/bin/env bash
# A real /proc/kcore copied out of a QEMU guest (kdive-dump KcoreTest): cached by kernel release
# under ${KDIVE_CACHE:-~/.cache/kdive}/kcore/, so only the first run boots QEMU (~15 s).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
"$root/scripts/make-kcore.sh" >/dev/null

#!/usr/bin/env bash
# Real crash dumps for the @Tag("vmcore") tests (kdive-dump): cached by kernel release under
# ${KDIVE_CACHE:-~/.cache/kdive}/vmcores/, so only the first run boots QEMU (~1 min on 2 cores).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
"$root/scripts/make-vmcores.sh" >/dev/null

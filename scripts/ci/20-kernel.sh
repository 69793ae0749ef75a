#!/usr/bin/env bash
# Fetches Debian's cloud kernel with its debug vmlinux (~300 MB of debs, cached) so the kernel
# symbolization test (kdive-symbolize KernelAgreementTest) runs instead of skipping.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir=$("$root/scripts/fetch-kernel.sh")
[ -s "$dir/vmlinux" ] || { echo "20-kernel: no debug vmlinux in $dir" >&2; exit 1; }

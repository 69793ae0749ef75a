#!/usr/bin/env bash
# The real elfutils debuginfod for kdive-debuginfo's DebuginfodServerTest, and the kernel's -dbg .deb
# it serves, kept under ${KDIVE_CACHE:-~/.cache/kdive}/debs/<release>/ (fetch-kernel.sh leaves it
# there; a cache made before it did gets the same package again by the same rule). Idempotent.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

if ! command -v debuginfod >/dev/null; then
    if ! apt-cache show debuginfod >/dev/null 2>&1; then
        apt-get update -qq
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debuginfod >/dev/null
fi
# The package's service is not wanted: the test starts its own server on a free loopback port.

kernel=$("$root/scripts/fetch-kernel.sh")
release=$(cat "$kernel/release")
debs="${KDIVE_CACHE:-$HOME/.cache/kdive}/debs/$release"
if ! ls "$debs"/linux-image-"$release"-dbg_*.deb >/dev/null 2>&1; then
    mkdir -p "$debs.tmp"
    (cd "$debs.tmp" && apt-get download -q "linux-image-$release-dbg" >&2)
    mkdir -p "$debs"
    mv "$debs.tmp"/linux-image-"$release"-dbg_*.deb "$debs/"
    rmdir "$debs.tmp"
fi

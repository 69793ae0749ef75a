#!/usr/bin/env bash
# Fetches Debian's cloud kernel (image, -dbg debug symbols, headers) into a cache outside the repo
# and prints the cache directory. Idempotent: a complete cache is reused.
#
#   scripts/fetch-kernel.sh            # resolve the version through linux-image-cloud-amd64
#   KDIVE_KERNEL=6.1.0-56-cloud-amd64 scripts/fetch-kernel.sh
#   KDIVE_DEBIAN="http://deb.debian.org/debian-security bullseye-security" scripts/fetch-kernel.sh
#
# KDIVE_DEBIAN names a Debian archive and suite outside this machine's apt sources (another
# release's kernel): the packages are resolved in that suite's Packages index and downloaded from
# its pool, each checked against the index's SHA256.
#
# Layout of $KDIVE_CACHE/kernel/<release>/ (KDIVE_CACHE defaults to ~/.cache/kdive):
#   vmlinuz                 the bootable image
#   vmlinux                 the debug vmlinux (from -dbg: /usr/lib/debug/boot/vmlinux-<release>)
#   debug/                  the whole -dbg tree (module debug files under debug/usr/lib/debug/lib/modules/)
#   modules/                the image's modules tree (lib/modules/<release>)
#   headers/                linux-headers-<release> and its -common dependency, unpacked (for building a module)
#   release                 the release string
# and the -dbg .deb itself in $KDIVE_CACHE/debs/<release>/, for a debuginfod to serve (scripts/ci/40-debuginfod.sh).
set -euo pipefail

cache="${KDIVE_CACHE:-$HOME/.cache/kdive}/kernel"
mkdir -p "$cache"

here=$(cd "$(dirname "$0")" && pwd)
if [ -n "${KDIVE_DEBIAN:-}" ]; then
    # shellcheck disable=SC2086
    release=$(python3 "$here/debian-pool.py" resolve $KDIVE_DEBIAN "${KDIVE_KERNEL:-}")
elif [ -n "${KDIVE_KERNEL:-}" ]; then
    release="$KDIVE_KERNEL"
else
    resolve() { apt-cache depends linux-image-cloud-amd64 2>/dev/null | sed -n 's/.*Depends: linux-image-\(.*\)$/\1/p' | head -1; }
    release=$(resolve)
    # Stale package lists name an ABI the archive may have dropped (Debian keeps one per suite in
    # its pool): refresh them when the named image cannot be fetched, then resolve again.
    served() {  # the archive still holds linux-image-$1-dbg (a HEAD request on the URI the lists give)
        local uri
        uri=$(apt-get download --print-uris -q "linux-image-$1-dbg" 2>/dev/null | sed -n "s/^'\([^']*\)'.*/\1/p" | head -1)
        [ -n "$uri" ] && python3 -c 'import sys, urllib.request as u; u.urlopen(u.Request(sys.argv[1], method="HEAD"), timeout=30)' "$uri" 2>/dev/null
    }
    if [ -z "$release" ] || ! served "$release"; then
        apt-get update -qq || true  # offline with a complete cache: keep what the lists named
        release=$(resolve)
    fi
    [ -n "$release" ] || { echo "fetch-kernel: cannot resolve linux-image-cloud-amd64" >&2; exit 1; }
fi

dir="$cache/$release"
if [ -f "$dir/.complete" ]; then
    echo "$dir"
    exit 0
fi

rm -rf "$dir.tmp"
mkdir -p "$dir.tmp/debs"
cd "$dir.tmp/debs"
if [ -n "${KDIVE_DEBIAN:-}" ]; then
    # shellcheck disable=SC2086
    python3 "$here/debian-pool.py" download $KDIVE_DEBIAN "$release" >&2
else
    common=$(apt-cache depends "linux-headers-$release" | sed -n 's/.*Depends: \(linux-headers-[^ ]*-common[^ ]*\)$/\1/p' | head -1)
    kbuild=$(apt-cache depends "linux-headers-$release" | sed -n 's/.*Depends: \(linux-kbuild-[^ ]*\)$/\1/p' | head -1)
    apt-get download -q "linux-image-$release" "linux-image-$release-dbg" "linux-headers-$release" \
        ${common:+"$common"} ${kbuild:+"$kbuild"} >&2
fi
cd ..
for deb in debs/linux-image-"$release"_*.deb; do dpkg-deb -x "$deb" image; done
for deb in debs/linux-image-"$release"-dbg_*.deb; do dpkg-deb -x "$deb" debug; done
for deb in debs/linux-headers-*.deb debs/linux-kbuild-*.deb; do [ -e "$deb" ] && dpkg-deb -x "$deb" headers; done
# Keep the -dbg package: kdive-debuginfo's test serves it with the real debuginfod.
debs="$cache/../debs/$release"
mkdir -p "$debs"
mv debs/linux-image-"$release"-dbg_*.deb "$debs/"
rm -rf debs
ln -s "image/boot/vmlinuz-$release" vmlinuz
ln -s "debug/usr/lib/debug/boot/vmlinux-$release" vmlinux
# Releases since trixie install modules under /usr/lib/modules (merged /usr).
if [ -d "image/usr/lib/modules/$release" ]; then
    ln -s "image/usr/lib/modules/$release" modules
else
    ln -s "image/lib/modules/$release" modules
fi
echo "$release" > release
# Marks another Debian release's kernel: tests take the newest kernel of this machine's own
# sources unless KDIVE_RELEASE names another (kdive.testkit.Fixtures).
if [ -n "${KDIVE_DEBIAN:-}" ]; then echo "$KDIVE_DEBIAN" > debian-suite; fi
[ -s "debug/usr/lib/debug/boot/vmlinux-$release" ] || { echo "fetch-kernel: no debug vmlinux in the -dbg package" >&2; exit 1; }
touch .complete
cd "$cache"
rm -rf "$dir"
mv "$dir.tmp" "$dir"
echo "$dir"

#!/usr/bin/env bash
# Other Debian releases' kernels and dumps for the @Tag("every-kernel") tests, which the build runs
# once more per release (surefire executions kernel-bullseye and kernel-trixie in pom.xml): 5.10
# (bullseye: DWARF 4 with .debug_loc and .debug_ranges, task->state, older oops and struct layouts)
# and 6.12 (trixie: gcc-14, 6.11's "CPU: N UID: N PID:", page types moved). Cached by release like
# the main kernel's (~300 MB of debs and a minute or two of QEMU each).
# Trixie's kernel gets no crashlab module (its kbuild tools need glibc 2.38 and gcc-14) and dump
# level 1 (bookworm's makedumpfile misreads 6.12's page flags at -d 31: see make-vmcores.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
# (5.10's cloud kernel has no 5-level paging: no la57 scenario.)
KDIVE_DEBIAN="http://deb.debian.org/debian bullseye" KDIVE_SCENARIOS="sysrq skb novmcoreinfo" \
    "$root/scripts/make-vmcores.sh" >/dev/null
KDIVE_DEBIAN="http://deb.debian.org/debian trixie" KDIVE_SCENARIOS="sysrq novmcoreinfo" KDIVE_DUMP_LEVEL=1 \
    "$root/scripts/make-vmcores.sh" >/dev/null

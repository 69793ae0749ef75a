#!/usr/bin/env bash
# kdive-disasm: capstone headers, so CapstoneLayoutsTest also checks the FFM layouts against offsetof()
# (without them that check is skipped; the runtime library libcapstone4 is installed by .ci/run).
set -euo pipefail
if ! dpkg-query -W -f='${Status}' libcapstone-dev 2>/dev/null | grep -q "install ok installed"; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq libcapstone-dev >/dev/null || { apt-get update -qq && apt-get install -y -qq libcapstone-dev >/dev/null; }
fi

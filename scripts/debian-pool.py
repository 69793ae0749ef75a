#!/usr/bin/env python3
"""Debian kernel packages from a suite outside this machine's apt sources (fetch-kernel.sh).

  debian-pool.py resolve ARCHIVE SUITE [RELEASE]   print the cloud kernel's release (the one
                                                  linux-image-cloud-amd64 depends on, or RELEASE)
  debian-pool.py download ARCHIVE SUITE RELEASE    download linux-image-RELEASE, its -dbg,
                                                  linux-headers-RELEASE and their -common and
                                                  linux-kbuild dependencies into the current
                                                  directory, each checked against the index's SHA256
"""
import hashlib
import lzma
import os
import re
import sys
import time
import urllib.request

TIMEOUT = 120


def packages(archive, suite):
    cache = os.path.join(os.environ.get("TMPDIR", "/tmp"), "kdive-Packages-" + suite + ".xz")
    url = f"{archive}/dists/{suite}/main/binary-amd64/Packages.xz"
    # The suite moves on (security updates replace the kernel and drop the old debs): reuse an
    # index for a few hours only.
    if not os.path.exists(cache) or time.time() - os.path.getmtime(cache) > 6 * 3600:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as r, open(cache + ".tmp", "wb") as f:
            f.write(r.read())
        os.replace(cache + ".tmp", cache)
    index = {}
    for stanza in lzma.decompress(open(cache, "rb").read()).decode("utf-8", "replace").split("\n\n"):
        fields = dict(re.findall(r"^([A-Za-z0-9-]+): (.*)$", stanza, re.M))
        if "Package" in fields:
            index[fields["Package"]] = fields
    return index


def depends(fields):
    return [d.strip().split(" ")[0] for d in fields.get("Depends", "").replace("|", ",").split(",") if d.strip()]


def resolve(index, release):
    if release:
        return release
    meta = index.get("linux-image-cloud-amd64")
    if not meta:
        sys.exit("debian-pool: no linux-image-cloud-amd64 in the index")
    for d in depends(meta):
        if d.startswith("linux-image-"):
            return d[len("linux-image-"):]
    sys.exit("debian-pool: linux-image-cloud-amd64 depends on no linux-image")


def download(archive, index, release):
    wanted = [f"linux-image-{release}", f"linux-image-{release}-dbg", f"linux-headers-{release}"]
    headers = index.get(f"linux-headers-{release}")
    if headers:
        wanted += [d for d in depends(headers)
                   if (d.startswith("linux-headers-") and d.endswith("-common")) or d.startswith("linux-kbuild-")]
    for name in wanted:
        fields = index.get(name)
        if not fields:
            sys.exit(f"debian-pool: no package {name} in the index")
        target = os.path.basename(fields["Filename"])
        digest = hashlib.sha256()
        with urllib.request.urlopen(f"{archive}/{fields['Filename']}", timeout=TIMEOUT) as r, open(target + ".part", "wb") as f:
            while chunk := r.read(1 << 20):
                digest.update(chunk)
                f.write(chunk)
        if digest.hexdigest() != fields["SHA256"]:
            sys.exit(f"debian-pool: {target}: SHA256 differs from the index")
        os.replace(target + ".part", target)
        print(f"debian-pool: {target}", file=sys.stderr)


def main(argv):
    if len(argv) < 3 or argv[0] not in ("resolve", "download"):
        sys.exit(__doc__)
    index = packages(argv[1].rstrip("/"), argv[2])
    release = resolve(index, argv[3] if len(argv) > 3 else "")
    if argv[0] == "resolve":
        print(release)
    else:
        download(argv[1].rstrip("/"), index, release)


if __name__ == "__main__":
    main(sys.argv[1:])

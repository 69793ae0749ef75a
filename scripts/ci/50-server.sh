#!/usr/bin/env bash
# Fixtures of kdive-server's integration tests (idempotent, quiet, fails loudly):
#  - PostgreSQL on loopback with role/database kdive/kdive_test (password kdive), so the store and
#    HTTP tests also run against postgresql://127.0.0.1:5432/kdive_test;
#  - Chromium + chromedriver for the web UI test (selenium-java drives /usr/bin/chromedriver).
# The tests find these through KDIVE_TEST_POSTGRES_URL (default below) and /usr/bin/chromium.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
packages=(postgresql chromium chromium-driver)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The Debian package creates one cluster (e.g. 15/main); containers have no systemd to start it.
read -r version cluster port status _ < <(pg_lsclusters -h | head -n 1) || {
    echo "50-server.sh: no PostgreSQL cluster found (pg_lsclusters)" >&2
    exit 1
}
if [ "$status" != "online" ]; then
    pg_ctlcluster "$version" "$cluster" start
fi
if [ "$port" != "5432" ]; then
    echo "50-server.sh: PostgreSQL cluster $version/$cluster listens on $port, tests expect 5432" >&2
    exit 1
fi

psql_admin() { su postgres -c "psql -v ON_ERROR_STOP=1 -qtAX -p $port $*"; }
for _ in $(seq 1 30); do
    psql_admin "-c 'select 1'" >/dev/null 2>&1 && break
    sleep 1
done
if [ "$(psql_admin "-c \"select 1 from pg_roles where rolname = 'kdive'\"")" != "1" ]; then
    psql_admin "-c \"create role kdive login password 'kdive'\""
fi
if [ "$(psql_admin "-c \"select 1 from pg_database where datname = 'kdive_test'\"")" != "1" ]; then
    psql_admin "-c 'create database kdive_test owner kdive'"
fi
# Loopback TCP with a password (Debian's default pg_hba.conf allows scram-sha-256 on 127.0.0.1/::1).
PGPASSWORD=kdive psql -h 127.0.0.1 -p "$port" -U kdive -d kdive_test -qtAX -c 'select 1' >/dev/null

#!/usr/bin/env bash
# Installs what the test suite needs beyond npm packages, on a bare Debian 12 machine (run as root):
# a PostgreSQL 15 server (Debian package; the tests start it with pg_ctlcluster), Debian's
# ClickHouse server 18.16 (HTTP transport smoke tests; the test set-up starts it) and librdkafka
# (its mock cluster is the tests' Kafka broker), and Chromium (the docs site's browser test).
set -euo pipefail
need=()
[[ -x /usr/lib/postgresql/15/bin/postgres ]] || need+=(postgresql-15 postgresql-client-15)
[[ -x /usr/sbin/clickhouse-server ]] || need+=(clickhouse-server)
# librdkafka's mock cluster is the Kafka broker of the loader tests (a few lines of C, compiled by
# the test set-up).
[[ -f /usr/include/librdkafka/rdkafka_mock.h ]] || need+=(librdkafka-dev)
command -v cc >/dev/null || need+=(gcc libc6-dev)
# Headless Chromium for the docs site's browser test (driven by playwright-core).
command -v chromium >/dev/null || need+=(chromium)
# git (with git-http-backend) for the deps tests' git packages, served over file:// and HTTP.
[[ -x /usr/lib/git-core/git-http-backend ]] || need+=(git)
if ((${#need[@]})); then
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# The Debian package creates cluster 15/main; make sure it exists (a removed cluster is re-created).
if ! pg_lsclusters -h 2>/dev/null | awk '{print $1"/"$2}' | grep -qx '15/main'; then
  pg_createcluster 15 main >/dev/null
fi
# Embedded ClickHouse (chDB) for the ClickHouse suites. Not a dependency of tsdbt (its engine is
# about 540 MB, and the registry lacks its macOS/arm builds, which npm ci's lock check would demand):
# installed next to the locked packages without touching package.json or the lock file.
if [[ ! -f node_modules/chdb/package.json ]]; then
  echo "installing: chdb@3.4.0 (embedded ClickHouse)"
  npm install --no-save --no-audit --no-fund --ignore-scripts chdb@3.4.0 >/dev/null
fi


#!/bin/sh
# Run dbt-core's functional tests on tsdbt's built CLI.
#   conformance/dbt-pytest/run.sh <dbt-core checkout> <test path under it> [pytest args...]
# e.g. run.sh /work/ext/dbt-core-func tests/functional/sources -q
set -e
here=$(cd "$(dirname "$0")" && pwd)
checkout=$(cd "$1" && pwd)
shift
# The checkout's own files the harness reads (dbt-core's artifact JSON schemas).
export TSDBT_PYTEST_CHECKOUT="$checkout"
export TSDBT_ROOT="${TSDBT_ROOT:-$(cd "$here/../.." && pwd)}"
# Tests that write their own profiles.yml read these (dbt's CI sets them).
export POSTGRES_TEST_HOST="${POSTGRES_TEST_HOST:-127.0.0.1}" POSTGRES_TEST_PORT="${POSTGRES_TEST_PORT:-5432}"
export POSTGRES_TEST_USER="${POSTGRES_TEST_USER:-tsdbt}" POSTGRES_TEST_PASS="${POSTGRES_TEST_PASS:-tsdbt}"
export POSTGRES_TEST_DATABASE="${POSTGRES_TEST_DATABASE:-tsdbt_test}"
export PYTHONPATH="$here:$here/stubs"
# Tests whose packages.yml names a git package on github.com need the network. With
# TSDBT_GIT_MIRRORS set to a folder of local clones laid out as <owner>+<name>/repo (a bare or
# ordinary git repository with the tags), git reads https://github.com/<owner>/<name>(.git) from them.
if [ -n "${TSDBT_GIT_MIRRORS:-}" ]; then
  n=0
  for repo in "$TSDBT_GIT_MIRRORS"/*+*/repo; do
    [ -d "$repo" ] || continue
    slug=$(basename "$(dirname "$repo")" | sed 's/+/\//')
    for url in "https://github.com/$slug.git" "https://github.com/$slug"; do
      export "GIT_CONFIG_KEY_$n=url.$repo.insteadOf" "GIT_CONFIG_VALUE_$n=$url"
      n=$((n + 1))
    done
  done
  export GIT_CONFIG_COUNT=$n
  # Hub packages (`package: dbt-labs/dbt_utils`) from the same clones: a local hub on 127.0.0.1.
  if [ -z "${DBT_PACKAGE_HUB_URL:-}" ]; then
    fifo=$(mktemp -u)
    mkfifo "$fifo"
    node "$here/hub-server.mjs" > "$fifo" &
    hub_pid=$!
    trap 'kill $hub_pid 2>/dev/null; rm -f "$fifo"' EXIT
    read -r DBT_PACKAGE_HUB_URL < "$fifo"
    export DBT_PACKAGE_HUB_URL
    # `tarball:` packages on GitHub (codeload.github.com, github.com/.../archive/...) from the same hub.
    export TSDBT_TARBALL_MIRRORS="https://codeload.github.com/=${DBT_PACKAGE_HUB_URL}codeload/ https://github.com/=${DBT_PACKAGE_HUB_URL}github/"
  fi
fi
cd "$checkout"
# -o pythonpath= drops dbt-core's `pythonpath = core`: its dbt package is never imported.
python3 -m pytest -p conftest -p no:cacheprovider -o pythonpath= -o addopts= \
  --rootdir "$checkout" -W ignore::pytest.PytestConfigWarning -rs "$@"

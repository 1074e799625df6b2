#!/bin/sh
# Run dbt-core's functional tests on tsdbt's built CLI.
#   conformance/dbt-pytest/run.sh <dbt-core checkout> <test path under it> [pytest args...]
# e.g. run.sh /work/ext/dbt-core-func tests/functional/sources -q
set -e
here=$(cd "$(dirname "$0")" && pwd)
checkout=$(cd "$1" && pwd)
shift
export TSDBT_ROOT="${TSDBT_ROOT:-$(cd "$here/../.." && pwd)}"
# Tests that write their own profiles.yml read these (dbt's CI sets them).
export POSTGRES_TEST_HOST="${POSTGRES_TEST_HOST:-127.0.0.1}" POSTGRES_TEST_PORT="${POSTGRES_TEST_PORT:-5432}"
export POSTGRES_TEST_USER="${POSTGRES_TEST_USER:-tsdbt}" POSTGRES_TEST_PASS="${POSTGRES_TEST_PASS:-tsdbt}"
export POSTGRES_TEST_DATABASE="${POSTGRES_TEST_DATABASE:-tsdbt_test}"
export PYTHONPATH="$here:$here/stubs"
cd "$checkout"
# -o pythonpath= drops dbt-core's `pythonpath = core`: its dbt package is never imported.
exec python3 -m pytest -p conftest -p no:cacheprovider -o pythonpath= -o addopts= \
  --rootdir "$checkout" -W ignore::pytest.PytestConfigWarning -rs "$@"

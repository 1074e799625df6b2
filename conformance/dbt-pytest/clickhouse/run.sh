#!/bin/sh
# Run dbt-clickhouse's integration tests on tsdbt's built CLI over chDB (embedded ClickHouse).
#   conformance/dbt-pytest/clickhouse/run.sh <dbt-clickhouse checkout> <dbt-adapters checkout> <test path> [pytest args...]
# e.g. run.sh /work/ext/chpy/dbt-clickhouse /work/ext/chpy/dbt-adapters tests/integration/adapter/basic -q
set -e
here=$(cd "$(dirname "$0")" && pwd)
harness=$(dirname "$here")
checkout=$(cd "$1" && pwd)
adapters=$(cd "$2" && pwd)
shift 2
export TSDBT_ROOT="${TSDBT_ROOT:-$(cd "$harness/../.." && pwd)}"
# dbt-tests-adapter's base classes (dbt.tests.adapter), from dbt-labs/dbt-adapters.
export DBT_TESTS_ADAPTER_SRC="$adapters/dbt-tests-adapter/src"
# The engine chDB 3.4 embeds: dbt-clickhouse's tests skip what older servers lack by this.
export DBT_CH_TEST_CH_VERSION="${DBT_CH_TEST_CH_VERSION:-26.7}"
# The checkout first: its tests import tests.integration.adapter.* (its pytest.ini's pythonpath = .).
export PYTHONPATH="$checkout:$here:$harness:$harness/stubs"
cd "$checkout"
# --noconftest: dbt-clickhouse's conftest.py files start a server through clickhouse_connect;
# ch_plugin gives the same fixtures over chDB. -o addopts= drops its --doctest-modules.
exec python3 -m pytest -p conftest -p dbt.tests.fixtures.project -p ch_plugin --noconftest \
  -p no:cacheprovider -o pythonpath= -o addopts= --rootdir "$checkout" \
  -W ignore::pytest.PytestConfigWarning -rs "$@"

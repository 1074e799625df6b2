#!/bin/sh
# Run dbt-core's functional tests on tsdbt's built CLI.
#   conformance/dbt-pytest/run.sh <dbt-core checkout> <test path under it> [pytest args...]
# e.g. run.sh /work/ext/dbt-core-func tests/functional/sources -q
set -e
here=$(cd "$(dirname "$0")" && pwd)
checkout=$(cd "$1" && pwd)
shift
export TSDBT_ROOT="${TSDBT_ROOT:-$(cd "$here/../.." && pwd)}"
export PYTHONPATH="$here:$here/stubs"
cd "$checkout"
# -o pythonpath= drops dbt-core's `pythonpath = core`: its dbt package is never imported.
exec python3 -m pytest -p conftest -p no:cacheprovider -o pythonpath= -o addopts= \
  --rootdir "$checkout" -W ignore::pytest.PytestConfigWarning -rs "$@"

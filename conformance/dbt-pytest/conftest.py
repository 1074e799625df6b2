"""pytest plugin for running dbt-core's functional tests on tsdbt (loaded by run.sh with -p).

Puts the stub `dbt` package first (dbt-core's own Python package is never imported) and reports
tests that reach for dbt's in-process Python objects as skipped with reason "n/a: ...".
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "stubs"))

import pytest  # noqa: E402

import dbt  # noqa: E402,F401  (installs the stub finder)
from dbt._harness import HarnessNotApplicable  # noqa: E402
import dbt.tests  # noqa: E402

# dbt-tests-adapter's base classes (dbt.tests.adapter), which dbt-adapters' dbt-postgres tests
# import, from a dbt-labs/dbt-adapters checkout: DBT_TESTS_ADAPTER_SRC=<checkout>/dbt-tests-adapter/src.
_adapter_src = os.environ.get("DBT_TESTS_ADAPTER_SRC")
if _adapter_src and os.path.join(_adapter_src, "dbt", "tests") not in dbt.tests.__path__:
    dbt.tests.__path__.append(os.path.join(_adapter_src, "dbt", "tests"))


@pytest.fixture
def mocker():
    """pytest-mock's fixture: the tests that take it patch dbt's in-process Python code."""
    raise HarnessNotApplicable("mocks dbt's Python code (pytest-mock's mocker)")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    cause = _not_applicable(call.excinfo.value) if call.excinfo is not None else None
    if cause is None and call.excinfo is not None:
        cause = _compared_not_applicable(call.excinfo.value)
    if cause is None and call.excinfo is not None and _reads_msgpack_manifest(item, call.excinfo.value):
        cause = "reads dbt's target/partial_parse.msgpack through Manifest.from_msgpack (tsdbt writes partial_parse.bin)"
    if cause is not None:
        report.outcome = "skipped"
        report.longrepr = (str(item.path), item.location[1], f"n/a: {cause}")
    return report


@pytest.fixture(autouse=True)
def _forget_not_applicable():
    HarnessNotApplicable.made.clear()
    yield


def _compared_not_applicable(exc):
    """A failed assertion whose text holds a HarnessNotApplicable's message: the test caught it and
    compared it with dbt's (`assert "[InvalidOptionYAML]: ..." in str(excinfo.value)`)."""
    if not isinstance(exc, AssertionError):
        return None
    text = str(exc)
    return next((m for m in HarnessNotApplicable.made if m and m in text), None)


def _not_applicable(exc):
    """The HarnessNotApplicable this failure came from, also when a test caught and re-raised it."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, HarnessNotApplicable):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def _reads_msgpack_manifest(item, exc):
    """A test whose own get_manifest() loads dbt's partial-parse file: without it, it gets None."""
    if not (isinstance(exc, AttributeError) and "'NoneType'" in str(exc)):
        return False
    module = getattr(item, "module", None)
    source = getattr(module, "__file__", None)
    try:
        with open(source) as f:
            text = f.read()
    except (OSError, TypeError):
        return False
    return "partial_parse.msgpack" in text and "from_msgpack" in text

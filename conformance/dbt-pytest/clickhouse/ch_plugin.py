"""pytest plugin: dbt-clickhouse's tests/integration on tsdbt over chDB (embedded ClickHouse).

Loaded by clickhouse/run.sh after dbt's project fixtures (`-p dbt.tests.fixtures.project -p ch_plugin`),
with dbt-clickhouse's own conftest.py files left out (--noconftest: they start a server through
clickhouse_connect). It stands in for them: the same fixtures (test_config, dbt_profile_target,
prefix, unique_schema, ch_test_users, ch_test_version), a profile with `driver: chdb` and one data
folder for the session, and a project whose schema is a ClickHouse database. dbt-tests-adapter's
base classes (dbt.tests.adapter) are read from DBT_TESTS_ADAPTER_SRC.
"""
import os
import random
import shutil
import tempfile
import time

import pytest

import dbt.tests
from dbt import _harness as harness

import ch_sql
from ch_adapter import Adapter, quote_identifier

os.environ["TZ"] = "UTC"
time.tzset()

_src = os.environ.get("DBT_TESTS_ADAPTER_SRC")
if _src:
    dbt.tests.__path__.append(os.path.join(_src, "dbt", "tests"))
harness.REAL["dbt.adapters.clickhouse.query"] = {"quote_identifier": quote_identifier}

# chDB locks its data folder per process: the SQL helper lets go of it before each tsdbt command.
_invoke = harness.invoke


def _invoke_after_sql_helper(args, callbacks=None):
    ch_sql.stop()
    return _invoke(args, callbacks=callbacks)


harness.invoke = _invoke_after_sql_helper
import dbt.tests.util as _util  # noqa: E402
import dbt.cli.main as _cli  # noqa: E402

_util.invoke = _cli.invoke = _invoke_after_sql_helper

from dbt.tests.fixtures.project import TestProjInfo, project_setup_fixture  # noqa: E402

# dbt's nodes have `search_name` (the name, `name.v2` for a version), a property manifest.json
# leaves out; dbt-clickhouse's tests read it from results.
_results_init = harness.Results.__init__


def _results_with_search_name(self, run_results, manifest, project_dir):
    _results_init(self, run_results, manifest, project_dir)
    for result in self.results:
        node = dict.__getitem__(result, "node")
        if isinstance(node, dict) and "search_name" not in node and "name" in node:
            version = node.get("version")
            node["search_name"] = node["name"] if version is None else f"{node['name']}.v{version}"


harness.Results.__init__ = _results_with_search_name


@pytest.fixture(scope="session", autouse=True)
def chdb_path():
    path = os.environ.get("TSDBT_CH_TEST_PATH") or tempfile.mkdtemp(prefix="tsdbt-ch-pytest-")
    ch_sql.CHDB_PATH[0] = path
    yield path
    ch_sql.stop()
    if not os.environ.get("TSDBT_CH_TEST_PATH"):
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def ch_test_users():
    # dbt-clickhouse creates these users on its server; chDB has no access control.
    yield [os.environ.setdefault(f"DBT_TEST_USER_{x}", f"dbt_test_user_{x}") for x in range(1, 4)]


@pytest.fixture(scope="session", autouse=True)
def ch_test_version():
    yield os.environ.get("DBT_CH_TEST_CH_VERSION", "latest")


@pytest.fixture(scope="session")
def test_config(ch_test_users, ch_test_version, chdb_path):
    return {"driver": "chdb", "host": "", "port": 0, "user": "default", "password": "", "cluster": "",
            "db_engine": "", "secure": False, "cluster_mode": False, "database": ""}


@pytest.fixture(scope="class")
def dbt_profile_target(test_config, chdb_path):
    return {
        "type": "clickhouse",
        "threads": 4,
        "driver": "chdb",
        "path": chdb_path,
        "user": test_config["user"],
        "password": test_config["password"],
        "cluster": test_config["cluster"],
        "database_engine": test_config["db_engine"],
        "cluster_mode": test_config["cluster_mode"],
        "secure": test_config["secure"],
        "check_exchange": False,
        "use_lw_deletes": True,
        "custom_settings": {"distributed_ddl_task_timeout": 300, "input_format_skip_unknown_fields": 1},
        "dbname": "",
    }


@pytest.fixture(scope="class")
def prefix():
    return f"dbt_clickhouse_{random.randint(1000, 9999)}"


@pytest.fixture(scope="class")
def unique_schema(request, prefix) -> str:
    test_file = request.module.__name__.split(".")[-1]
    return f"{prefix}_{test_file}_{int(time.time() * 1000)}"


@pytest.fixture(scope="class")
def adapter(unique_schema, dbt_profile_target, profiles_yml, dbt_project_yml):
    return Adapter("", unique_schema)


class ClickHouseProjInfo(TestProjInfo):
    """The project: its schema is a ClickHouse database; run_sql is dbt-clickhouse's run_sql_for_tests."""

    __test__ = False

    def run_sql(self, sql, fetch=None):
        if sql.strip() == "":
            return None
        sql = sql.format(schema=self.test_schema, database=self.adapter.quote(self.database))
        return ch_sql.run_sql(sql, fetch)

    def create_test_schema(self, schema_name=None):
        schema_name = schema_name or self.test_schema
        ch_sql.run_sql(f"create database if not exists {quote_identifier(schema_name)}")
        self.created_schemas.append(schema_name)

    def drop_test_schema(self):
        for schema_name in self.created_schemas:
            ch_sql.run_sql(f"drop database if exists {quote_identifier(schema_name)}")
        self.created_schemas = []

    def get_tables_in_schema(self):
        rows = self.run_sql(
            "select name, if(engine = 'View', 'view', 'table') from system.tables"
            f" where database = '{self.test_schema}' order by name", fetch="all")
        return {name: mat for (name, mat) in rows}


def _ch_custom_schemas(unique_schema):
    return [name for (name,) in ch_sql.run_sql(
        f"select name from system.databases where startsWith(name, '{unique_schema}')", "all") or []]


def _ch_drop_database(name):
    ch_sql.run_sql(f"drop database if exists {quote_identifier(name)}")


def _ch_using_database(name):
    ch_sql.DATABASE[0] = name


# The stubs' project_setup over chDB: the project's schema is a ClickHouse database, no `dbname`.
project_setup = project_setup_fixture(ClickHouseProjInfo, lambda target: "", _ch_custom_schemas, _ch_drop_database,
                                      adapter_type="clickhouse", using_schema=_ch_using_database)

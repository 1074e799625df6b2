"""dbt.tests.util with run_dbt running tsdbt's CLI; the file and relation helpers tests call."""
import contextlib
import json
import os
import shutil
from datetime import datetime, timezone
from typing import List

import yaml

from dbt._harness import HarnessNotApplicable, error_from_output, invoke, load_manifest
from dbt._harness import module_getattr
from dbt import _harness
from dbt._harness import run_sql as _run_sql

__getattr__ = module_getattr(__name__)


class TestProcessingException(Exception):
    __test__ = False


def run_dbt(args=None, expect_pass=True, callbacks=None):
    return run_dbt_and_capture(args, expect_pass, callbacks)[0]


def run_dbt_and_capture(args=None, expect_pass=True, callbacks=None):
    args = ["run"] if args is None else list(args)
    # dbt's run_dbt adds --project-dir and --profiles-dir from the flags its last invocation left:
    # a test without the project fixture (TestEnvironmentVariableNamespaceDeprecation) runs in the
    # previous test's project.
    last = _harness.LAST_DIRS[0]
    if last and _harness.PROJECT_DIR[0] is None and not os.path.exists("dbt_project.yml") and _harness.command_takes_project(args):
        if "--project-dir" not in args:
            args += ["--project-dir", last[0]]
        if "--profiles-dir" not in args and not os.environ.get("DBT_PROFILES_DIR"):
            args += ["--profiles-dir", last[1]]
    print(f"\n\nInvoking tsdbt with {args}")
    code, output, result = invoke(args, callbacks=callbacks)
    print(output)
    if code >= 2:
        raise error_from_output(output)
    if expect_pass is not None:
        assert (code == 0) == expect_pass, "dbt exit state did not match expected"
    return result, output


def get_logging_events(log_output, event_name):
    events = []
    for line in log_output.split("\n"):
        if line.startswith("{") and event_name in line:
            d = json.loads(line)
            if d.get("info", {}).get("name") == event_name:
                events.append(d)
    return events


def get_manifest(project_root):
    """dbt reads its partial-parse file here; the harness reads target/manifest.json.

    A command that parsed but wrote no manifest.json (dbt's `docs generate --no-compile`, whose
    requires.manifest(write=False) leaves only the partial-parse file) is read from a parse of the
    project into a folder of its own: the manifest as parsed, its nodes not compiled."""
    project_root = str(project_root)
    manifest = load_manifest(project_root)
    if manifest is None and os.path.exists(os.path.join(project_root, "target", "partial_parse.bin")):
        import tempfile
        with tempfile.TemporaryDirectory(prefix="tsdbt-manifest-") as target:
            _, _, manifest = invoke(["parse", "--project-dir", project_root, "--target-path", target])
    return manifest


def get_run_results(project_root):
    return get_artifact(project_root, "target", "run_results.json") if file_exists(
        project_root, "target", "run_results.json") else None


def copy_file(src_path, src, dest_path, dest):
    shutil.copyfile(os.path.join(src_path, src), os.path.join(dest_path, *dest))


def rm_file(*paths):
    os.remove(os.path.join(*paths))


def write_file(contents, *paths):
    with open(os.path.join(*paths), "w", encoding="utf-8") as fp:
        fp.write(contents)


def file_exists(*paths):
    return os.path.exists(os.path.join(*paths))


def read_file(*paths):
    with open(os.path.join(*paths)) as fp:
        return fp.read()


def mkdir(directory_path):
    os.makedirs(directory_path)


def rm_dir(directory_path):
    shutil.rmtree(directory_path)


def rename_dir(src, dest):
    os.rename(src, dest)


def get_artifact(*paths):
    return json.loads(read_file(*paths))


def write_artifact(dct, *paths):
    write_file(json.dumps(dct), *paths)


def update_config_file(updates, *paths):
    config = yaml.safe_load(read_file(*paths))
    config.update(updates)
    write_file(yaml.safe_dump(config), *paths)


def write_config_file(data, *paths):
    write_file(yaml.safe_dump(data) if isinstance(data, dict) else data, *paths)


def get_unique_ids_in_results(results):
    return [r.node.unique_id for r in results]


def check_result_nodes_by_name(results, names):
    assert set(names) == {r.node.name for r in results}


def check_result_nodes_by_unique_id(results, unique_ids):
    assert set(unique_ids) == {r.node.unique_id for r in results}


def check_datetime_between(timestr, start, end=None):
    end = end or datetime.now(timezone.utc).replace(tzinfo=None)
    parsed = datetime.strptime(timestr, "%Y-%m-%dT%H:%M:%S.%fZ")
    assert start <= parsed <= end


def run_sql_with_adapter(adapter, sql, fetch=None):
    if sql.strip() == "":
        return None
    sql = sql.format(schema=adapter.config.credentials.schema,
                     database=adapter.quote(adapter.config.credentials.database))
    return _run_sql(sql, fetch)


def relation_from_name(adapter, name: str):
    parts = name.split(".")
    if len(parts) == 1:
        parts.insert(0, adapter.config.credentials.schema)
    if len(parts) == 2:
        parts.insert(0, adapter.config.credentials.database)
    return adapter.Relation.create(database=parts[0], schema=parts[1], identifier=parts[2])


def check_relation_types(adapter, relation_to_type):
    found = []
    for key in relation_to_type:
        found.extend(adapter.list_relations_without_caching(relation_from_name(adapter, key)))
    for key, value in relation_to_type.items():
        for relation in found:
            if relation.identifier == key:
                assert relation.type == value, (
                    f"Got an unexpected relation type of {relation.type} for relation {key}, expected {value}")


def check_relations_equal(adapter, relation_names: List, compare_snapshot_cols=False):
    if len(relation_names) < 2:
        raise TestProcessingException("Not enough relations to compare")
    return check_relations_equal_with_relations(
        adapter, [relation_from_name(adapter, n) for n in relation_names], compare_snapshot_cols)


def check_relation_has_expected_schema(adapter, relation_name, expected_schema):
    relation = relation_from_name(adapter, relation_name)
    actual = {c.name: c.data_type for c in adapter.get_columns_in_relation(relation)}
    assert actual == expected_schema, f"Actual schema did not match expected, actual: {json.dumps(actual)}"


def check_relations_equal_with_relations(adapter, relations, compare_snapshot_cols=False):
    basis, compares = relations[0], relations[1:]
    names = [c.name for c in adapter.get_columns_in_relation(basis)
             if not c.name.lower().startswith("dbt_") or compare_snapshot_cols]
    for relation in compares:
        _, tbl = adapter.execute(adapter.get_rows_different_sql(basis, relation, column_names=names), fetch=True)
        assert tbl[0][0] == 0, f"Got {tbl[0][0]} difference in row count betwen {basis} and {relation}"
        assert tbl[0][1] == 0, f"Got {tbl[0][1]} different rows between {basis} and {relation}"


def update_rows(adapter, config):
    for key in ["name", "dst_col", "clause"]:
        if key not in config:
            raise TestProcessingException(f"Invalid update_rows: no {key}")
    clause = generate_update_clause(adapter, config["clause"])
    relation = relation_from_name(adapter, config["name"])
    adapter.execute(adapter.update_column_sql(str(relation), config["dst_col"], clause, config.get("where")))


def generate_update_clause(adapter, clause) -> str:
    if clause.get("type") == "add_timestamp":
        kwargs = {k: v for k, v in clause.items() if k in ("interval", "number")}
        return adapter.timestamp_add_sql(clause["src_col"], **kwargs)
    if clause.get("type") == "add_string":
        return adapter.string_add_sql(clause["src_col"], clause["value"], clause.get("location", "append"))
    raise TestProcessingException("invalid update_rows clause: type missing or incorrect")


@contextlib.contextmanager
def get_connection(adapter, name="_test"):
    yield None


def get_relation_columns(adapter, name):
    columns = adapter.get_columns_in_relation(relation_from_name(adapter, name))
    return sorted(((c.name, c.dtype, c.char_size) for c in columns), key=lambda x: x[0])


def check_table_does_not_exist(adapter, name):
    assert len(get_relation_columns(adapter, name)) == 0


def check_table_does_exist(adapter, name):
    assert len(get_relation_columns(adapter, name)) > 0


class AnyFloat:
    def __eq__(self, other):
        return isinstance(other, float)


class AnyInteger:
    def __eq__(self, other):
        return isinstance(other, int)


class AnyString:
    def __eq__(self, other):
        return isinstance(other, str)


class AnyStringWith:
    def __init__(self, contains=None):
        self.contains = contains

    def __eq__(self, other):
        return isinstance(other, str) and (self.contains is None or self.contains in other)

    def __repr__(self):
        return f"AnyStringWith<{self.contains!r}>"


def assert_message_in_logs(message, logs, expected_pass=True):
    assert (message in logs) == expected_pass


def get_project_config(project):
    return yaml.safe_load(read_file(project.project_root, "dbt_project.yml"))


def set_project_config(project, config):
    write_file(yaml.safe_dump(config), project.project_root, "dbt_project.yml")


def get_model_file(project, relation):
    return read_file(project.project_root, "models", f"{relation.name}.sql")


def set_model_file(project, relation, model_sql):
    write_file(model_sql, project.project_root, "models", f"{relation.name}.sql")


def safe_set_invocation_context():
    pass


@contextlib.contextmanager
def patch_microbatch_end_time(dt_str):
    """dbt patches MicrobatchBuilder.build_end_time (the run's "now" for batches); tsdbt runs
    under libfaketime at that instant instead (its whole wall clock)."""
    from dbt import _harness
    if not os.path.exists(_harness.FAKETIME_LIB):
        raise HarnessNotApplicable("patches dbt's Python MicrobatchBuilder (install Debian's faketime to run it)")
    datetime.strptime(dt_str, "%Y-%m-%d %H:%M:%S")
    previous = _harness.CLOCK[0]
    _harness.CLOCK[0] = dt_str
    try:
        yield
    finally:
        _harness.CLOCK[0] = previous



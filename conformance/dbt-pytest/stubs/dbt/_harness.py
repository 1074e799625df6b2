"""tsdbt side of the harness: run the CLI, read its artifacts, run SQL, stub what is not ours."""
import datetime
import decimal
import enum
import importlib
import importlib.abc
import importlib.machinery
import json
import os
import re
import shutil
import subprocess
import sys
import types

TSDBT_ROOT = os.environ.get("TSDBT_ROOT") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", "..", "..")
)
HERE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class HarnessNotApplicable(Exception):
    """The test used a dbt Python object tsdbt does not have (events, dbtRunner callbacks, ...)."""

    # The messages of those made during the current test (conftest.py clears it before each): a
    # test that caught one (`pytest.raises(Exception)`) and then failed comparing its text with
    # dbt's is not applicable either.
    made = []

    def __init__(self, *args):
        super().__init__(*args)
        HarnessNotApplicable.made.append(str(self))


class TsdbtError(RuntimeError, ValueError):
    """tsdbt exited with 2: dbt would have raised this exception from run_dbt.

    A RuntimeError: dbt's DbtRuntimeError, which nearly all its errors derive from, is one, and
    tests catch it as such (cycles' `pytest.raises(RuntimeError)`). A ValueError too: some of
    dbt's stops are Python's own (retry's "Couldn't find model" is networkx's subgraph
    ValueError); as with dbt's classes, the test's message check decides."""

    def __init__(self, msg, output=""):
        super().__init__(msg)
        self.msg = msg
        self.output = output

    def __str__(self):
        return self.msg


# ---------------------------------------------------------------- stubs
# The stubbed exception classes made so far: an exit-2 error is raised as a subclass of all of
# them, since an `except CompilationError:` clause (unlike pytest.raises' isinstance) ignores
# __subclasscheck__ and asks for a real subclass.
STUB_EXCEPTIONS = []


class _LenientExcMeta(type):
    """A stubbed dbt exception class matches any error tsdbt exited with."""

    def __instancecheck__(cls, inst):
        return isinstance(inst, TsdbtError) or type.__instancecheck__(cls, inst)

    def __subclasscheck__(cls, sub):
        return (isinstance(sub, type) and issubclass(sub, TsdbtError)) or type.__subclasscheck__(cls, sub)


class _StubMeta(type):
    def __getattr__(cls, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise HarnessNotApplicable(f"uses dbt's Python {cls.__qualname__}.{name}")

    def __instancecheck__(cls, inst):
        raise HarnessNotApplicable(f"isinstance against dbt's Python class {cls.__qualname__}")


class _Stub(metaclass=_StubMeta):
    def __init__(self, *a, **k):
        raise HarnessNotApplicable(f"builds dbt's Python object {type(self).__qualname__}")


def _stub_attr(modname, name):
    if name[:1].isupper() and re.search(r"(Error|Exception|Failure|Exit)$", name):
        cls = _LenientExcMeta(name, (Exception,), {"__module__": modname, "__test__": False})
        STUB_EXCEPTIONS.append(cls)
        return cls
    if name[:1].isupper() and not name.isupper():
        return _StubMeta(name, (_Stub,), {"__module__": modname, "__test__": False})
    if name.isupper():
        return f"<stub {modname}.{name}>"

    return _StubCallable(f"{modname}.{name}")


class _StubCallable:
    """A lower-case name of a stubbed module: a function (calling it is n/a) or a submodule
    (`sqlparse.engine.grouping`: reading from it is n/a too)."""

    __test__ = False

    def __init__(self, qualname):
        self.__name__ = qualname.rsplit(".", 1)[-1]
        self._qualname = qualname

    def __call__(self, *a, **k):
        raise HarnessNotApplicable(f"calls dbt's Python {self._qualname}")

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise HarnessNotApplicable(f"reads dbt's Python {self._qualname}.{name}")


def module_getattr(modname):
    """__getattr__ for a real stub package: names it does not define are stubbed."""

    def getattr_(name):
        if name.startswith(("_", "pytest")):
            raise AttributeError(name)
        module = sys.modules[modname]
        if hasattr(module, "__path__") and name[:1].islower():
            return importlib.import_module(f"{modname}.{name}")  # `from dbt import deprecations`
        val = _stub_attr(modname, name)
        setattr(sys.modules[modname], name, val)
        return val

    return getattr_


class _StubModule(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith(("__", "pytest")):
            raise AttributeError(name)
        val = _stub_attr(self.__name__, name)
        setattr(self, name, val)
        return val


STUBBED = ("dbt", "dbt_common", "dbt_semantic_interfaces", "dbt_adapters", "agate",
           "freezegun", "pytest_mock", "mashumaro", "psycopg2", "dbt_extractor", "dbtlabs",
           "sqlparse")


class EventLevel(str, enum.Enum):
    """dbt_common's EventLevel: a str enum, so it compares equal to a JSON log line's `info.level`."""

    DEBUG = "debug"
    TEST = "test"
    INFO = "info"
    WARN = "warn"
    ERROR = "error"


class EventCatcher:
    """dbt_common's EventCatcher (dbt_common/events/event_catcher.py): keeps the events, given to
    `catch` as a callback, whose name is the class's and that the predicate accepts."""

    def __init__(self, event_to_catch, caught_events=None, predicate=lambda event: True):
        self.event_to_catch = event_to_catch
        self.caught_events = caught_events if caught_events is not None else []
        self.predicate = predicate

    def catch(self, event):
        if event.info.name == self.event_to_catch.__name__ and self.predicate(event):
            self.caught_events.append(event)

    def flush(self):
        self.caught_events = []


class BaseContext:
    """dbt.context.base.BaseContext's pure static members that tests call directly."""

    @staticmethod
    def diff_of_two_dicts(dict_a, dict_b):
        # dbt-core 1.11's, verbatim in effect: case-insensitive, dict_a's values missing from dict_b.
        dict_diff = {}
        dict_b_lowered = {k.casefold(): [x.casefold() for x in v] for k, v in dict_b.items()}
        for k in dict_a:
            if k.casefold() in dict_b_lowered.keys():
                diff = [v for v in dict_a[k] if v.casefold() not in dict_b_lowered[k.casefold()]]
                if diff:
                    dict_diff.update({k: diff})
            else:
                dict_diff.update({k: dict_a[k]})
        return dict_diff


def _engine_env_vars():
    """tsdbt's list of dbt's own DBT_ENGINE_* variables (src/app/engine-env-vars.ts), those it does
    not warn about: dbt.env_vars._ALLOWED_ENV_VARS, which a test compares with dbt 1.11's."""
    try:
        with open(os.path.join(TSDBT_ROOT, "src", "app", "engine-env-vars.ts")) as f:
            text = f.read()
    except OSError:
        return _StubCallable("dbt.env_vars._ALLOWED_ENV_VARS")

    def words(const):
        m = re.search(r"const " + const + r" =\s*((?:'[^']*'\s*\+?\s*)+);", text)
        return " ".join(re.findall(r"'([^']*)'", m.group(1))).split() if m else []

    return {"DBT_ENGINE_" + w for w in words("OPTION_ENV_VARS") + words("ADDITIONAL_ENV_VARS")}


class _NodeClassMeta(_StubMeta):
    """dbt's node classes (FunctionNode, ModelNode, ...): an artifact object is an instance of the
    one its `resource_type` names; anything else about the class is n/a, as for any stub."""

    def __instancecheck__(cls, inst):
        return isinstance(inst, dict) and dict.get(inst, "resource_type") == cls.resource_type


def _node_class(name, resource_type):
    return _NodeClassMeta(name, (_Stub,), {"__module__": "dbt.contracts.graph.nodes", "__test__": False, "resource_type": resource_type})


NODE_CLASSES = {name: _node_class(name, rt) for name, rt in (
    ("FunctionNode", "function"), ("ModelNode", "model"), ("SeedNode", "seed"), ("SnapshotNode", "snapshot"),
    ("AnalysisNode", "analysis"), ("SourceDefinition", "source"), ("Exposure", "exposure"), ("Metric", "metric"),
    ("SemanticModel", "semantic_model"), ("SavedQuery", "saved_query"), ("UnitTestDefinition", "unit_test"),
    ("Macro", "macro"), ("Documentation", "doc"), ("Group", "group"))}


class _SourceConfigMeta(type):
    """A source's `config` in manifest.json is an instance: a mapping with SourceConfig's fields."""

    FIELDS = ("enabled", "event_time", "freshness", "loaded_at_field", "loaded_at_query", "meta", "tags", "static_analysis")

    def __instancecheck__(cls, inst):
        return isinstance(inst, dict) and set(cls.FIELDS) <= set(inst)


class SourceConfig(dict, metaclass=_SourceConfigMeta):
    """dbt's SourceConfig (dbt/artifacts/resources/v1/source_definition.py) as its to_dict() writes
    it: its defaults (FreshnessThreshold's two empty Time and no filter) with the given fields over
    them, so that it equals a source's `config` read from manifest.json."""

    def __init__(self, **fields):
        super().__init__(enabled=True, event_time=None,
                         freshness={"warn_after": {"count": None, "period": None}, "error_after": {"count": None, "period": None}, "filter": None},
                         loaded_at_field=None, loaded_at_query=None, meta={}, tags=[], static_analysis=None)
        self.update(fields)


class _ExposureConfigMeta(type):
    """An exposure's `config` in manifest.json is an instance: a mapping with ExposureConfig's fields."""

    FIELDS = ("enabled", "tags", "meta")

    def __instancecheck__(cls, inst):
        return isinstance(inst, dict) and set(cls.FIELDS) <= set(inst)


class ExposureConfig(dict, metaclass=_ExposureConfigMeta):
    """dbt's ExposureConfig (dbt/artifacts/resources/v1/exposure.py) as its to_dict() writes it:
    enabled, tags and meta with their defaults under the fields given; read as attributes."""

    def __init__(self, **fields):
        super().__init__(enabled=True, tags=[], meta={})
        self.update(fields)

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


class SchemaVersion:
    """dbt's SchemaVersion (dbt/artifacts/schemas/base.py): an artifact's schema name and version."""

    def __init__(self, name, version):
        self.name = name
        self.version = version

    @property
    def path(self):
        return f"/dbt/{self.name}/v{self.version}.json"

    def __str__(self):
        return "https://schemas.getdbt.com" + self.path


def _artifact_class(name, module, schema, version):
    """An artifact class of dbt 1.11 (WritableManifest, RunResultsArtifact, ...): its
    `dbt_schema_version`, the schema tsdbt's artifact of that kind is written under, and
    `json_schema()`; anything else about the class is n/a, as for any stub."""
    version_ = SchemaVersion(schema, version)
    # json_schema(): the schema dbt generates from the class, which dbt-core stores as schemas/dbt/<name>/v<N>.json.
    json_schema = classmethod(lambda cls: artifact_schema(schema, f"v{version}", f"{name}.json_schema"))
    return _StubMeta(name, (_Stub,), {"__module__": module, "__test__": False, "dbt_schema_version": version_, "json_schema": json_schema})


def get_artifact_schema_version(dct):
    """dbt's get_artifact_schema_version: the number in metadata.dbt_schema_version's `vN.json`."""
    schema_version = dct.get("metadata", {}).get("dbt_schema_version", None)
    if not schema_version:
        raise ValueError("Artifact is missing schema version")
    return int(schema_version.split("/")[-1].split(".")[0][1:])


class RelationType(str, enum.Enum):
    """dbt-adapters' RelationType (dbt/adapters/contracts/relation.py), a StrEnum."""

    Table = "table"
    View = "view"
    CTE = "cte"
    MaterializedView = "materialized_view"
    Ephemeral = "ephemeral"
    External = "external"
    PointerTable = "pointer_table"
    Function = "function"

    def __str__(self):
        return self.value


class OnConfigurationChangeOption(str, enum.Enum):
    """dbt_common's OnConfigurationChangeOption (contracts/config/materialization.py), a StrEnum."""

    Apply = "apply"
    Continue = "continue"
    Fail = "fail"

    def __str__(self):
        return self.value


class _AgateTableMeta(_StubMeta):
    """agate.Table: a show result's agate_table (ShowTable, below) is an instance; building one, or
    anything else about the class, is n/a as for any stub."""

    def __instancecheck__(cls, inst):
        return isinstance(inst, ShowTable)


# Real objects in stubbed modules: plain values a test compares with what tsdbt wrote.
REAL = {
    "agate": {"Table": _AgateTableMeta("Table", (_Stub,), {"__module__": "agate", "__test__": False})},
    "dbt.env_vars": {"_ALLOWED_ENV_VARS": _engine_env_vars()},
    "dbt.contracts.graph.nodes": NODE_CLASSES,
    "dbt.context.base": {"BaseContext": BaseContext},
    "dbt_common.events.event_catcher": {"EventCatcher": EventCatcher},
    "dbt_common.events": {"EventLevel": EventLevel},
    "dbt_common.events.base_types": {"EventLevel": EventLevel},
    # dbt's constants, as dbt-core 1.11 and dbt-common define them (tests build env var names from them).
    "dbt_common.constants": {"SECRET_ENV_PREFIX": "DBT_ENV_SECRET"},
    # dbt-adapters' dbt-postgres tests/conftest.py sets dbt's global flags at import: nothing to set
    # there; a PROJECT_DIR given (a test renaming its project folder) is where the next commands run.
    "dbt.flags": {"set_from_args": lambda *args, **kwargs: _set_project_dir(args[0] if args else None)},
    "dbt.constants": {"DEFAULT_ENV_PLACEHOLDER": "DBT_DEFAULT_PLACEHOLDER",
                      "SECRET_PLACEHOLDER": "$$$DBT_SECRET_START$$${}$$$DBT_SECRET_END$$$"},
    "dbt.contracts.graph.model_config": {"SourceConfig": SourceConfig},
    # dbt 1.11's artifact schema versions (manifest v12, run_results v6), which tsdbt writes.
    "dbt.artifacts.schemas.run": {"RunResultsArtifact": _artifact_class("RunResultsArtifact", "dbt.artifacts.schemas.run", "run-results", 6)},
    "dbt.artifacts.schemas.base": {"SchemaVersion": SchemaVersion, "get_artifact_schema_version": get_artifact_schema_version},
    # Enums tests use to name relation types and config values (plain strings in what tsdbt writes).
    "dbt.adapters.contracts.relation": {"RelationType": RelationType},
    "dbt_common.contracts.config.materialization": {"OnConfigurationChangeOption": OnConfigurationChangeOption},
    # dbt-postgres's identifier limit (PostgreSQL's NAMEDATALEN - 1): unit tests' names are checked against it.
    "dbt.adapters.postgres.relation_configs": {"MAX_CHARACTERS_IN_IDENTIFIER": 63},
}


# Real objects defined by harness modules that import this one, looked up when their module is imported.
LATER = {
    # The harness's relation (dbt._adapter), which `project.adapter.Relation.create` makes.
    "dbt.adapters.postgres.relation": {"PostgresRelation": lambda: importlib.import_module("dbt._adapter").Relation},
}


class _StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path, target=None):
        if fullname.split(".")[0] in STUBBED:
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        m = _StubModule(spec.name)
        m.__path__ = []
        return m

    def exec_module(self, module):
        for name, value in REAL.get(module.__name__, {}).items():
            setattr(module, name, value)
        for name, value in LATER.get(module.__name__, {}).items():
            setattr(module, name, value())


def install_stub_finder():
    if not any(isinstance(f, _StubFinder) for f in sys.meta_path):
        sys.meta_path.append(_StubFinder())


# ---------------------------------------------------------------- artifacts as objects
class Obj(dict):
    """A dict from a JSON artifact that also reads as attributes (node.config.materialized)."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            return wrap(self[name])
        except KeyError:
            derived = NODE_PROPERTIES.get(name)
            if derived is not None and "unique_id" in self and "resource_type" in self:
                return wrap(derived(self))
            raise AttributeError(f"artifact object has no field {name!r}") from None

    def __getitem__(self, key):
        return wrap(dict.__getitem__(self, key))

    def get(self, key, default=None):
        return wrap(dict.get(self, key, default))

    def values(self):
        return [wrap(v) for v in dict.values(self)]

    def items(self):
        return [(k, wrap(v)) for k, v in dict.items(self)]

    def to_dict(self, **_):
        return json.loads(json.dumps(self))

    def __hash__(self):
        return id(self)


# dbt's node objects' Python properties that are plain functions of the fields manifest.json holds
# (dbt/contracts/graph/nodes.py).
NODE_PROPERTIES = {
    "depends_on_nodes": lambda n: (n.get("depends_on") or {}).get("nodes", []),
    "depends_on_macros": lambda n: (n.get("depends_on") or {}).get("macros", []),
    "file_id": lambda n: f"{n.get('package_name')}://{n.get('original_file_path')}",
    "is_latest_version": lambda n: n.get("version") is not None and n.get("version") == n.get("latest_version"),
    # Metric's (dbt/artifacts/resources/v1/metric.py)
    "input_measures": lambda n: (n.get("type_params") or {}).get("input_measures", []),
    "input_metrics": lambda n: (n.get("type_params") or {}).get("metrics") or [],
}


class ObjList(list):
    def __getitem__(self, i):
        v = list.__getitem__(self, i)
        return ObjList(v) if isinstance(i, slice) else wrap(v)

    def __iter__(self):
        return (wrap(v) for v in list.__iter__(self))


def wrap(v):
    if isinstance(v, dict) and not isinstance(v, Obj):
        return Obj(v)
    if isinstance(v, list) and not isinstance(v, ObjList):
        return ObjList(v)
    return v


def read_json(*paths):
    p = os.path.join(*paths)
    if not os.path.exists(p):
        return None
    with open(p) as f:
        return json.load(f)


class _ManifestMeta(type):
    def __getattr__(cls, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise HarnessNotApplicable(f"uses dbt's Python Manifest.{name}")


class Manifest(Obj, metaclass=_ManifestMeta):
    """manifest.json; what only dbt's Python Manifest has (files, lookups, methods) is n/a. It is
    dbt.contracts.graph.manifest's Manifest for a test's isinstance (a parse's result)."""

    def __getattr__(self, name):
        if name.startswith("__") or name in self:
            return Obj.__getattr__(self, name)
        raise HarnessNotApplicable(f"reads dbt's Python Manifest.{name}")


REAL["dbt.contracts.graph.manifest"] = {"Manifest": Manifest, "WritableManifest": _artifact_class("WritableManifest", "dbt.contracts.graph.manifest", "manifest", 12)}


def load_manifest(project_dir, target=None):
    m = read_json(target or os.path.join(project_dir, "target"), "manifest.json")
    if m is None:
        return None
    # dbt's CompiledResource.__post_serialize__ drops `compiled` (and `extra_ctes_injected`,
    # `extra_ctes`) from a node never compiled; its object has them at their defaults.
    for node in (m.get("nodes") or {}).values():
        if node.get("resource_type") != "seed" and "compiled" not in node:
            node["compiled"] = False
            node.setdefault("extra_ctes_injected", False)
            node.setdefault("extra_ctes", [])
    return Manifest(m)


def artifact_schema(name, version, use):
    """dbt-core's own JSON schema of an artifact, schemas/dbt/<name>/<version>.json in the checkout
    under test or, for a checkout without them (dbt-adapters), in the dbt-core checkout
    TSDBT_DBT_CORE_CHECKOUT names (`use`, what needs it, names the n/a otherwise)."""
    relative = os.path.join("schemas", "dbt", name, version + ".json")
    roots = [os.environ.get("TSDBT_PYTEST_CHECKOUT", ""), os.environ.get("TSDBT_DBT_CORE_CHECKOUT", "")]
    schema_file = next((os.path.join(r, relative) for r in roots if r and os.path.exists(os.path.join(r, relative))), None)
    if schema_file is None:
        raise HarnessNotApplicable(f"{use} without dbt-core's {relative} (set TSDBT_DBT_CORE_CHECKOUT)")
    with open(schema_file) as f:
        return json.load(f)


def validate_artifact(data, name, version, artifact):
    """`<artifact>.validate(data)`: checks a dict against dbt-core's own JSON schema of the artifact."""
    import jsonschema

    jsonschema.validate(data, artifact_schema(name, version, f"{artifact}.validate"))


class Catalog(Obj):
    """catalog.json; `validate` checks a dict against dbt-core's own JSON schema of the catalog, as
    CatalogArtifact.validate does."""

    def validate(self, data):
        validate_artifact(data, "catalog", "v1", "CatalogArtifact")


class Result(Obj):
    @property
    def skipped(self):
        return self.get("status") == "skipped"


class Results:
    """What run_dbt returns for run/build/test/seed/...: results with their manifest nodes."""

    def __init__(self, run_results, manifest, project_dir):
        self.raw = run_results or {}
        self.args = Obj(self.raw.get("args", {}))
        self.elapsed_time = self.raw.get("elapsed_time")
        self.generated_at = (self.raw.get("metadata") or {}).get("generated_at")
        nodes = {}
        if manifest:
            for key in ("nodes", "sources", "exposures", "metrics", "semantic_models", "saved_queries",
                        "unit_tests", "functions"):
                nodes.update(dict.items(manifest.get(key) or {}))
        self.results = []
        for r in self.raw.get("results", []):
            res = Result(r)
            uid = r.get("unique_id")
            node = nodes.get(uid) or {"unique_id": uid, "name": (uid or "").split(".")[-1]}
            if (uid or "").startswith("unit_test.") and "tested_node_unique_id" not in node:
                # dbt's result holds the UnitTestNode it ran, which names the model it tests;
                # manifest.json's unit test (UnitTestDefinition) has it as its first dependency.
                tested = ((node.get("depends_on") or {}).get("nodes") or [None])[0]
                node = dict(node, tested_node_unique_id=tested)
            dict.__setitem__(res, "node", node)
            self.results.append(res)

    def __len__(self):
        return len(self.results)

    def __iter__(self):
        return iter(self.results)

    def __getitem__(self, i):
        return self.results[i]

    # No __bool__: as dbt's ExecutionResult, truth is its length (`assert not results` when
    # nothing was selected).

    def to_dict(self, **_):
        return self.raw


# ---------------------------------------------------------------- the CLI
ERROR_KINDS = ("Compilation Error", "Parsing Error", "Runtime Error", "Database Error",
               "Validation Error", "Dependency Error")
ARTIFACT_COMMANDS = {"run", "build", "test", "seed", "snapshot", "compile", "retry", "clone",
                     "run-operation", "show"}


DBT_COMMANDS = {"build", "clean", "clone", "compile", "debug", "deps", "docs", "init", "list", "ls",
                "parse", "retry", "run", "run-operation", "seed", "show", "snapshot", "source", "test"}

PROJECT_DIR = [None]


def _set_project_dir(namespace):
    """dbt's flags.set_from_args(Namespace(PROJECT_DIR=...)): the project folder run_dbt passes from now on."""
    project_dir = getattr(namespace, "PROJECT_DIR", None)
    if project_dir is not None and PROJECT_DIR[0] is not None:
        PROJECT_DIR[0] = str(project_dir)

# The last test project's (project folder, profiles folder): dbt's run_dbt adds them from the flags
# its previous invocation left (get_flags()), so a test without a project fixture runs there.
LAST_DIRS = [None]


def command_takes_project(args):
    return not any(a in ("init", "--version", "-v", "--help", "-h") for a in args)


def _target_dir(project_dir, args):
    """Where the command writes its artifacts: --target-path, DBT_TARGET_PATH or dbt_project.yml's target-path."""
    path = _flag_value(args, "--target-path") or os.environ.get("DBT_TARGET_PATH")
    if not path:
        try:
            import yaml

            with open(os.path.join(project_dir, "dbt_project.yml")) as f:
                path = (yaml.safe_load(f) or {}).get("target-path")
        except (OSError, ValueError):
            path = None
    path = path or "target"
    return path if os.path.isabs(path) else os.path.join(project_dir, path)


def _flag_value(args, *names):
    for i, a in enumerate(args):
        if a in names and i + 1 < len(args):
            return args[i + 1]
        for n in names:
            if n.startswith("--") and a.startswith(n + "="):
                return a.split("=", 1)[1]
    return None


def _mtime(p):
    try:
        return os.stat(p).st_mtime_ns
    except OSError:
        return None


# The clock tsdbt runs under while a test patches dbt's MicrobatchBuilder.build_end_time
# (patch_microbatch_end_time): libfaketime (Debian's faketime package) starts the process's
# wall clock at that instant; monotonic time is left alone.
FAKETIME_LIB = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"
CLOCK = [None]


def clock_env():
    """CLOCK holds `<instant>` (the clock starts there and runs) or `=<instant>` (freezegun's
    freeze_time: libfaketime's absolute form, the clock stands still)."""
    if CLOCK[0] is None:
        return {}
    faketime = CLOCK[0][1:] if CLOCK[0].startswith("=") else "@" + CLOCK[0]
    return {"FAKETIME": faketime, "FAKETIME_DONT_FAKE_MONOTONIC": "1", "LD_PRELOAD": FAKETIME_LIB, "TZ": "UTC"}


def _log_events(log_dir):
    """The events tsdbt wrote to <log_dir>/dbt.log as dbt's JSON log lines, each read as dbt's
    EventMsg (`event.info.name`, `event.data.node_info.unique_id`)."""
    path = os.path.join(log_dir, "dbt.log")
    if not os.path.exists(path):
        return []
    events = []
    with open(path, encoding="utf8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                try:
                    event = json.loads(line)
                except json.JSONDecodeError:
                    continue
                data = event.get("data")
                # A protobuf message field reads as its default when unset (dbt's JSON log leaves it
                # out): a query outside any node has an empty node_info (node_name '').
                if isinstance(data, dict) and "node_info" not in data and (event.get("info") or {}).get("name") in EVENTS_WITH_NODE_INFO:
                    data["node_info"] = dict(EMPTY_NODE_INFO)
                events.append(Obj(event))
    return events


# dbt's events whose proto message has a node_info field (core_types.proto, adapter_types.proto).
EVENTS_WITH_NODE_INFO = {"SQLQuery", "SQLQueryStatus", "SQLCommit", "ConnectionUsed", "NewConnection",
                         "ConnectionReused", "ConnectionClosed", "ConnectionLeftOpen", "Rollback",
                         "RollbackFailed", "ColTypeChange", "SchemaCreation", "SchemaDrop", "CacheAction"}
EMPTY_NODE_INFO = {"node_path": "", "node_name": "", "unique_id": "", "resource_type": "", "materialized": "",
                   "node_status": "", "node_started_at": "", "node_finished_at": "", "meta": {},
                   "node_relation": {}}


def jsonschema_env():
    """dbt's JSON-schema checks run on the adapters in jsonschemas.py's
    _JSONSCHEMA_SUPPORTED_ADAPTERS, which tests patch to {"postgres"}: tsdbt takes the same list
    from TSDBT_JSONSCHEMA_ADAPTERS."""
    module = sys.modules.get("dbt.jsonschemas.jsonschemas")
    if module is None:
        return {}
    adapters = module.__dict__.get("_JSONSCHEMA_SUPPORTED_ADAPTERS")
    if isinstance(adapters, (set, frozenset, list, tuple)):
        return {"TSDBT_JSONSCHEMA_ADAPTERS": ",".join(sorted(adapters)) or "none"}
    return {}


def invoke(args, callbacks=None):
    """Run `tsdbt <args>` in the current directory; return (exit code, output, result).

    With `callbacks` (dbt's event callbacks), tsdbt also writes its events as dbt's JSON log lines
    at debug level to a folder of their own, and each callback is called with each event, in order,
    once the command has ended (dbt calls them as the events happen)."""
    args = [str(a) for a in args]
    events_dir = None
    if callbacks:
        if any(a in args for a in ("--log-path", "--log-format-file", "--log-level-file")):
            raise HarnessNotApplicable("event callbacks with the test's own file-log flags")
        import tempfile
        events_dir = tempfile.mkdtemp(prefix="tsdbt-events-")
        args = args + ["--log-path", events_dir, "--log-format-file", "json", "--log-level-file", "debug"]
    elif "--no-write-json" in args and not any(a in args for a in ("--log-path", "--log-format-file", "--log-level-file")):
        # No run_results.json to read: dbt's run_dbt returns the task's results all the same, so
        # they are read from the NodeFinished events of a JSON log of the command's own.
        import tempfile
        events_dir = tempfile.mkdtemp(prefix="tsdbt-events-")
        args = args + ["--log-path", events_dir, "--log-format-file", "json", "--log-level-file", "debug"]
    # dbt's run_dbt adds the project's directory (kept in its flags) unless the test gives one.
    if "--project-dir" not in args and PROJECT_DIR[0] and command_takes_project(args):
        args += ["--project-dir", PROJECT_DIR[0]]
    if "--profiles-dir" not in args and os.environ.get("DBT_PROFILES_DIR"):
        args += ["--profiles-dir", os.environ["DBT_PROFILES_DIR"]]
    project_dir = os.getcwd()
    if "--project-dir" in args:
        project_dir = args[args.index("--project-dir") + 1]
    target = _target_dir(project_dir, args)
    watched = {n: _mtime(os.path.join(target, n)) for n in
               ("run_results.json", "manifest.json", "catalog.json", "sources.json")}
    out = _flag_value(args, "-o", "--output")
    watched_out = _mtime(out if out and os.path.isabs(out) else os.path.join(project_dir, out or "-"))
    cmd = ["node", os.path.join(TSDBT_ROOT, "bin", "tsdbt.js")] + args
    env = dict(os.environ, NO_COLOR="1", **clock_env(), **jsonschema_env())
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    output = p.stdout + p.stderr
    _adapter = sys.modules.get("dbt._adapter")
    if _adapter and _adapter.Adapter.CATALOG_INTEGRATIONS and "Catalog type is not supported" in output:
        raise HarnessNotApplicable("patches Python catalog integration classes into dbt's adapter")
    fresh = {n: _mtime(os.path.join(target, n)) != t for n, t in watched.items()}
    # The first dbt command among the arguments: a global flag's value before it
    # (`--warn-error-options "{'error': 'all'}" test`) is no command.
    at = next((i for i, a in enumerate(args) if a in DBT_COMMANDS), None)
    sub = [a for a in args[at:] if not a.startswith("-")] if at is not None else []
    command = sub[0] if sub else ""
    if command == "source":
        command = "source " + (sub[1] if len(sub) > 1 else "")
        if command == "source snapshot-freshness":  # dbt's deprecated alias
            command = "source freshness"
    elif command == "docs":
        command = "docs " + (sub[1] if len(sub) > 1 else "")
    # dbt's parse writes manifest.json every time; tsdbt's leaves it when nothing changed since
    # the last parse ("target/manifest.json is current"), so a successful parse reads it too.
    parsed = command == "parse" and p.returncode == 0
    manifest = load_manifest(project_dir, target) if fresh["manifest.json"] or command != "parse" or parsed else None
    result = None
    if command == "parse":
        result = manifest
    elif command in ("ls", "list"):
        result = [line for line in p.stdout.splitlines() if line.strip() and not _is_log_line(line)]
    elif command == "docs generate":
        cat = read_json(target, "catalog.json") if fresh["catalog.json"] else None
        result = Catalog(cat) if cat else None
    elif command == "source freshness":
        out = _flag_value(args, "-o", "--output")
        if out:
            path = out if os.path.isabs(out) else os.path.join(project_dir, out)
            src = read_json(path) if _mtime(path) != watched_out else None
        else:
            src = read_json(target, "sources.json") if fresh["sources.json"] else None
        # Nothing selected: dbt returns no results and tsdbt writes no file.
        result = Results(src, manifest, project_dir) if src or p.returncode == 0 else None
    elif command in ARTIFACT_COMMANDS:
        rr = read_json(target, "run_results.json") if fresh["run_results.json"] else None
        # dbt's RetryTask returns the previous results, writing nothing, when a run-operation
        # it would retry had succeeded; tsdbt leaves that run_results.json as it was.
        if rr is None and command == "retry" and p.returncode == 0 and watched["run_results.json"] is not None:
            rr = read_json(target, "run_results.json")
            if (rr or {}).get("args", {}).get("which") != "run-operation":
                rr = None
        if rr is None and events_dir and not callbacks:
            rr = _results_from_events(_log_events(events_dir))
        result = Results(rr, manifest, project_dir) if rr is not None else None
        if command == "show" and result is not None:
            _attach_show_tables(result, p.stdout)
        if command == "run-operation" and result is None:
            result = p.returncode == 0
    elif command == "deps":
        result = None  # dbt's DepsTask.run returns nothing
    elif command in ("debug", "clean", "init"):
        result = p.returncode == 0
    if events_dir:
        for event in _log_events(events_dir) if callbacks else []:
            for callback in callbacks:
                try:
                    callback(event)
                except Exception as exc:
                    # dbt calls callbacks in process: one that raises fails the node it ran for.
                    raise HarnessNotApplicable("an event callback that raises (dbt fails the node in process)") from exc
        shutil.rmtree(events_dir, ignore_errors=True)
    return p.returncode, output, result


def _results_from_events(events):
    """run_results.json's `results` as the NodeFinished events carry them (their `run_result`)."""
    results = []
    for event in events:
        if dict.get(event.get("info") or {}, "name") != "NodeFinished":
            continue
        data = dict.get(event, "data") or {}
        run_result = dict(data.get("run_result") or {})
        run_result["unique_id"] = (data.get("node_info") or {}).get("unique_id")
        run_result.setdefault("failures", run_result.pop("num_failures", None))
        results.append(run_result)
    return {"results": results}


class ShowRow(tuple):
    """An agate Row of a show table: a tuple, whose values() and keys() agate's MappedSequence has,
    and a cell also by its column's name."""

    def __new__(cls, values, names):
        row = tuple.__new__(cls, values)
        row.names = tuple(names)
        return row

    def __getitem__(self, key):
        return tuple.__getitem__(self, self.names.index(key) if isinstance(key, str) else key)

    def values(self):
        return tuple(self)

    def keys(self):
        return self.names

    def items(self):
        return tuple(zip(self.names, self))

    def get(self, key, default=None):
        return self[key] if key in self.names else default


_PRINTED_NUMBER = re.compile(r"^-?\d{1,3}(,\d{3})*(\.\d+)?$|^-?\d+(\.\d+)?$")


def _typed_columns(rows):
    """The printed cells read as dbt's agate table has them: its type tester makes a column whose
    every value is a number agate.Number (print_table writes it grouped, `1,234.5`), read as a
    Decimal, and a column of True/False agate.Boolean; a blank cell is then None. Others stay text."""
    columns = list(zip(*rows)) if rows else []
    typed = []
    for cells in columns:
        filled = [c for c in cells if c != ""]
        if filled and all(_PRINTED_NUMBER.match(c) for c in filled):
            typed.append([decimal.Decimal(c.replace(",", "")) if c != "" else None for c in cells])
        elif filled and all(c in ("True", "False") for c in filled):
            typed.append([(c == "True") if c != "" else None for c in cells])
        else:
            typed.append(list(cells))
    return [tuple(r) for r in zip(*typed)] if typed else rows


class ShowTable:
    """A show result's agate_table (dbt keeps it on the RunResult, not in run_results.json), read
    back from what tsdbt printed: the text table's cells typed as agate infers them, or `--output
    json`'s rows; each row an agate Row."""

    def __init__(self, column_names, rows):
        self.column_names = tuple(column_names)
        self.rows = [ShowRow(r, self.column_names) for r in rows]

    def __len__(self):
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)


def _show_tables(stdout):
    """Each preview's table in the order printed: `| a | b |` lines (header, `| --- |`, rows), or
    the `{"show": [...]}` objects of --output json."""
    tables, lines = [], None
    for line in stdout.splitlines() + [""]:
        if line.startswith("|") and line.rstrip().endswith("|"):
            cells = [c.strip() for c in line.strip()[1:-1].split("|")]
            lines = [cells] if lines is None else lines + [cells]
        elif lines is not None:
            body = [r for r in lines[1:] if not all(set(c) <= set("-:") and c for c in r)]
            tables.append(ShowTable(lines[0], _typed_columns([tuple(r) for r in body])))
            lines = None
    if tables:
        return tables
    decoder, text, at = json.JSONDecoder(), stdout, 0
    while True:
        at = text.find("{", at)
        if at < 0:
            return tables
        try:
            obj, end = decoder.raw_decode(text, at)
        except json.JSONDecodeError:
            at += 1
            continue
        if isinstance(obj, dict) and isinstance(obj.get("show"), list):
            rows = obj["show"]
            names = list(rows[0].keys()) if rows and isinstance(rows[0], dict) else []
            tables.append(ShowTable(names, [tuple(r.values()) if isinstance(r, dict) else r for r in rows]))
        at = end


def _attach_show_tables(result, stdout):
    """dbt's show results: each with its agate_table, and its node's compiled_code the query that
    ran (get_show_sql's, with the limit), which run_results.json records."""
    for res, table in zip(result.results, _show_tables(stdout)):
        dict.__setitem__(res, "agate_table", table)
    for res in result.results:
        code = dict.get(res, "compiled_code")
        if code is not None:
            dict.__setitem__(res, "node", dict(dict.__getitem__(res, "node"), compiled_code=code))


_LOG_LINE = re.compile(r"^\s*(\x1b\[[0-9;]*m)?\d\d:\d\d:\d\d")


def _is_log_line(line):
    return bool(_LOG_LINE.match(line))


def error_from_output(output):
    lines = [line for line in output.splitlines() if line.strip()]
    error = TsdbtError
    if STUB_EXCEPTIONS:
        error = _LenientExcMeta("TsdbtError", (TsdbtError, *STUB_EXCEPTIONS), {"__module__": __name__, "__test__": False})
    for i, line in enumerate(lines):
        # tsdbt's "Encountered an error:" / "Encountered 3 errors:" heads the error's whole text.
        if re.match(r"^(\d\d:\d\d:\d\d(\.\d+)?\s+)?Encountered (an error|\d+ errors):", line):
            return error("\n".join(_strip_time(x) for x in lines[i + 1:]), output)
        if any(k in line for k in ERROR_KINDS) or "Error" in line:
            return error("\n".join(_strip_time(x) for x in lines[i:]), output)
    return error("\n".join(_strip_time(x) for x in lines[-20:]) or "tsdbt exited with 2", output)


def _strip_time(line):
    return re.sub(r"^\d\d:\d\d:\d\d(\.\d+)?\s+", "", line)


# ---------------------------------------------------------------- SQL
_sql_proc = None
_sql_database = None
# The database run_sql connects to: the test profile's (dbt's `project.database`) when it names
# another than POSTGRES_TEST_DATABASE (dbt-postgres's `dbtMixedCase`); None for the environment's.
SQL_DATABASE = [None]


def _sql():
    global _sql_proc, _sql_database
    if _sql_proc is not None and _sql_proc.poll() is None and _sql_database != SQL_DATABASE[0]:
        _sql_proc.terminate()
        _sql_proc.wait()
    if _sql_proc is None or _sql_proc.poll() is not None:
        env = dict(os.environ, TSDBT_ROOT=TSDBT_ROOT)
        if SQL_DATABASE[0]:
            env["POSTGRES_TEST_DATABASE"] = SQL_DATABASE[0]
        _sql_proc = subprocess.Popen(
            ["node", os.path.join(HERE, "sql-server.mjs")], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True, env=env)
        _sql_database = SQL_DATABASE[0]
    return _sql_proc


INT_OIDS = {20, 21, 23, 26}
FLOAT_OIDS = {700, 701}


def _convert(v, oid):
    if v is None:
        return None
    if oid in INT_OIDS:
        return int(v)
    if oid in FLOAT_OIDS:
        return float(v)
    if oid == 1700:
        return decimal.Decimal(v)
    if oid == 16:
        return v == "t"
    if oid == 1082:
        return datetime.date.fromisoformat(v)
    if oid == 1114:
        return datetime.datetime.fromisoformat(v)
    if oid == 1184:
        try:
            return datetime.datetime.fromisoformat(v)
        except ValueError:
            return datetime.datetime.fromisoformat(v + ":00")
    if oid in (114, 3802):
        return json.loads(v)
    return v


class SqlResult:
    def __init__(self, rows, columns, row_count, command):
        self.rows, self.columns, self.rows_affected, self.code = rows, columns, row_count, command


# The database of the test's profile target (its `adapter` connects there, as dbt's does); None:
# POSTGRES_TEST_DATABASE.
SQL_DATABASE = [None]


def execute_sql(sql):
    proc = _sql()
    proc.stdin.write(json.dumps({"sql": sql, "database": SQL_DATABASE[0]}) + "\n")
    proc.stdin.flush()
    answer = json.loads(proc.stdout.readline())
    if "error" in answer:
        raise TsdbtError("Database Error\n  " + answer["error"])
    oids = [c[1] for c in answer["columns"]]
    rows = [tuple(_convert(v, oid) for v, oid in zip(r, oids)) for r in answer["rows"]]
    return SqlResult(rows, [c[0] for c in answer["columns"]], answer["rowCount"], answer["command"])


def run_sql(sql, fetch=None):
    if sql.strip() == "":
        return None
    res = execute_sql(sql)
    if fetch == "one":
        return res.rows[0] if res.rows else None
    if fetch == "all":
        return res.rows
    return None


class StatusEnum(str, enum.Enum):
    def __str__(self):
        return self.value

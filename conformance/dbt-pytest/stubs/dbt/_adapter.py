"""The little of dbt's PostgreSQL adapter that dbt.tests.util and tests call, over plain SQL."""
import contextlib

from dbt._harness import HarnessNotApplicable, execute_sql, run_sql


def _q(s):
    return '"' + str(s).replace('"', '""') + '"'


class Policy(dict):
    def to_dict(self, **_):
        return dict(self)


class Relation:
    def __init__(self, database=None, schema=None, identifier=None, type=None, **_):
        self.database, self.schema, self.identifier, self.type = database, schema, identifier, type

    @classmethod
    def create(cls, database=None, schema=None, identifier=None, type=None, **kw):
        return cls(database, schema, identifier, type)

    @staticmethod
    def get_default_quote_policy():
        return Policy(database=True, schema=True, identifier=True)

    @staticmethod
    def get_default_include_policy():
        return Policy(database=True, schema=True, identifier=True)

    @property
    def name(self):
        return self.identifier

    def without_identifier(self):
        return Relation(self.database, self.schema, None)

    def render(self):
        return ".".join(_q(p) for p in (self.database, self.schema, self.identifier) if p is not None)

    def __str__(self):
        return self.render()

    def __repr__(self):
        return f"<Relation {self.render()}>"

    def __eq__(self, other):
        return isinstance(other, Relation) and str(self) == str(other)

    def __hash__(self):
        return hash(str(self))


class Column:
    def __init__(self, name, dtype, char_size=None, numeric_precision=None, numeric_scale=None):
        self.name, self.column, self.dtype, self.char_size = name, name, dtype, char_size
        self.numeric_precision, self.numeric_scale = numeric_precision, numeric_scale

    @property
    def data_type(self):
        if self.dtype == "character varying":
            return f"character varying({self.char_size})" if self.char_size else "character varying"
        if self.dtype == "numeric" and self.numeric_precision is not None:
            return f"numeric({self.numeric_precision},{self.numeric_scale})"
        return self.dtype

    def __repr__(self):
        return f"<Column {self.name} ({self.data_type})>"


class Credentials:
    def __init__(self, database, schema):
        self.database, self.schema = database, schema

    def __getattr__(self, name):
        # Other fields (password, user, ...) are what dbt's in-process adapter read from the profile.
        if name.startswith("__"):
            raise AttributeError(name)
        raise HarnessNotApplicable(f"reads dbt's in-process adapter credentials ({name})")


class Config:
    def __init__(self, database, schema):
        self.credentials = Credentials(database, schema)
        # The project fixture's profile: profile `test`, its one target `default`.
        self.profile_name, self.target_name = "test", "default"


class Row(tuple):
    """An agate row: by position or by column name."""

    def __new__(cls, values, names):
        row = tuple.__new__(cls, values)
        row.names = names
        return row

    def __getitem__(self, key):
        return tuple.__getitem__(self, self.names.index(key) if isinstance(key, str) else key)

    def get(self, key, default=None):
        return self[key] if key in self.names else default

    def keys(self):
        return list(self.names)


class Table(list):
    @property
    def rows(self):
        return self


class _AdapterMeta(type):
    """A method dbt's Python adapter class has and this one lacks (a test patching
    `pre_model_hook` into it with mock.patch.object) is n/a: tsdbt's adapter is not Python."""

    def __getattr__(cls, name):
        if name.startswith("_"):
            raise AttributeError(name)
        raise HarnessNotApplicable(f"patches or reads dbt's Python adapter method {name}")


class Adapter(metaclass=_AdapterMeta):
    Relation = Relation
    Column = Column
    # dbt-postgres's: no catalog integration types. A test patches in its own Python class, which
    # tsdbt cannot load: see _harness.invoke.
    CATALOG_INTEGRATIONS = []

    def get_catalog_integration(self, name):
        raise HarnessNotApplicable("reads dbt's Python CatalogIntegration objects from the adapter")

    def __init__(self, database, schema):
        self.config = Config(database, schema)

    def type(self):
        return "postgres"

    def quote(self, s):
        return _q(s)

    @contextlib.contextmanager
    def connection_named(self, name):
        yield None

    def commit_if_has_connection(self):
        pass

    def execute(self, sql, auto_begin=False, fetch=False, limit=None):
        res = execute_sql(sql)
        return res.code, Table([Row(r, res.columns) for r in res.rows] if fetch else [])

    def execute_macro(self, macro_name, kwargs=None, **_):
        """dbt-postgres's get_show_grant_sql, the one macro dbt-tests-adapter's grants tests call
        (postgres__get_show_grant_sql, verbatim); any other is dbt's Python macro runner."""
        if macro_name != "get_show_grant_sql":
            raise HarnessNotApplicable(f"uses dbt's Python adapter.execute_macro({macro_name!r})")
        relation = (kwargs or {})["relation"]
        database = f"{_q(relation.database)}." if relation.database else ""
        return ("select grantee, privilege_type\n"
                f"  from {database}information_schema.role_table_grants\n"
                "      where grantor = current_role\n"
                "        and grantee != current_role\n"
                f"        and table_schema = '{relation.schema}'\n"
                f"        and table_name = '{relation.identifier}'")

    def standardize_grants_dict(self, grants_table):
        """dbt-adapters' BaseAdapter.standardize_grants_dict: {privilege: [grantee, ...]}."""
        grants = {}
        for row in grants_table:
            grants.setdefault(row["privilege_type"], []).append(row["grantee"])
        return grants

    def run_sql_for_tests(self, sql, fetch, conn=None):
        return run_sql(sql, fetch)

    def create_schema(self, relation):
        run_sql(f"create schema if not exists {_q(relation.schema)}")

    def check_schema_exists(self, database, schema):
        rows = run_sql(
            "select count(*) from information_schema.schemata where schema_name = '%s'"
            % str(schema).replace("'", "''"), "all")
        return rows[0][0] > 0

    def list_schemas(self, database):
        return [r[0] for r in run_sql("select nspname from pg_namespace", "all")]

    def __getattr__(self, name):
        # What this stub lacks of dbt's adapter (its relation cache, connection manager, ...) lives
        # in dbt's process, not in tsdbt's.
        if name.startswith("__"):
            raise AttributeError(name)
        raise HarnessNotApplicable(f"uses dbt's Python adapter.{name}")

    def drop_schema(self, relation):
        run_sql(f"drop schema if exists {_q(relation.schema)} cascade")

    def get_columns_in_relation(self, relation):
        rows = run_sql(
            "select column_name, data_type, character_maximum_length, numeric_precision, numeric_scale"
            " from information_schema.columns where table_schema = '%s' and table_name = '%s'"
            " order by ordinal_position" % (relation.schema, relation.identifier), "all")
        return [Column(*r) for r in rows]

    def list_relations_without_caching(self, schema_relation):
        # dbt-postgres's postgres__list_relations_without_caching: tables, views, materialized views
        # and (since its UDF support) the schema's functions, each name once.
        rows = run_sql(
            "select tablename, 'table' from pg_tables where schemaname = '%s'"
            " union all select viewname, 'view' from pg_views where schemaname = '%s'"
            " union all select matviewname, 'materialized_view' from pg_matviews where schemaname = '%s'"
            " union all select distinct proname, 'function' from pg_proc"
            " join pg_namespace ns on pronamespace = ns.oid where ns.nspname = '%s'"
            % ((schema_relation.schema,) * 4), "all")
        return [Relation(schema_relation.database, schema_relation.schema, n, t) for n, t in rows]

    def list_relations(self, database, schema):
        """dbt's BaseAdapter.list_relations: a fresh adapter's cache holds nothing, so it lists the
        schema's relations from the warehouse (list_relations_without_caching)."""
        return self.list_relations_without_caching(Relation(database, schema))

    def get_rows_different_sql(self, a, b, column_names=None, except_operator="EXCEPT"):
        cols = ", ".join(_q(c) for c in column_names) if column_names else "*"
        return f"""
with diff_count as (
    select 1 as id, count(*) as num_missing from (
        (select {cols} from {a} {except_operator} select {cols} from {b})
        union all
        (select {cols} from {b} {except_operator} select {cols} from {a})
    ) as a
), table_a as (select count(*) as num_rows from {a}),
table_b as (select count(*) as num_rows from {b}),
row_count_diff as (
    select 1 as id, table_a.num_rows - table_b.num_rows as difference from table_a, table_b
)
select row_count_diff.difference as row_count_difference, diff_count.num_missing as num_mismatched
from row_count_diff join diff_count using (id)"""

    def update_column_sql(self, dst_name, dst_column, clause, where_clause=None):
        sql = f"update {dst_name} set {dst_column} = {clause}"
        return sql + (f" where {where_clause}" if where_clause else "")

    def timestamp_add_sql(self, add_to, number=1, interval="hour"):
        return f"{add_to} + interval '{number} {interval}'"

    def string_add_sql(self, add_to, value, location="append"):
        if location == "append":
            return f"{add_to} || '{value}'"
        return f"'{value}' || {add_to}"

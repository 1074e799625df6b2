"""The little of dbt-clickhouse's adapter that dbt.tests.util and dbt-clickhouse's tests call, over
plain SQL run by ch-sql-server.mjs (chDB at the tests' data folder). Relations render as
dbt-clickhouse's do (`schema`.`identifier`, no database part, backticks)."""
import types

from dbt import _adapter as pg
from dbt._harness import HarnessNotApplicable
from ch_sql import execute_sql, run_sql


def quote_identifier(identifier):
    """dbt.adapters.clickhouse.query.quote_identifier."""
    identifier = str(identifier)
    if identifier[:1] in ("`", '"') and identifier[-1] == identifier[0]:
        return identifier
    return "`" + identifier.replace("\\", "\\\\").replace("`", "\\`") + "`"


def _s(value):
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


class Relation(pg.Relation):
    """ClickHouseRelation: the database part is never rendered (ClickHouse's database is dbt's schema)."""

    @classmethod
    def create(cls, database=None, schema=None, identifier=None, type=None, **kw):
        return cls("", schema, identifier, type)

    @staticmethod
    def get_default_include_policy():
        return pg.Policy(database=False, schema=True, identifier=True)

    def without_identifier(self):
        return Relation("", self.schema, None)

    @property
    def path(self):
        """dbt's Path: the parts by name (`relation.path.schema`)."""
        return types.SimpleNamespace(database=self.database, schema=self.schema, identifier=self.identifier)

    def render(self):
        return ".".join(quote_identifier(p) for p in (self.schema, self.identifier) if p)

    def __eq__(self, other):
        return isinstance(other, pg.Relation) and str(self) == str(other)

    def __hash__(self):
        return hash(str(self))


class Column(pg.Column):
    """ClickHouseColumn: data_type is ClickHouse's type as system.columns gives it."""

    @property
    def data_type(self):
        return self.dtype


COLUMNS_EQUAL_SQL = """
SELECT row_count_diff.difference as row_count_difference, diff_count.num_missing as num_mismatched
FROM (SELECT 1 as id, (SELECT COUNT(*) as num_rows FROM {a}) - (SELECT COUNT(*) as num_rows FROM {b}) as difference) as row_count_diff
INNER JOIN (
    SELECT 1 as id, COUNT(*) as num_missing FROM (
        SELECT {cols_a} FROM {a} as ta LEFT OUTER JOIN {b} as tb ON {join} WHERE tb.{first} IS NULL
        UNION ALL
        SELECT {cols_b} FROM {b} as tb LEFT OUTER JOIN {a} as ta ON {join} WHERE ta.{first} IS NULL
    ) as missing
) as diff_count ON row_count_diff.id = diff_count.id"""


class Adapter(pg.Adapter):
    Relation = Relation
    Column = Column

    def __init__(self, database, schema):
        super().__init__("", schema)

    def type(self):
        return "clickhouse"

    def quote(self, s):
        return quote_identifier(s)

    def execute(self, sql, auto_begin=False, fetch=False, limit=None):
        res = execute_sql(sql, fetch=bool(fetch))
        return "OK", pg.Table([pg.Row(r, res.columns) for r in res.rows] if fetch else [])

    def run_sql_for_tests(self, sql, fetch, conn=None):
        return run_sql(sql, fetch)

    def create_schema(self, relation):
        run_sql(f"create database if not exists {quote_identifier(relation.schema)}")

    def drop_schema(self, relation):
        run_sql(f"drop database if exists {quote_identifier(relation.schema)}")

    def check_schema_exists(self, database, schema):
        return run_sql(f"select count() from system.databases where name = {_s(schema)}", "one")[0] > 0

    def list_schemas(self, database):
        return [r[0] for r in run_sql("select name from system.databases", "all")]

    def get_columns_in_relation(self, relation):
        rows = run_sql(
            f"select name, type from system.columns where database = {_s(relation.schema)}"
            f" and table = {_s(relation.identifier)} order by position", "all")
        return [Column(name, dtype) for name, dtype in rows]

    def list_relations_without_caching(self, schema_relation):
        rows = run_sql(
            "select name, multiIf(engine = 'MaterializedView', 'materialized_view', engine = 'View', 'view',"
            " engine = 'Dictionary', 'dictionary', 'table') from system.tables"
            f" where database = {_s(schema_relation.schema)}", "all")
        return [Relation("", schema_relation.schema, n, t) for n, t in rows]

    def list_relations(self, database, schema):
        return self.list_relations_without_caching(Relation("", schema, None))

    def get_relation(self, database, schema, identifier):
        found = [r for r in self.list_relations("", schema) if r.identifier == identifier]
        return found[0] if found else None

    def get_rows_different_sql(self, a, b, column_names=None, except_operator=None):
        if column_names is None:
            column_names = [c.name for c in self.get_columns_in_relation(a)]
        names = sorted(quote_identifier(n) for n in column_names)
        return COLUMNS_EQUAL_SQL.format(
            a=a, b=b, first=names[0], cols_a=", ".join(f"ta.{n}" for n in names),
            cols_b=", ".join(f"tb.{n}" for n in names), join=" AND ".join(f"ta.{n} = tb.{n}" for n in names))

    def update_column_sql(self, dst_name, dst_column, clause, where_clause=None):
        sql = f"alter table {dst_name} update {dst_column} = {clause}"
        return sql + (f" where {where_clause}" if where_clause is not None else "")

    def get_catalog_for_single_relation(self, relation):
        raise HarnessNotApplicable("reads dbt's Python CatalogTable objects from the adapter")

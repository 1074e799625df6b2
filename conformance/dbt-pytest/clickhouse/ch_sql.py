"""SQL for the ClickHouse harness: ch-sql-server.mjs over chDB at the data folder the tests'
profile gives tsdbt. chDB locks its folder per process, so `stop()` ends the helper before each
tsdbt command (ch_plugin wraps the harness's invoke) and the next statement starts it again.
Values come back as clickhouse_connect's result_set gives them (int, float, Decimal, date,
datetime, list, tuple, dict, UUID), by the column's ClickHouse type."""
import datetime
import decimal
import json
import os
import re
import subprocess
import uuid
import zoneinfo

from dbt._harness import TSDBT_ROOT, TsdbtError

HERE = os.path.dirname(os.path.abspath(__file__))
CHDB_PATH = [None]  # the data folder: set by ch_plugin for the session
DATABASE = [None]  # the test's schema: unqualified names resolve there (dbt-clickhouse's connection database)
_proc = [None]


def _server():
    if _proc[0] is None or _proc[0].poll() is not None:
        _proc[0] = subprocess.Popen(
            ["node", os.path.join(HERE, "ch-sql-server.mjs")], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True, env=dict(os.environ, TSDBT_ROOT=TSDBT_ROOT, TSDBT_CHDB_PATH=CHDB_PATH[0]))
    return _proc[0]


def stop():
    proc = _proc[0]
    _proc[0] = None
    if proc is not None and proc.poll() is None:
        proc.stdin.close()
        proc.wait()


def _args(t):
    """The type arguments of `Name(a, b(c), d)` at the top level."""
    inner = t[t.index("(") + 1:-1]
    parts, depth, cur = [], 0, ""
    for ch in inner:
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
            continue
        depth += ch == "("
        depth -= ch == ")"
        cur += ch
    return parts + ([cur.strip()] if cur.strip() else [])


def convert(v, t):
    if v is None:
        return None
    m = re.match(r"^(Nullable|LowCardinality|SimpleAggregateFunction)\((.*)\)$", t)
    if m:
        return convert(v, _args(t)[-1] if m.group(1) == "SimpleAggregateFunction" else m.group(2))
    if re.match(r"^U?Int\d+$", t):
        return int(v)
    if t.startswith(("Float", "BFloat")):
        return float(v)
    if t.startswith("Decimal"):
        return decimal.Decimal(str(v))
    if t == "Bool":
        return bool(v)
    if t in ("Date", "Date32"):
        return datetime.date.fromisoformat(v)
    if t.startswith("DateTime"):
        # clickhouse_connect gives a column with a time zone (`DateTime('Europe/Paris')`,
        # `DateTime64(3, 'UTC')`) aware datetimes in that zone; without one, naive ones.
        zone = re.search(r"'([^']+)'", t)
        value = datetime.datetime.fromisoformat(v)
        return value.replace(tzinfo=zoneinfo.ZoneInfo(zone.group(1))) if zone else value
    if t == "UUID":
        return uuid.UUID(v)
    if t.startswith("Array("):
        return [convert(x, _args(t)[0]) for x in v]
    if t.startswith("Tuple("):
        types = [a.split(" ")[-1] if re.match(r"^\w+ \w", a) else a for a in _args(t)]
        values = v if isinstance(v, list) else list(v.values())
        return tuple(convert(x, ty) for x, ty in zip(values, types))
    if t.startswith("Map("):
        kt, vt = _args(t)
        return {convert(k, kt): convert(x, vt) for k, x in v.items()}
    return v


class SqlResult:
    def __init__(self, rows, columns):
        self.rows, self.columns, self.rows_affected, self.code = rows, columns, len(rows), "OK"


def execute_sql(sql, fetch=False):
    proc = _server()
    proc.stdin.write(json.dumps({"sql": sql, "fetch": fetch, "database": DATABASE[0]}) + "\n")
    proc.stdin.flush()
    line = proc.stdout.readline()
    if not line:
        stop()
        raise TsdbtError("Database Error\n  the chDB helper (ch-sql-server.mjs) ended without an answer")
    answer = json.loads(line)
    if "error" in answer:
        raise TsdbtError("Database Error\n  " + answer["error"])
    rows = [tuple(convert(v, t) for v, t in zip(r, answer["types"])) for r in answer["rows"]]
    return SqlResult(rows, answer["names"])


def run_sql(sql, fetch=None):
    """dbt-clickhouse's run_sql_for_tests: rows for "all", the first row (or None) for "one"."""
    if sql.strip() == "":
        return None
    res = execute_sql(sql, fetch=bool(fetch))
    if fetch == "one":
        return res.rows[0] if res.rows else None
    if fetch == "all":
        return res.rows
    return None

// Reads what a (possibly killed) build left in the warehouse and says, for every relation of the
// fault project, whether it holds its v1 or its v2 content (or neither), plus anything that should
// not be there: leftover staging relations, a relation of the wrong kind, a snapshot with two open
// versions of one key. Works on any PostgreSQL connection through a `query` function.
import { IGNORED_COLUMNS, ORACLE, RELATIONS, VIEW_SQL, type RelationName, type Row, type TableName } from './fault-project.js';

export type Query = (sql: string) => Promise<Record<string, unknown>[]>;
export type Version = 'v1' | 'v2';

export interface Observation {
  /** v1 / v2 per relation; absent when it is neither (see `problems`). */
  versions: Partial<Record<RelationName, Version>>;
  /** Relations in the schema that are not the project's (e.g. `orders__dbt_tmp`). */
  leftovers: string[];
  /** Everything wrong, one line each; empty when every relation is exactly v1 or v2. */
  problems: string[];
}

const KIND_CODE = { table: 'r', view: 'v' } as const;

const canonical = (rows: Row[]): string[] => rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b))))).sort();

function sameRows(actual: Row[], expected: Row[]): boolean {
  const a = canonical(actual);
  const e = canonical(expected);
  return a.length === e.length && a.every((row, i) => row === e[i]);
}

async function readRows(query: Query, from: string, drop: string[] = []): Promise<Row[]> {
  const rows = await query(`select row_to_json(r) as j from (${from}) r`);
  return rows.map((row) => {
    const value = (typeof row.j === 'string' ? JSON.parse(row.j) : row.j) as Row;
    for (const column of drop) delete value[column];
    return value;
  });
}

export async function observe(query: Query, schema: string): Promise<Observation> {
  const q = (name: string) => `"${schema}"."${name}"`;
  const present = new Map(
    (await query(`select c.relname as name, c.relkind::text as kind from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace where n.nspname = '${schema}' and c.relkind in ('r', 'v', 'm', 'p', 'f')`)).map((r) => [String(r.name), String(r.kind)]),
  );
  const observation: Observation = { versions: {}, leftovers: [...present.keys()].filter((n) => !(n in RELATIONS)).sort(), problems: [] };
  for (const name of observation.leftovers) observation.problems.push(`leftover relation ${schema}.${name} (${present.get(name)})`);
  for (const [name, kind] of Object.entries(RELATIONS) as [RelationName, 'table' | 'view'][]) {
    const found = present.get(name);
    if (found === undefined) {
      observation.problems.push(`${name} is missing`);
      continue;
    }
    if (found !== KIND_CODE[kind]) {
      observation.problems.push(`${name} is relkind '${found}', expected a ${kind}`);
      continue;
    }
    const actual = await readRows(query, `select * from ${q(name)}`, IGNORED_COLUMNS[name as TableName]);
    const expected: Partial<Record<Version, Row[]>> = {};
    for (const version of ['v1', 'v2'] as const) {
      if (kind === 'table') {
        expected[version] = ORACLE[version][name as TableName];
        continue;
      }
      // A view's rows follow its inputs: the oracle is that version's SELECT over the relations as they are now.
      const select = VIEW_SQL[name as keyof typeof VIEW_SQL][version](q(name === 'stg_orders' ? 'orders' : 'customer_report'));
      try {
        expected[version] = await readRows(query, select);
      } catch {
        // That version's SELECT does not fit the inputs as they are (a column it reads is not there yet).
      }
    }
    const matches = (['v1', 'v2'] as const).filter((v) => expected[v] && sameRows(actual, expected[v]));
    if (matches.length === 1) observation.versions[name] = matches[0];
    else observation.problems.push(`${name} is ${matches.length ? 'both v1 and v2 (fixture bug)' : 'neither v1 nor v2'}: ${canonical(actual).join(' ')}`);
  }
  if (present.get('customers_snap') === 'r') observation.problems.push(...(await snapshotProblems(query, q('customers_snap'))));
  return observation;
}

/** SCD type 2 invariants: one open version per key, distinct scd ids, valid_to after valid_from. */
async function snapshotProblems(query: Query, snap: string): Promise<string[]> {
  const problems: string[] = [];
  const open = await query(`select id, count(*)::int as n from ${snap} where dbt_valid_to is null group by id having count(*) > 1`);
  for (const row of open) problems.push(`customers_snap has ${String(row.n)} open versions of id ${String(row.id)}`);
  const ids = await query(`select dbt_scd_id, count(*)::int as n from ${snap} group by dbt_scd_id having count(*) > 1`);
  for (const row of ids) problems.push(`customers_snap repeats dbt_scd_id ${String(row.dbt_scd_id)} (${String(row.n)} times)`);
  const order = await query(`select id from ${snap} where dbt_valid_to is not null and dbt_valid_to <= dbt_valid_from`);
  for (const row of order) problems.push(`customers_snap closes a version of id ${String(row.id)} before it opens`);
  return problems;
}

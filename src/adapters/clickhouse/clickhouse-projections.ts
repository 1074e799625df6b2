// dbt-clickhouse's `projections` and `indexes` model configs (its add_index_and_projections):
// `projections=[{'name': 'p', 'query': 'SELECT dept, avg(age) GROUP BY dept'}]` and
// `indexes=[{'name': 'idx', 'definition': 'name TYPE bloom_filter GRANULARITY 1'}]`, added to a new
// table in one ALTER TABLE. dbt-clickhouse adds them to the empty table before its INSERT; tsdbt
// creates the table with its rows (CREATE TABLE ... AS), so a second ALTER materializes them over
// those rows and waits for it (mutations_sync = 2), leaving the same table behind.
// An `indexes` entry without `definition` (dbt-postgres's shape, `columns: [...]`, in a
// dbt_project.yml shared by both adapters) is not ClickHouse's and is left out.

interface Named {
  name: string;
  body: string;
}

function entries(value: unknown, bodyKey: 'query' | 'definition'): Named[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((raw) => {
    const entry = (raw ?? {}) as Record<string, unknown>;
    return typeof entry.name === 'string' && typeof entry[bodyKey] === 'string' ? [{ name: entry.name, body: entry[bodyKey] }] : [];
  });
}

/** Whether the model's config gives its table projections. */
export function hasProjections(config: Record<string, unknown> | undefined): boolean {
  return entries(config?.projections, 'query').length > 0;
}

/** The ALTER TABLE statements adding (then materializing) the config's projections and indexes; none without them. */
export function projectionStatements(table: string, config: Record<string, unknown>): string[] {
  const projections = entries(config.projections, 'query');
  const indexes = entries(config.indexes, 'definition');
  if (projections.length === 0 && indexes.length === 0) return [];
  const add = [...projections.map((p) => `add projection ${p.name} (${p.body})`), ...indexes.map((i) => `add index ${i.name} ${i.body}`)];
  const materialize = [...projections.map((p) => `materialize projection ${p.name}`), ...indexes.map((i) => `materialize index ${i.name}`)];
  return [`alter table ${table}\n${add.join(',\n')}`, `alter table ${table}\n${materialize.join(',\n')}\nsettings mutations_sync = 2`];
}

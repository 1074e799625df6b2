// A seed header that names a column twice loads as dbt loads it: agate's Table renames the later one
// `name_2` (then `name_3`, skipping names already taken) and warns (DuplicateColumnWarning).
// snowplow-ecommerce's integration tests seed `root_id,root_tstamp,id,schema_name,schema_name`.
// A header's blank name is the column's letter, `a` for the first (agate's letter_name): fivetran's
// google_play seeds `stats_ratings_overview.csv` with a header starting `,_file,...`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAREHOUSES, warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

describe.each(WAREHOUSES)('a seed header with a repeated name on %s', (kind) => {
  let p: WarehouseProject;
  let out: RunOutcome;

  beforeAll(async () => {
    p = warehouseProject(kind, { 'dbt_project.yml': 'name: demo\nprofile: demo\n' });
    p.write('seeds/pages.csv', 'id,schema_name,schema_name,v_2,v,v\n1,checkout,web_page,a,b,c\n');
    p.write('seeds/indexed.csv', ',name,\n0,x,y\n1,z,\n');
    out = await p.run('seed');
  }, 300_000);
  afterAll(() => p?.cleanup());

  it('loads the later columns as name_2, name_3 (skipping a name the header already has), with a warning', async () => {
    expect(out.code, out.output).toBe(0);
    expect(out.output).toMatch(/seeds\/pages\.csv:1: column name 'schema_name' appears again in the header; .* named 'schema_name_2'/);
    const columns = await p.sql(`select column_name from information_schema.columns where table_schema = '${p.schema}' and table_name = 'pages' order by ordinal_position`);
    expect(columns.map((c) => c.column_name)).toEqual(['id', 'schema_name', 'schema_name_2', 'v_2', 'v', 'v_3']);
    expect(await p.sql(`select schema_name, schema_name_2, v_3 from "${p.schema}".pages`)).toEqual([{ schema_name: 'checkout', schema_name_2: 'web_page', v_3: 'c' }]);
  });

  it('names a column the header leaves blank by its letter (a for the first, c for the third)', async () => {
    expect(out.output).toMatch(/seeds\/indexed\.csv:1: column 1 of the header has no name; .* named 'a'/);
    expect(await p.sql(`select a, name, c from "${p.schema}".indexed order by a`)).toEqual([
      { a: 0, name: 'x', c: 'y' },
      { a: 1, name: 'z', c: null },
    ]);
  });
});

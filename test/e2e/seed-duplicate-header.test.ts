// A seed header that names a column twice loads as dbt loads it: agate's Table renames the later one
// `name_2` (then `name_3`, skipping names already taken) and warns (DuplicateColumnWarning).
// snowplow-ecommerce's integration tests seed `root_id,root_tstamp,id,schema_name,schema_name`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAREHOUSES, warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

describe.each(WAREHOUSES)('a seed header with a repeated name on %s', (kind) => {
  let p: WarehouseProject;
  let out: RunOutcome;

  beforeAll(async () => {
    p = warehouseProject(kind, { 'dbt_project.yml': 'name: demo\nprofile: demo\n' });
    p.write('seeds/pages.csv', 'id,schema_name,schema_name,v_2,v,v\n1,checkout,web_page,a,b,c\n');
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
});

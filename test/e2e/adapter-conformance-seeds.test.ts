// A seed's `delimiter` config (dbt docs, seed configs: "delimiter", dbt 1.7), as dbt-tests-adapter's
// simple_seed suite checks it, on the PostgreSQL server: a pipe-separated file loads into one
// column per field; a delimiter that is not one character stops the command with dbt's words at
// the seed's file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

describe('seed delimiter on PostgreSQL', () => {
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject('server', {
      'dbt_project.yml': "name: demo\nprofile: demo\nseeds:\n  demo:\n    piped:\n      +delimiter: '|'\n",
      'seeds/piped.csv': 'id|name|note\n1|ann|a,b\n2|bob|\n',
    });
  });
  afterAll(async () => {
    await p.cleanup();
  });

  it('a pipe-separated seed loads one column per field', async () => {
    const out = await p.run('seed');
    expect(out.code, out.output).toBe(0);
    expect(await p.sql(`select id, name, note from "${p.schema}".piped order by id`)).toEqual([
      { id: 1, name: 'ann', note: 'a,b' },
      { id: 2, name: 'bob', note: null },
    ]);
  });

  it('an empty delimiter is an error naming the seed', async () => {
    p.write('dbt_project.yml', "name: demo\nprofile: demo\nseeds:\n  demo:\n    piped:\n      +delimiter: ''\n");
    // The seed's node fails with the error (dbt fails the seed, exit 1); nothing stops the command up front.
    const out = await p.run('seed');
    expect(out.code).toBe(1);
    expect(out.results).toEqual([expect.objectContaining({ unique_id: 'seed.demo.piped', status: 'error', message: expect.stringContaining('"delimiter" must be a 1-character string') as unknown })]);
    expect(out.results[0]?.message).toContain('Compilation Error in seed piped (seeds/piped.csv)');
  });
});

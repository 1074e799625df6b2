// dbt-postgres refuses a model whose relation name is longer than PostgreSQL's 63 characters
// (PostgresRelation: "Relation name '...' is longer than 63 characters"): that node errors and
// nothing is created, where PostgreSQL would cut the name short and create the table under it.
// A name of exactly 63 characters builds. (dbt-core tests/functional/relation_names.) A unit test
// is checked by its name too: dbt's unit materialization makes `this.incorporate(type='table')`,
// named as the test (dbt-core tests/functional/adapter/unit_testing).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { warehouseProject } from '../support/warehouse-project.js';

const LONG = 'my_name_is_one_over_max_length_chats_abcdefghijklmnopqrstuvwxyz1';
const MAX = 'my_name_is_max_length_chars_abcdefghijklmnopqrstuvwxyz123456789';

type RunResults = { results: { unique_id: string; status: string; message: string | null }[] };

describe('relation names longer than the warehouse allows', () => {
  const p = warehouseProject('pglite', {
    'dbt_project.yml': 'name: demo\nprofile: demo\nmodels:\n  +materialized: table\n',
    [`models/${LONG}.sql`]: 'select 1 as id\n',
    [`models/${MAX}.sql`]: 'select 1 as id\n',
  });
  afterAll(() => p.cleanup());
  const results = () => (JSON.parse(readFileSync(path.join(p.dir, 'target', 'run_results.json'), 'utf8')) as RunResults).results;

  it("fail that node with dbt-postgres's message; 63 characters build", async () => {
    expect(LONG.length).toBe(64);
    expect(MAX.length).toBe(63);
    const run = await p.run('run');
    expect(run.code).toBe(1);
    const byId = Object.fromEntries(results().map((r) => [r.unique_id, r]));
    expect(byId[`model.demo.${LONG}`]?.status).toBe('error');
    expect(byId[`model.demo.${LONG}`]?.message).toContain(`Relation name '${LONG}' is longer than 63 characters`);
    expect(byId[`model.demo.${MAX}`]?.status).toBe('success');
  });
});

describe('unit test names longer than the warehouse allows', () => {
  const unitTests = (name: string) => `unit_tests:\n  - name: ${name}\n    model: m\n    given: []\n    expect:\n      rows:\n        - {id: 1}\n`;
  const p = warehouseProject('pglite', {
    'dbt_project.yml': 'name: demo\nprofile: demo\n',
    'models/m.sql': 'select 1 as id\n',
    'models/m.yml': unitTests(MAX),
  });
  afterAll(() => p.cleanup());
  const results = () => (JSON.parse(readFileSync(path.join(p.dir, 'target', 'run_results.json'), 'utf8')) as RunResults).results;

  it("fail the unit test with dbt-postgres's message; 63 characters pass", async () => {
    const atMax = await p.run('test');
    expect(atMax.code).toBe(0);
    expect(results().map((r) => [r.unique_id, r.status])).toEqual([[`unit_test.demo.m.${MAX}`, 'pass']]);
    p.write('models/m.yml', unitTests(LONG));
    const over = await p.run('test');
    expect(over.code).toBe(1);
    expect(results().map((r) => [r.unique_id, r.status])).toEqual([[`unit_test.demo.m.${LONG}`, 'error']]);
    expect(results()[0]?.message).toContain(`Relation name '${LONG}' is longer than 63 characters`);
  });
});

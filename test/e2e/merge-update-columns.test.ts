// dbt's merge_update_columns / merge_exclude_columns (docs: "Configure incremental models",
// "Strategy-specific configs"): on a matched key, a merge updates only the listed columns, or all
// but the excluded ones; new keys are inserted whole. Checked on the rows, through both of
// tsdbt's merge statements (MERGE, and `insert ... on conflict` when the key has a unique index),
// on both PostgreSQL kinds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAREHOUSES, warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const model = (config: string) => `{{ config(materialized='incremental', unique_key='id', incremental_strategy='merge', ${config}) }}
select id, v, note from {{ ref('src') }}
`;

const FILES: Record<string, string> = {
  'seeds/src.csv': 'id,v,note\n1,a,first\n2,b,first\n',
  'models/only_v.sql': model("merge_update_columns=['v']"),
  'models/all_but_note.sql': model("merge_exclude_columns=['NOTE']"),
  'models/only_v_indexed.sql': model("merge_update_columns=['v'], indexes=[{'columns': ['id'], 'unique': True}]"),
  'models/everything.sql': model("indexes=[{'columns': ['id'], 'unique': True}]"),
};

describe.each(WAREHOUSES)('merge_update_columns and merge_exclude_columns on %s', (kind) => {
  let project: WarehouseProject;
  let second: Awaited<ReturnType<WarehouseProject['run']>>;
  const rows = async (table: string) => (await project.sql(`select id, v, note from "${project.schema}"."${table}" order by id`)).map((r) => `${String(r.id)}:${String(r.v)}:${String(r.note)}`);

  beforeAll(async () => {
    project = warehouseProject(kind, FILES);
    const first = await project.run('build');
    expect(first.code, first.output).toBe(0);
    project.write('seeds/src.csv', 'id,v,note\n1,a,first\n2,B,second\n3,c,second\n');
    second = await project.run('build');
  }, 300_000);
  afterAll(async () => {
    await project.cleanup();
  });

  it('the second build succeeds', () => {
    expect(second.code, second.output).toBe(0);
  });

  it('merge_update_columns updates only those columns of a matched row (MERGE)', async () => {
    expect(await rows('only_v')).toEqual(['1:a:first', '2:B:first', '3:c:second']);
  });

  it('merge_exclude_columns leaves the excluded columns, named in any case', async () => {
    expect(await rows('all_but_note')).toEqual(['1:a:first', '2:B:first', '3:c:second']);
  });

  it('the same through insert ... on conflict, when the key has a unique index', async () => {
    expect(await rows('only_v_indexed')).toEqual(['1:a:first', '2:B:first', '3:c:second']);
  });

  it('without either, every column of a matched row is updated', async () => {
    expect(await rows('everything')).toEqual(['1:a:first', '2:B:second', '3:c:second']);
  });
});

describe('merge_update_columns with merge_exclude_columns', () => {
  let project: WarehouseProject;
  beforeAll(() => {
    project = warehouseProject('pglite', { ...FILES, 'models/both.sql': model("merge_update_columns=['v'], merge_exclude_columns=['note']") });
  });
  afterAll(async () => {
    await project.cleanup();
  });

  it("is dbt's error, naming the model", async () => {
    expect((await project.run('build')).code).toBe(0);
    const out = await project.run('run', { select: ['both'] });
    expect(out.code).toBe(1);
    expect(out.output).toContain('Model cannot specify merge_update_columns and merge_exclude_columns');
    expect(out.output).toContain('models/both.sql');
  });
});

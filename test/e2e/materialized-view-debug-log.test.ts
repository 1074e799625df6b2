// What a materialized view's run does to an existing one, in the debug log as dbt's macros log it
// (dbt-adapters' refresh_materialized_view, get_alter_materialized_view_as_sql, get_replace_sql:
// "Applying REFRESH / ALTER / REPLACE to: <relation>"; creating it logs nothing), which
// dbt-tests-adapter's MaterializedViewBasic and MaterializedViewChanges look for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const model = (column: string) => `{{ config(materialized='materialized_view', indexes=[{'columns': ['${column}']}]) }}\nselect * from {{ ref('src') }}\n`;

describe('materialized view debug lines', () => {
  let p: WarehouseProject;
  /** The "Applying ..." lines of a `run --debug`, with the relation's schema and name. */
  const applying = async (init: { fullRefresh?: boolean } = {}) => {
    const out = await p.run('run', { debug: true, ...init });
    expect(out.code, out.output).toBe(0);
    return out.output
      .split('\n')
      .map((line) => /Applying [A-Z ]+ to: .*/.exec(line)?.[0])
      .filter((line): line is string => line !== undefined)
      .map((line) => line.replace(/ to: (?:"[^"]*"\.)?"([^"]*)"\."([^"]*)"$/, (_all, schema: string, name: string) => ` to: ${schema === p.schema ? 'SCHEMA' : schema}.${name}`));
  };
  beforeAll(async () => {
    p = warehouseProject('pglite', { 'seeds/src.csv': 'id,value\n1,100\n', 'models/mv.sql': model('id') });
    expect((await p.run('seed')).code).toBe(0);
  }, 120_000);
  afterAll(() => p.cleanup());

  it('logs nothing when it creates the view, REFRESH when nothing changed', async () => {
    expect(await applying()).toEqual([]);
    expect(await applying()).toEqual(['Applying REFRESH to: SCHEMA.mv']);
  });

  it('logs ALTER when it applies changed indexes, REPLACE (and no ALTER) under --full-refresh', async () => {
    p.write('models/mv.sql', model('value'));
    expect(await applying()).toEqual(['Applying ALTER to: SCHEMA.mv']);
    p.write('models/mv.sql', model('id'));
    expect(await applying({ fullRefresh: true })).toEqual(['Applying REPLACE to: SCHEMA.mv']);
  });
});

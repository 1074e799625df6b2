// dbt parses each on-run-start / on-run-end hook as its own node (HookParser: name
// `<project>-on-run-start-<index>`, unique_id `operation.<project>.<name>`), and a hook renders with
// that node as `model`: an event-logging package that records `model['unique_id']` from its hooks
// (mashiike/dbt-events) stores the hook's id, the same that run_results.json gives the hook.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

describe('a project hook renders with its own node as `model`', () => {
  let p: WarehouseProject;
  let run: RunOutcome;
  beforeAll(async () => {
    const record = (which: string) => `"insert into {{ target.schema }}.hook_models values ('${which}', '{{ model.unique_id }}', '{{ model.name }}')"`;
    p = warehouseProject('pglite', {
      'models/m.sql': 'select 1 as id\n',
      'dbt_project.yml':
        'name: demo\nprofile: demo\non-run-start:\n' +
        '  - "create schema if not exists {{ target.schema }}"\n' +
        '  - "create table if not exists {{ target.schema }}.hook_models (hook text, unique_id text, name text)"\n' +
        `  - ${record('start')}\n` +
        `on-run-end:\n  - ${record('end')}\n`,
    });
    run = await p.run('run');
  });
  afterAll(async () => {
    await p.cleanup();
  });

  it("gives `model.unique_id` and `model.name` dbt's hook node's", async () => {
    expect(run.code, run.output).toBe(0);
    expect(await p.sql(`select hook, unique_id, name from ${p.schema}.hook_models order by hook desc`)).toEqual([
      { hook: 'start', unique_id: 'operation.demo.demo-on-run-start-2', name: 'demo-on-run-start-2' },
      { hook: 'end', unique_id: 'operation.demo.demo-on-run-end-0', name: 'demo-on-run-end-0' },
    ]);
    expect(run.results.map((r) => r.unique_id)).toContain('operation.demo.demo-on-run-start-2');
  });
});

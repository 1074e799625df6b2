// A run's project hooks, as dbt-core 1.11's RunTask.safe_run_hooks runs them (task/run.py):
// - each hook node's `index` is set to its 1-based place among all the hooks of its type that run
//   (root project first, then the packages: get_hooks_by_type), before the hook compiles. So the
//   hook sees it as `model.index` (as on-run-end's `results` would show a failed hook's node), and
//   manifest.json, written at the end of the run, holds it; the parse's index (its place in its
//   own list) stays in the node's name and unique_id.
// - a hook compiles as any node does (RunTask.get_hook_sql calls Compiler.compile_node): a ref() to
//   an ephemeral model is its `__dbt__cte__` name and the model's CTE is injected in front of the
//   hook's SQL (_recursively_prepend_ctes, inject_ctes_into_sql), so `insert into ... select ...
//   from {{ ref('eph') }}` runs as `with __dbt__cte__eph as (...) insert into ...`; the hook
//   node's compiled_code is that text.
// Model pre-/post-hooks get no index (dbt's Hook.index stays None unless the hook's dict gives one).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const OWN = "insert into {{ target.schema }}.audit values ('{{ model.name }}', {{ model.index }})";

const PROJECT = [
  'name: demo',
  'profile: demo',
  `on-run-start: ${JSON.stringify(['create table if not exists {{ target.schema }}.audit (what text, n int)', OWN, OWN])}`,
  `on-run-end: ${JSON.stringify([OWN, "insert into {{ target.schema }}.audit select 'eph', id from {{ ref('eph') }}"])}`,
  '',
].join('\n');

interface Manifest {
  nodes: Record<string, { index?: number; compiled_code?: string }>;
}

describe("project hooks: dbt's run-time index and ephemeral CTEs", () => {
  let p: WarehouseProject;
  let run: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject('pglite', {
      'dbt_project.yml': PROJECT,
      'models/eph.sql': "{{ config(materialized='ephemeral') }}\nselect 7 as id\n",
      'models/m.sql': 'select 1 as id\n',
      'dbt_packages/a_pkg/dbt_project.yml': `name: a_pkg\non-run-start: ${JSON.stringify([OWN])}\n`,
    });
    run = await p.run('run');
  });
  afterAll(async () => {
    await p.cleanup();
  });

  it("sets each hook's index to its 1-based place among the run's hooks of its type, as the hook's model.index", async () => {
    expect(run.code, run.output).toBe(0);
    expect(await p.sql(`select what, n from ${p.schema}.audit where what <> 'eph' order by what`)).toEqual([
      { what: 'a_pkg-on-run-start-0', n: 4 },
      { what: 'demo-on-run-end-0', n: 1 },
      { what: 'demo-on-run-start-1', n: 2 },
      { what: 'demo-on-run-start-2', n: 3 },
    ]);
    // The names and ids keep the parse's index; the messages name the place (index - 1).
    expect(run.results.filter((r) => r.unique_id.startsWith('operation.')).map((r) => [r.unique_id, r.message])).toEqual([
      ['operation.demo.demo-on-run-start-0', 'demo.on-run-start.0 passed'],
      ['operation.demo.demo-on-run-start-1', 'demo.on-run-start.1 passed'],
      ['operation.demo.demo-on-run-start-2', 'demo.on-run-start.2 passed'],
      ['operation.a_pkg.a_pkg-on-run-start-0', 'a_pkg.on-run-start.3 passed'],
      ['operation.demo.demo-on-run-end-0', 'demo.on-run-end.0 passed'],
      ['operation.demo.demo-on-run-end-1', 'demo.on-run-end.1 passed'],
    ]);
  });

  it("runs a hook that refs an ephemeral model with the model's CTE in front", async () => {
    expect(await p.sql(`select what, n from ${p.schema}.audit where what = 'eph'`)).toEqual([{ what: 'eph', n: 7 }]);
    const manifest = JSON.parse(readFileSync(path.join(p.dir, 'target', 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.nodes['operation.demo.demo-on-run-end-1']?.compiled_code).toMatch(/^with __dbt__cte__eph as \(\n[\s\S]*select 7 as id\n\) insert into "?[^ ]+"?\.audit select 'eph', id from __dbt__cte__eph$/);
  });

  it('writes the run-time index into manifest.json at the end of the run', () => {
    const manifest = JSON.parse(readFileSync(path.join(p.dir, 'target', 'manifest.json'), 'utf8')) as Manifest;
    const index = (id: string) => manifest.nodes[id]?.index;
    const ids = ['demo.demo-on-run-start-0', 'demo.demo-on-run-start-1', 'demo.demo-on-run-start-2', 'a_pkg.a_pkg-on-run-start-0', 'demo.demo-on-run-end-0', 'demo.demo-on-run-end-1'];
    expect(ids.map((id) => index(`operation.${id}`))).toEqual([1, 2, 3, 4, 1, 2]);
  });
});

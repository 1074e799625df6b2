// The hooks a run runs are the manifest's `operation` nodes, as dbt-core's RunTask finds them
// (task/run.py get_hooks_by_type: the nodes tagged with the hook type, sorted by _hook_keyfunc: the
// root project first, then the packages by name, each by its hook's index). So:
// - a hook disabled through `models:` config at its fqn `[project, hooks, <name>]` (dbt's
//   ContextConfig reads `models:` for an operation) is in manifest.json's `disabled`, not its
//   `nodes` (ConfiguredParser.add_result_node), and does not run; the hooks after it take its place
//   in the numbering of the run (`<package>.<type>.<position>`);
// - a hook renders with its node as `model` (get_hook_sql compiles the HookNode): raw_code is the
//   hook's SQL, tags the hook type then the config's, config the `models:` tree's, depends_on what
//   it refs.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const SEEN = "insert into {{ target.schema }}.seen select '{{ local_md5(model.raw_code) }}', '{{ model.tags | join(\",\") }}', '{{ model.config.materialized }}', '{{ model.depends_on.nodes | join(\",\") }}', '{{ model.config.meta.owner }}' from {{ ref('m') }}";
const LOG = (who: string) => `insert into {{ target.schema }}.hook_log select count(*) + 1, '${who}' from {{ target.schema }}.hook_log`;

const PROJECT = [
  'name: demo',
  'profile: demo',
  'models:',
  '  demo:',
  '    +tags: [nightly]',
  '    +meta: {owner: data}',
  '    hooks:',
  '      demo-on-run-start-2:',
  '        +enabled: false',
  '  b_pkg:',
  '    hooks:',
  '      +enabled: false',
  `on-run-start: ${JSON.stringify([
    'create table if not exists {{ target.schema }}.hook_log (n int, who text)',
    LOG('demo-0'),
    "insert into {{ target.schema }}.hook_log values (-1, 'disabled')",
    LOG('demo-3'),
  ])}`,
  `on-run-end: ${JSON.stringify(['create table if not exists {{ target.schema }}.seen (md5 text, tags text, materialized text, depends_on text, owner text)', SEEN])}`,
  '',
].join('\n');

describe("a run's hooks are the manifest's operation nodes", () => {
  let p: WarehouseProject;
  let run: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject('pglite', {
      'dbt_project.yml': PROJECT,
      'models/m.sql': 'select 1 as id\n',
      'dbt_packages/z_pkg/dbt_project.yml': `name: z_pkg\non-run-start: ${JSON.stringify([LOG('z_pkg-0')])}\n`,
      'dbt_packages/a_pkg/dbt_project.yml': `name: a_pkg\non-run-start: ${JSON.stringify([LOG('a_pkg-0'), LOG('a_pkg-1')])}\n`,
      'dbt_packages/b_pkg/dbt_project.yml': `name: b_pkg\non-run-start: ${JSON.stringify([LOG('b_pkg-0')])}\n`,
    });
    run = await p.run('run');
  });
  afterAll(async () => {
    await p.cleanup();
  });

  it('runs the enabled hooks, the root project first, then the packages by name, each by index', async () => {
    expect(run.code, run.output).toBe(0);
    expect(await p.sql(`select n, who from ${p.schema}.hook_log order by n`)).toEqual([
      { n: 1, who: 'demo-0' },
      { n: 2, who: 'demo-3' },
      { n: 3, who: 'a_pkg-0' },
      { n: 4, who: 'a_pkg-1' },
      { n: 5, who: 'z_pkg-0' },
    ]);
    expect(run.results.filter((r) => r.unique_id.includes('on-run-start')).map((r) => [r.unique_id, r.message])).toEqual([
      ['operation.demo.demo-on-run-start-0', 'demo.on-run-start.0 passed'],
      ['operation.demo.demo-on-run-start-1', 'demo.on-run-start.1 passed'],
      ['operation.demo.demo-on-run-start-3', 'demo.on-run-start.2 passed'],
      ['operation.a_pkg.a_pkg-on-run-start-0', 'a_pkg.on-run-start.3 passed'],
      ['operation.a_pkg.a_pkg-on-run-start-1', 'a_pkg.on-run-start.4 passed'],
      ['operation.z_pkg.z_pkg-on-run-start-0', 'z_pkg.on-run-start.5 passed'],
    ]);
  });

  it("keeps the disabled hooks in manifest.json's `disabled`, not its `nodes`", () => {
    const manifest = JSON.parse(readFileSync(path.join(p.dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, unknown>; disabled: Record<string, { config: { enabled: boolean } }[]> };
    for (const id of ['operation.demo.demo-on-run-start-2', 'operation.b_pkg.b_pkg-on-run-start-0']) {
      expect(manifest.nodes[id]).toBeUndefined();
      expect(manifest.disabled[id]?.[0]?.config.enabled).toBe(false);
    }
  });

  it('renders a hook with its node as `model`', async () => {
    const md5 = createHash('md5').update(SEEN).digest('hex');
    expect(await p.sql(`select * from ${p.schema}.seen`)).toEqual([{ md5, tags: 'on-run-end,nightly', materialized: 'view', depends_on: 'model.demo.m', owner: 'data' }]);
  });
});

// `model` in a render is dbt's `node.to_dict()` (providers.py ctx_model), a new dict for each
// render that a template may change: Elementary's test materialization updates `model`'s meta
// (flatten_test's `meta_dict.update(config_meta_dict)`). tsdbt's nodes of one config share it,
// frozen; before, such a change stopped the render with "this dict is read-only".
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const body = (n: number) =>
  [
    "{% if execute %}{% do model['meta'].update({'seen': model['name']}) %}{% do model['config']['meta'].update({'seen': model['name']}) %}{% do model['tags'].append('changed') %}{% endif %}",
    `select ${n} as id, '{{ model['meta'].get('seen', 'none') }}' as seen, '{{ model['config']['meta']['owner'] }}' as owner, '{{ model['tags'] | join(',') }}' as tags`,
  ].join('\n');

describe("a render changes its own `model`, not the node's shared config", () => {
  let p: WarehouseProject;
  let out: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject('pglite', {
      'dbt_project.yml': 'name: demo\nprofile: demo\nmodels:\n  demo:\n    +meta: {owner: ann}\n    +tags: [t]\n    +materialized: table\n',
      'models/a.sql': body(1),
      'models/b.sql': body(2),
    });
    out = await p.run('run');
  }, 300_000);
  afterAll(() => p?.cleanup());

  it('sees its change in that render; the other model and manifest.json keep their meta and tags', async () => {
    expect(out.code, out.output).toBe(0);
    expect(await p.sql(`select * from "${p.schema}".a union all select * from "${p.schema}".b order by id`)).toEqual([
      { id: 1, seen: 'a', owner: 'ann', tags: 't,changed' },
      { id: 2, seen: 'b', owner: 'ann', tags: 't,changed' },
    ]);
    const manifest = JSON.parse(readFileSync(path.join(p.dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, { meta: unknown; tags: unknown }> };
    expect(manifest.nodes['model.demo.a']?.meta).toEqual({ owner: 'ann' });
    expect(manifest.nodes['model.demo.b']?.tags).toEqual(['t']);
  });
});

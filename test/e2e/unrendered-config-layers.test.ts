// A node's `unrendered_config` (what state:modified compares): dbt lays the configs as written
// over each other with a plain key update (dbt_project.yml level by level, then the property
// file's `config:`, then the model's config() calls merged into one), so a deeper layer's `meta`
// or `tags` replaces a shallower one's; the node's rendered `config` still merges them. Where dbt's
// static parser (dbt-extractor) reads a model, the values it read are laid over that, each key's
// last (ModelParser.populate: unrendered_config.update(dict(configs))), unless a property entry's
// `config:` made dbt compute the config again; with state_modified_compare_more_unrendered_values
// they stay those literal values, and only files dbt renders with Jinja get the syntax-tree text.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseOrLs } from '../support/parse-or-ls.js';
import { removeDir, testdir } from '../support/testdir.js';

const FILES: Record<string, string> = {
  'dbt_project.yml': `name: demo
profile: demo
models:
  +meta: {company: acme}
  demo:
    +meta: {project: demo}
    tags: ['in_project']
    materialized: table
`,
  'profiles.yml': 'demo:\n  target: dev\n  outputs:\n    dev: {type: pglite, path: memory, schema: main, threads: 1}\n',
  'models/orders.sql': "{{ config(tags=['call_1']) }}\n{{ config(tags=['call_2']) }}\nselect 1 as id\n",
  'models/customers.sql': "{{ config(tags=['a']) }}\n{{ config(tags=['b'], materialized='view') }}\nselect 1 as id\n",
  'models/payments.sql': "{% set m = 'view' %}{{ config(materialized=m, tags=['p']) }}\nselect 1 as id\n",
  'models/schema.yml': `version: 2
models:
  - name: orders
    config:
      tags: ['in_schema']
      meta: {owner: ann}
      materialized: view
`,
};

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

describe('unrendered_config layers', () => {
  it("each layer replaces the keys it sets; the config() calls' tags add up", async () => {
    const dir = testdir(FILES);
    dirs.push(dir);
    const { code, lines } = await parseOrLs(dir, 'parse', { noPartialParse: true });
    expect(code, lines.join('\n')).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target', 'manifest.json'), 'utf8')) as {
      nodes: Record<string, { unrendered_config: Record<string, unknown>; config: { tags: string[]; meta: Record<string, unknown> } }>;
    };
    const node = manifest.nodes['model.demo.orders'];
    expect(node?.unrendered_config).toEqual({ materialized: 'view', meta: { owner: 'ann' }, tags: ['call_1', 'call_2'] });
    expect([...(node?.config.tags ?? [])].sort()).toEqual(['call_1', 'call_2', 'in_project', 'in_schema']);
    expect(node?.config.meta).toEqual({ company: 'acme', project: 'demo', owner: 'ann' });
    // Read by dbt's static parser, no property entry: each key's last value as written.
    expect(manifest.nodes['model.demo.customers']?.unrendered_config).toEqual({ meta: { project: 'demo' }, tags: ['b'], materialized: 'view' });
    // Rendered (a `{% %}` tag): the calls merged, as rendered.
    expect(manifest.nodes['model.demo.payments']?.unrendered_config).toEqual({ meta: { project: 'demo' }, tags: ['p'], materialized: 'view' });
  }, 120_000);

  it("with --no-static-parser every model's calls are merged as rendered", async () => {
    const dir = testdir(FILES);
    dirs.push(dir);
    const { code, lines } = await parseOrLs(dir, 'parse', { noPartialParse: true, noStaticParser: true });
    expect(code, lines.join('\n')).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, { unrendered_config: Record<string, unknown> }> };
    expect(manifest.nodes['model.demo.customers']?.unrendered_config).toEqual({ meta: { project: 'demo' }, tags: ['a', 'b'], materialized: 'view' });
  }, 120_000);

  it('with state_modified_compare_more_unrendered_values: literal values where dbt-extractor reads the file, jinja2 node text where dbt renders it', async () => {
    const dir = testdir({ ...FILES, 'dbt_project.yml': `${FILES['dbt_project.yml']}flags:\n  state_modified_compare_more_unrendered_values: true\n` });
    dirs.push(dir);
    const { code, lines } = await parseOrLs(dir, 'parse', { noPartialParse: true });
    expect(code, lines.join('\n')).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, { unrendered_config: Record<string, unknown> }> };
    // dbt's TestSchemaFileConfigs: a property entry's config, then the static calls merged (tags add up).
    expect(manifest.nodes['model.demo.orders']?.unrendered_config).toEqual({ materialized: 'view', meta: { owner: 'ann' }, tags: ['call_1', 'call_2'] });
    expect(manifest.nodes['model.demo.customers']?.unrendered_config).toEqual({ meta: { project: 'demo' }, tags: ['b'], materialized: 'view' });
    expect(manifest.nodes['model.demo.payments']?.unrendered_config).toEqual({
      meta: { project: 'demo' },
      materialized: "Keyword(key='materialized', value=Name(name='m', ctx='load'))",
      tags: "Keyword(key='tags', value=List(items=[Const(value='p')]))",
    });
  }, 120_000);
});

// A node's `unrendered_config` (what state:modified compares): dbt lays the configs as written
// over each other with a plain key update (dbt_project.yml level by level, then the property
// file's `config:`, then the model's config() calls merged into one), so a deeper layer's `meta`
// or `tags` replaces a shallower one's; the node's rendered `config` still merges them.
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
  }, 120_000);
});

// `{{ doc('name') }}` in descriptions is rendered at parse, as dbt's process_docs does: manifest.json
// holds the doc block's text for models, columns, sources and exposures; persist_docs comments the
// relation and its columns with that text on the PostgreSQL server; editing the .md block changes
// the next parse's descriptions; an unknown doc name is dbt's error at the property file's line.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { dropTestSchema, pgServer, profilesYaml, serverTarget } from '../support/postgres-targets.js';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

const DOCS = (orders: string) => `{% docs orders_doc %}\n${orders}\n{% enddocs %}\n\n{% docs key_doc %}\nThe **order** key\n{% enddocs %}\n`;
const SCHEMA = [
  'version: 2',
  'models:',
  '  - name: orders',
  `    description: "{{ doc('orders_doc') }}"`,
  '    columns:',
  '      - name: order_id',
  `        description: "Key: {{ doc('key_doc') }}"`,
  'sources:',
  '  - name: raw',
  `    description: "{{ doc('orders_doc') }} (raw)"`,
  '    tables:',
  '      - name: payments',
  `        description: "{{ doc('demo', 'key_doc') }}"`,
  '        columns:',
  `          - {name: id, description: "{{ doc('key_doc') }}"}`,
  'exposures:',
  '  - name: dash',
  '    type: dashboard',
  '    owner: {email: a@b.c}',
  `    description: "{{ doc('orders_doc') }}"`,
  '',
].join('\n');

describe("doc() in descriptions", () => {
  const target = serverTarget();
  const dir = testdir({
    'dbt_project.yml': `${MINIMAL_PROJECT_YML}models:\n  demo:\n    +persist_docs: {relation: true, columns: true}\n`,
    'profiles.yml': profilesYaml('demo', target),
    'models/orders.sql': "{{ config(materialized='table') }}\nselect 1 as order_id\n",
    'models/docs.md': DOCS('One row per order'),
    'models/schema.yml': SCHEMA,
  });
  afterAll(async () => {
    await dropTestSchema(target);
    removeDir(dir);
  });
  const manifest = () => JSON.parse(readFileSync(path.join(dir, 'target', 'manifest.json'), 'utf8')) as Record<string, Record<string, Record<string, unknown>>>;

  it('writes the doc blocks\' text into manifest.json and the comments persist_docs makes', async () => {
    const run = await runTsdbt(['run', '--project-dir', dir, '--profiles-dir', dir]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const m = manifest();
    const model = m.nodes?.['model.demo.orders'] as { description: string; columns: Record<string, { description: string }> };
    expect(model.description).toBe('One row per order');
    expect(model.columns.order_id?.description).toBe('Key: The **order** key');
    const table = m.sources?.['source.demo.raw.payments'] as { description: string; source_description: string; columns: Record<string, { description: string }> };
    expect(table).toMatchObject({ description: 'The **order** key', source_description: 'One row per order (raw)' });
    expect(table.columns.id?.description).toBe('The **order** key');
    expect((m.exposures?.['exposure.demo.dash'] as { description: string }).description).toBe('One row per order');
    // dbt's doc_blocks: the doc blocks each description reads; every column has dbt's fields.
    expect((model as unknown as { doc_blocks: string[] }).doc_blocks).toEqual(['doc.demo.orders_doc']);
    expect(model.columns.order_id).toMatchObject({ doc_blocks: ['doc.demo.key_doc'], granularity: null, quote: null, constraints: [] });
    expect((table as unknown as { doc_blocks: string[] }).doc_blocks).toEqual(['doc.demo.key_doc']);
    expect(table.columns.id).toMatchObject({ doc_blocks: ['doc.demo.key_doc'], granularity: null });

    const s = pgServer();
    const client = new pg.Client({ host: s.host, port: s.port, user: s.user, password: s.password, database: s.database });
    await client.connect();
    try {
      const { rows } = await client.query<{ rel: string | null; col: string | null }>(
        `select obj_description(c.oid, 'pg_class') as rel, col_description(c.oid, 1) as col
           from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relname = 'orders'`,
        [target.schema],
      );
      expect(rows).toEqual([{ rel: 'One row per order', col: 'Key: The **order** key' }]);
    } finally {
      await client.end();
    }
  });

  it('takes an edited doc block into the next (partial) parse', async () => {
    writeFileSync(path.join(dir, 'models', 'docs.md'), DOCS('Every order, once'));
    const parse = await runTsdbt(['parse', '--project-dir', dir, '--profiles-dir', dir]);
    expect(parse.code, parse.stdout + parse.stderr).toBe(0);
    const m = manifest();
    expect((m.nodes?.['model.demo.orders'] as { description: string }).description).toBe('Every order, once');
    expect((m.sources?.['source.demo.raw.payments'] as { source_description: string }).source_description).toBe('Every order, once (raw)');

    // A model edited alone is parsed again on its own: its descriptions stay rendered.
    writeFileSync(path.join(dir, 'models', 'orders.sql'), "{{ config(materialized='view') }}\nselect 2 as order_id\n");
    const reparse = await runTsdbt(['parse', '--debug', '--project-dir', dir, '--profiles-dir', dir]);
    expect(reparse.stdout, reparse.stderr).toContain('Partial parse: 1 changed file parsed again');
    const node = manifest().nodes?.['model.demo.orders'] as { description: string; columns: Record<string, { description: string }> };
    expect(node.description).toBe('Every order, once');
    expect(node.columns.order_id?.description).toBe('Key: The **order** key');
  });
});

describe('doc() naming no doc block', () => {
  const dir = testdir({
    'dbt_project.yml': MINIMAL_PROJECT_YML,
    'profiles.yml': profilesYaml('demo', { type: 'pglite', name: 'test', path: 'memory', schema: 'main', threads: 1 }),
    'models/orders.sql': 'select 1 as order_id\n',
    'models/schema.yml': ['version: 2', 'models:', '  - name: orders', '    columns:', '      - name: order_id', `        description: "{{ doc('no_such_doc') }}"`, ''].join('\n'),
  });
  afterAll(() => removeDir(dir));

  it("fails the parse with dbt's message at the property file's line", async () => {
    const parse = await runTsdbt(['parse', '--project-dir', dir, '--profiles-dir', dir]);
    const out = parse.stdout + parse.stderr;
    expect(parse.code, out).not.toBe(0);
    expect(out).toContain("Documentation for 'model.demo.orders' depends on doc 'no_such_doc' which was not found");
    expect(out).toContain('models/schema.yml:5');
    // Said once, at the property file's line: no call chain through the value's own template.
    expect(out).not.toContain('call chain');
    expect(out).not.toMatch(/\n\s+at /);
  });
});

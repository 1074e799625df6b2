// What `tsdbt docs generate` keeps in target/ for the next one: the code of the templates it
// compiled (template_code.bin, as `tsdbt compile` keeps it) and the column lineage it traced
// (column_lineage.bin), so a second generation after a parse neither generates template code
// nor parses the SQL again, and writes the same lineage.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { afterAll, describe, expect, it } from 'vitest';
import { docsGenerateCommand } from '../../src/app/docs-command.js';
import { createInvocation } from '../../src/app/invocation.js';
import { offlineProject, type OfflineProject } from '../support/offline-project.js';
import { removeDir } from '../support/testdir.js';

describe('docs generate keeps its work for the next one', () => {
  let p: OfflineProject | undefined;
  afterAll(() => p && removeDir(p.dir));

  it('takes the compiled models’ template code and their column lineage from target/ the second time', async () => {
    p = await offlineProject(
      {
        'dbt_project.yml': "name: demo\nversion: '1.0.0'\nprofile: demo\n",
        'models/orders.sql': "select 1 as order_id, {{ 'paid' | upper | tojson }} as status\n",
        'models/report.sql': "select order_id, status as state from {{ ref('orders') }}\n",
      },
      'parse',
    );
    const dir = p.dir;
    const generate = async () => {
      const inv = createInvocation({ projectDir: dir, write: () => {}, writeError: () => {}, env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: dir } });
      expect(await docsGenerateCommand(inv, { compile: true, emptyCatalog: true })).toBe(0);
      const read = (file: string) => JSON.parse(readFileSync(path.join(dir, 'target', file), 'utf8')) as unknown;
      const manifest = read('manifest.json') as { nodes: Record<string, { compiled_code: string }> };
      return { nodes: manifest.nodes, lineage: (read('column_lineage.json') as { column_lineage: unknown }).column_lineage };
    };
    const first = await generate();
    expect(first.nodes['model.demo.orders']?.compiled_code).toBe('select 1 as order_id, "PAID" as status');
    // The kept code of orders' template made to say something else: the second generation says it.
    const codeFile = path.join(dir, 'target', 'template_code.bin');
    // (the template's text is one of the constants its code reads, code-cache.ts)
    // Each distinct constant is kept once (`values`), the entries name theirs by index.
    const code = deserialize(readFileSync(codeFile)) as { format: number; values: unknown[] };
    code.values = code.values.map((c) => (typeof c === 'string' ? c.replaceAll('as order_id', 'as kept_order_id') : c));
    writeFileSync(codeFile, serialize(code));
    const second = await generate();
    expect(second.nodes['model.demo.orders']?.compiled_code).toBe('select 1 as kept_order_id, "PAID" as status');
    // orders' SQL changed (traced again), report's did not (taken from the cache, or traced again
    // as what it reads changed): the lineage is what tracing everything gives, as without the cache.
    expect(second.lineage).toMatchObject({ 'model.demo.orders': { columns: { kept_order_id: [], status: [] } } });
    rmSync(path.join(dir, 'target', 'column_lineage.bin'));
    const traced = await generate();
    expect(traced.nodes['model.demo.orders']?.compiled_code).toBe(second.nodes['model.demo.orders']?.compiled_code);
    expect(second.lineage).toEqual(traced.lineage);
  });
});

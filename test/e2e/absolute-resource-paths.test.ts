// A resource path in dbt_project.yml may be absolute: dbt joins it to the project root with
// os.path.join, which keeps an absolute path as it is (dbt-core's own test_good_docs_blocks gives
// `docs-paths` that way). The folder's files are read, their original_file_path is the absolute
// path, and a partial parse notices their edits like any other file's.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

type Manifest = { nodes: Record<string, { description: string; original_file_path: string; raw_code: string }>; docs: Record<string, { original_file_path: string }> };

describe('absolute folders in the *-paths of dbt_project.yml', () => {
  it('docs-paths and model-paths outside the project are read, and edits there are re-parsed', async () => {
    const outside = testdir({ 'docs/alt.md': '{% docs orders_doc %}Alt text about orders{% enddocs %}\n', 'models/extra.sql': "select id from {{ ref('orders') }}\n" });
    dirs.push(outside);
    const dir = testdir({
      'dbt_project.yml': `${MINIMAL_PROJECT_YML}docs-paths: ["${path.join(outside, 'docs')}"]\nmodel-paths: [models, "${path.join(outside, 'models')}"]\n`,
      'models/orders.sql': 'select 1 as id\n',
      'models/schema.yml': "version: 2\nmodels:\n  - name: orders\n    description: \"{{ doc('orders_doc') }}\"\n",
    });
    dirs.push(dir);
    const parse = async () => {
      const r = await runTsdbt(['parse', '--project-dir', dir]);
      expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
      return JSON.parse(readFileSync(path.join(dir, 'target', 'manifest.json'), 'utf8')) as Manifest;
    };
    const first = await parse();
    expect(first.nodes['model.demo.orders']?.description).toBe('Alt text about orders');
    expect(first.nodes['model.demo.extra']?.original_file_path).toBe(path.join(outside, 'models', 'extra.sql'));
    expect(Object.values(first.docs).map((d) => d.original_file_path)).toContain(path.join(outside, 'docs', 'alt.md'));

    // Partial parsing: an edit of the outside model's SQL text, and of the outside doc block.
    writeFileSync(path.join(outside, 'models', 'extra.sql'), "select id, 2 as two from {{ ref('orders') }}\n");
    writeFileSync(path.join(outside, 'docs', 'alt.md'), '{% docs orders_doc %}Changed text{% enddocs %}\n');
    const second = await parse();
    expect(second.nodes['model.demo.extra']?.raw_code).toBe("select id, 2 as two from {{ ref('orders') }}");
    expect(second.nodes['model.demo.orders']?.description).toBe('Changed text');
  });
});

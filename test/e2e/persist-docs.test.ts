// persist_docs writes model and column descriptions as PostgreSQL comments (on PGlite here; the
// SQL is the adapter's, shared with the server).
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

describe('persist_docs', () => {
  const dir = testdir({
    'dbt_project.yml': `${MINIMAL_PROJECT_YML}models:\n  demo:\n    +persist_docs: {relation: true, columns: true}\n`,
    'models/orders.sql': "{{ config(materialized='table') }}\nselect 1 as order_id, 'it''s' as note\n",
    'models/orders_view.sql': 'select * from {{ ref("orders") }}\n',
    'models/schema.yml': [
      'version: 2',
      'models:',
      '  - name: orders',
      "    description: One row per order (it's documented)",
      '    columns:',
      '      - name: order_id',
      '        description: The order key',
      '      - name: dropped_last_week',
      '        description: Described, but no longer in the model (skipped, as dbt does)',
      '  - name: orders_view',
      '    description: A view on orders',
      '',
    ].join('\n'),
  });
  afterAll(() => removeDir(dir));

  it('comments the table, its columns and the view, skipping described columns the table lacks', async () => {
    const result = await runTsdbt(['run', '--project-dir', dir]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const db = new PGlite(path.join(dir, 'target', 'tsdbt.pglite'));
    try {
      const { rows } = await db.query<{ rel: string | null; col: string | null; view: string | null }>(
        `select obj_description('analytics.orders'::regclass, 'pg_class') as rel,
                col_description('analytics.orders'::regclass, 1) as col,
                obj_description('analytics.orders_view'::regclass, 'pg_class') as view`,
      );
      expect(rows[0]).toEqual({ rel: "One row per order (it's documented)", col: 'The order key', view: 'A view on orders' });
    } finally {
      await db.close();
    }
  });
});

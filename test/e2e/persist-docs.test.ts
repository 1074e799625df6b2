// persist_docs writes model and column descriptions as PostgreSQL comments (on PGlite here; the
// SQL is the adapter's, shared with the server).
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir, writeFiles } from '../support/testdir.js';

describe('persist_docs', () => {
  const dir = testdir({
    'dbt_project.yml': `${MINIMAL_PROJECT_YML}models:\n  demo:\n    +persist_docs: {relation: true, columns: true}\n`,
    'models/orders.sql': "{{ config(materialized='table') }}\nselect 1 as order_id, 'it''s' as note\n",
    'models/orders_view.sql': 'select * from {{ ref("orders") }}\n',
    // The global persist_docs macro, on a copy, matches described columns the same way.
    'models/orders_copied.sql': [
      "{{ config(materialized='table', post_hook=\"{% set copy = this.incorporate(path={'identifier': 'orders_copy'}) %}",
      "{% do run_query(get_create_table_as_sql(False, copy, 'select * from ' ~ this)) %}{% do persist_docs(copy, model) %}\") }}\n",
      'select 1 as order_id, 2 as note\n',
    ].join(''),
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
      '      - name: NOTE',
      '        description: Not the column note (dbt-postgres matches names exactly), so skipped',
      '  - name: orders_view',
      '    description: A view on orders',
      '  - name: orders_copied',
      '    columns:',
      '      - {name: order_id, description: The key}',
      '      - {name: NOTE, description: Not the column note}',
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
      // `NOTE` in the YAML is not the column `note` (dbt-postgres: `column_name in existing_columns`).
      const notes = await db.query<{ tbl: string; key: string | null; note: string | null }>(
        `select c.relname as tbl, col_description(c.oid, 1) as key, col_description(c.oid, 2) as note
           from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'analytics' and c.relname in ('orders', 'orders_copy') order by 1`,
      );
      expect(notes.rows).toEqual([
        { tbl: 'orders', key: 'The order key', note: null },
        { tbl: 'orders_copy', key: 'The key', note: null },
      ]);
    } finally {
      await db.close();
    }
  });
});

// A snapshot block's entry in a property file gives it its description and columns (tsdbt took only
// its config), and dbt's snapshot materialization calls persist_docs on every run, so a description
// changed after the first run reaches the table on the next one (tsdbt did so only when it created it).
describe('persist_docs on a snapshot', () => {
  const yml = (description: string) =>
    ['version: 2', 'snapshots:', '  - name: orders_snap', `    description: ${description}`, '    columns:', '      - {name: id, description: The key}', ''].join('\n');
  const dir = testdir({
    'dbt_project.yml': `${MINIMAL_PROJECT_YML}snapshots:\n  demo:\n    +persist_docs: {relation: true, columns: true}\n`,
    'snapshots/orders_snap.sql': [
      '{% snapshot orders_snap %}',
      "{{ config(target_schema='snapshots', unique_key='id', strategy='check', check_cols='all') }}",
      "select 1 as id, 'a' as status",
      '{% endsnapshot %}',
      '',
    ].join('\n'),
    'snapshots/schema.yml': yml('First words'),
  });
  afterAll(() => removeDir(dir));

  const comments = async () => {
    const db = new PGlite(path.join(dir, 'target', 'tsdbt.pglite'));
    try {
      const { rows } = await db.query<{ rel: string | null; col: string | null }>(
        "select obj_description('snapshots.orders_snap'::regclass, 'pg_class') as rel, col_description('snapshots.orders_snap'::regclass, 1) as col",
      );
      return rows[0];
    } finally {
      await db.close();
    }
  };

  it('takes the description and columns from the property file, and writes them again on a later run', async () => {
    const first = await runTsdbt(['snapshot', '--project-dir', dir]);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    // A snapshot block's property entry gives it its description and columns, as a model's does.
    expect(await comments()).toEqual({ rel: 'First words', col: 'The key' });
    writeFiles(dir, { 'snapshots/schema.yml': yml('Second words').replace('The key', 'The order key') });
    const second = await runTsdbt(['snapshot', '--project-dir', dir]);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(await comments()).toEqual({ rel: 'Second words', col: 'The order key' });
  });
});

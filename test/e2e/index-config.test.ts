// A malformed `indexes` entry (dbt-postgres's "Indexes" config: a list of mappings with `columns`,
// `unique`, `type`) fails its model with dbt's message, and the other models build; before, a
// text `columns` made an index on a column named "column_a, column_b" and `unique: 'yes'` a
// plain index.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

const model = (indexes: string) => `{{ config(materialized='table', indexes=${indexes}) }}\nselect 1 as column_a, 2 as column_b\n`;

describe('indexes config', () => {
  it("fails each model with a malformed index in dbt-postgres's words and builds the rest", async () => {
    const dir = testdir({
      'dbt_project.yml': MINIMAL_PROJECT_YML,
      'profiles.yml': 'demo:\n  target: dev\n  outputs:\n    dev: {type: pglite, path: memory, schema: main}\n',
      'models/text_columns.sql': model("[{'columns': 'column_a, column_b'}]"),
      'models/no_columns.sql': model("[{'unique': True}]"),
      'models/text_unique.sql': model("[{'columns': ['column_a'], 'unique': 'yes'}]"),
      'models/good.sql': model("[{'columns': ['column_a'], 'unique': True}, {'columns': ['column_a', 'column_b'], 'type': 'btree'}]"),
    });
    try {
      const result = await runTsdbt(['run', '--project-dir', dir, '--profiles-dir', dir]);
      expect(result.code, result.stdout + result.stderr).toBe(1);
      const runResults = JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; status: string; message: string }[] };
      const byModel: Record<string, [string, string]> = {};
      for (const r of runResults.results) byModel[r.unique_id.split('.')[2] ?? r.unique_id] = [r.status, r.message];
      expect(byModel.good?.[0]).toBe('success');
      expect(byModel.text_columns).toEqual(['error', expect.stringContaining("Could not parse index config: at path ['columns']: 'column_a, column_b' is not of type 'array'")]);
      expect(byModel.no_columns).toEqual(['error', expect.stringContaining("Could not parse index config: at path []: 'columns' is a required property")]);
      expect(byModel.text_unique).toEqual(['error', expect.stringContaining("Could not parse index config: at path ['unique']: 'yes' is not of type 'boolean'")]);
    } finally {
      removeDir(dir);
    }
  });

  it('pastes the columns unquoted, as dbt-postgres does: a mixed-case name is folded, an expression indexes its value', async () => {
    const dir = testdir({
      'dbt_project.yml': MINIMAL_PROJECT_YML,
      'profiles.yml': 'demo:\n  target: dev\n  outputs:\n    dev: {type: pglite, path: target/db, schema: main}\n',
      'models/m.sql': "{{ config(materialized='table', indexes=[{'columns': ['CDC_sk'], 'unique': True}, {'columns': ['lower(label)']}]) }}\nselect 'a' as CDC_sk, 'X' as label\n",
    });
    try {
      const result = await runTsdbt(['run', '--project-dir', dir, '--profiles-dir', dir]);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      const db = new PGlite(path.join(dir, 'target/db'));
      try {
        const rows = (await db.query<{ def: string }>("select regexp_replace(indexdef, '^.* USING ', '') as def from pg_indexes where schemaname = 'main' and tablename = 'm' order by 1")).rows;
        expect(rows.map((r) => r.def)).toEqual(['btree (cdc_sk)', 'btree (lower(label))']);
      } finally {
        await db.close();
      }
    } finally {
      removeDir(dir);
    }
  });
});

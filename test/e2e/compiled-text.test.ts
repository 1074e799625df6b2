// The compiled SQL text, whitespace and all, as dbt-core 1.11 writes it in compiled_code
// (manifest.json, run_results.json) and target/compiled. Each expected text is what dbt's code
// gives for the same file:
// - dbt reads a model, analysis or test file stripped (read_files.py: load_file_contents(strip=True));
// - compilation.py _compile_code: compiled_code = get_rendered(raw_code) (core/dbt/clients/jinja.py),
//   which returns a template without Jinja marks ({{ {% {# }} %} #}) as it is, else Jinja2's render
//   (keep_trailing_newline=False, which drops nothing of a stripped text): every blank line kept
//   (`{{ config() }}` renders '' and leaves its newline). Nothing strips the rendered text.
// - _recursively_prepend_ctes: an ephemeral parent becomes ` __dbt__cte__<name> as (\n<its compiled_code>\n)`,
//   put in by inject_ctes_into_sql (sqlparse: `with` before the first non-whitespace token, then one space).
// - a generic test's raw_code is `{{ test_not_null(**_dbt_generic_test_kwargs) }}`: its text is the
//   rendered `{% test not_null %}` block of dbt-adapters' global_project (tests/generic/builtin.sql),
//   which sets `macro` and prints default__test_not_null (macros/generic_test_sql/not_null.sql),
//   indentation and blank lines included (computed with Jinja2 3.1 over those files).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const FILES = {
  'dbt_project.yml': 'name: shop\nprofile: shop\n',
  'models/configured.sql': "{{ config(materialized='table') }}\n\nselect 1 as id\n",
  'models/plain.sql': '\nselect 3 as id\n\n',
  'models/eph.sql': "{{ config(materialized='ephemeral') }}\n\nselect 2 as id\n",
  'models/uses_eph.sql': "select * from {{ ref('eph') }}\n",
  'models/schema.yml': 'version: 2\nmodels:\n  - name: configured\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
  'snapshots/snap.sql': "{% snapshot snap %}\n{{ config(unique_key='id', strategy='check', check_cols='all') }}\nselect * from {{ ref('plain') }}\n{% endsnapshot %}\n",
};

const EXPECTED: Record<string, [string, string]> = {
  // config() renders '' and leaves the two newlines after it; the file's last newline was stripped.
  'model.shop.configured': ['models/configured.sql', '\n\nselect 1 as id'],
  // No Jinja: get_rendered returns the file as dbt read it, stripped.
  'model.shop.plain': ['models/plain.sql', 'select 3 as id'],
  // sqlparse 0.4.4's inject_ctes_into_sql over the render 'select * from __dbt__cte__eph' and the
  // CTE ' __dbt__cte__eph as (\n\n\nselect 2 as id\n)' (the ephemeral's compiled_code inside).
  'model.shop.uses_eph': ['models/uses_eph.sql', 'with __dbt__cte__eph as (\n\n\nselect 2 as id\n) select * from __dbt__cte__eph'],
  // test_not_null's block: '\n    ' + (set) + '\n    ' + default__test_not_null's output + '\n'.
  'test.shop.not_null_configured_id': ['models/schema.yml/not_null_configured_id.sql', '\n    \n    \n\n\n\nselect id\nfrom "postgres"."analytics"."configured"\nwhere id is null\n\n\n'],
  // The snapshot block's body from just after `%}` (not stripped): the newline before config() stays, Jinja drops the body's last one.
  // Its compiled_code is in manifest.json and run_results.json only: _write_node writes no snapshot's file.
  'snapshot.shop.snap': ['snapshots/snap.sql', '\n\nselect * from "postgres"."analytics"."plain"'],
};

describe("compiled text, as dbt's compile writes it", () => {
  const dir = testdir(FILES);
  let manifest: { nodes: Record<string, { compiled_code?: string; raw_code?: string }> };
  let results: { unique_id: string; compiled_code?: string }[];
  beforeAll(async () => {
    const result = await runTsdbt(['compile', '--project-dir', dir], { env: { HOME: dir, DBT_PROFILES_DIR: '' } });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as typeof manifest;
    results = (JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')) as { results: typeof results }).results;
  });
  afterAll(() => removeDir(dir));

  const idOf = (prefix: string) => Object.keys(manifest.nodes).find((id) => id === prefix || id.startsWith(`${prefix}.`)) ?? prefix;

  for (const [prefix, [file, text]] of Object.entries(EXPECTED)) {
    it(`${prefix}: target/compiled, manifest.json and run_results.json hold dbt's text`, () => {
      const id = idOf(prefix);
      const written = path.join(dir, 'target/compiled/shop', file);
      if (id.startsWith('snapshot.')) expect(existsSync(written)).toBe(false);
      else expect(readFileSync(written, 'utf8')).toBe(text);
      expect(manifest.nodes[id]?.compiled_code).toBe(text);
      expect(results.find((r) => r.unique_id === id)?.compiled_code).toBe(text);
    });
  }

  it("writes the ephemeral model's own compiled_code to target/compiled, as dbt's _write_node does", () => {
    expect(readFileSync(path.join(dir, 'target/compiled/shop/models/eph.sql'), 'utf8')).toBe('\n\nselect 2 as id');
  });

  // dbt's raw_code is the file as read_files.py read it, stripped (load_file_contents(strip=True));
  // a snapshot's is its block's body (extract_toplevel_blocks), as written.
  it("writes raw_code as dbt keeps it: a whole file's text stripped, a snapshot block's body as written", () => {
    expect(manifest.nodes['model.shop.plain']?.raw_code).toBe('select 3 as id');
    expect(manifest.nodes['model.shop.configured']?.raw_code).toBe("{{ config(materialized='table') }}\n\nselect 1 as id");
    expect(manifest.nodes['snapshot.shop.snap']?.raw_code).toBe("\n{{ config(unique_key='id', strategy='check', check_cols='all') }}\nselect * from {{ ref('plain') }}\n");
  });
});

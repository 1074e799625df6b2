// A generic test removed while a property file still uses it: dbt's state: selection stops with a
// clear error (selector_methods.py, "depends on a macro or test that does not exist", dbt-core
// issue 10630) instead of selecting around the broken test, so a Slim CI run cannot pass over it.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseOrLs } from '../support/parse-or-ls.js';
import { removeDir, testdir } from '../support/testdir.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

describe('state: selection with a generic test whose macro was removed', () => {
  it('state:modified stops naming the test; state:new, which asks nothing of macros, still answers', async () => {
    const dir = testdir({
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'profiles.yml': 'demo:\n  target: ci\n  outputs:\n    ci: {type: pglite, path: memory, schema: ci_schema, threads: 1}\n',
      'models/model_a.sql': 'select 1 as id\n',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: model_a\n    columns:\n      - name: id\n        data_tests:\n          - sample_test\n',
      'tests/generic/sample_test.sql': '{% test sample_test(model, column_name) %}\n    select * from {{ model }} where {{ column_name }} is null\n{% endtest %}\n',
    });
    dirs.push(dir);
    expect((await parseOrLs(dir, 'parse', { noPartialParse: true })).code).toBe(0);
    mkdirSync(path.join(dir, 'state'));
    cpSync(path.join(dir, 'target', 'manifest.json'), path.join(dir, 'state', 'manifest.json'));
    expect((await parseOrLs(dir, 'ls', { select: ['state:modified'], state: 'state' })).lines.filter((l) => /^[\w.]+$/.test(l))).toEqual([]);

    rmSync(path.join(dir, 'tests', 'generic', 'sample_test.sql'));
    const modified = await parseOrLs(dir, 'ls', { select: ['state:modified'], state: 'state', noPartialParse: true });
    expect(modified.code).toBe(2);
    expect(modified.lines.join('\n')).toContain(
      "Node 'sample_test_model_a_id' (in models/schema.yml) depends on a macro or test that does not exist. This can happen when a macro or generic test is removed but is still referenced.",
    );
    const fresh = await parseOrLs(dir, 'ls', { select: ['state:new'], state: 'state', noPartialParse: true });
    expect(fresh.code, fresh.lines.join('\n')).toBe(0);
  }, 300_000);
});

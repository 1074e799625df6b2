// A statement PGlite cannot run because it exhausts the JavaScript stack (a model of tens of
// thousands of UNION ALLs) must fail on its own node with the real reason. PGlite swallows that
// fault: the CREATE used to read as a success and the next statement failed with a misleading
// `relation "..__dbt_tmp" does not exist`.
import { afterAll, describe, expect, it } from 'vitest';
import { queryProjectPglite } from '../support/pglite-query.js';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

// `n` selects joined by UNION ALL: 3 builds quickly; 50,000 is far past what PGlite's wasm can
// nest at Node's default stack (it fails from about 7,000), and fails in milliseconds.
const WIDE_MODEL = [
  "{{ config(materialized='table') }}",
  "{% for i in range(var('n')) %}{% if not loop.first %}union all\n{% endif %}select {{ i }} as x\n{% endfor %}",
  '',
].join('\n');

describe('a statement too deeply nested for PGlite', () => {
  const dir = testdir({
    'dbt_project.yml': MINIMAL_PROJECT_YML,
    'models/wide.sql': WIDE_MODEL,
    'models/after_wide.sql': 'select count(*) as n from {{ ref("wide") }}\n',
    'models/independent.sql': "{{ config(materialized='table') }}\nselect {{ var('n') }} as n\n",
  });
  const env = { HOME: dir, DBT_PROFILES_DIR: '' };
  afterAll(() => removeDir(dir));

  it('fails its node with "stack depth limit exceeded", keeps the previous table, and the rest of the run goes on', async () => {
    const first = await runTsdbt(['run', '--project-dir', dir, '--vars', '{n: 3}'], { env });
    expect(first.code, first.stdout + first.stderr).toBe(0);

    // One thread: `independent` runs after `wide` failed, on the same PGlite instance.
    const second = await runTsdbt(['run', '--project-dir', dir, '--vars', '{n: 50000}', '--threads', '1'], { env });
    const out = second.stdout + second.stderr;
    expect(second.code, out).toBe(1);
    expect(out).toMatch(/1 of 3 ERROR creating sql table model analytics\.wide/);
    expect(out).toContain('stack depth limit exceeded: the embedded PostgreSQL (PGlite) ran out of JavaScript stack running this statement (RangeError: Maximum call stack size exceeded)');
    expect(out).toContain('SQLSTATE 54001');
    expect(out).toContain('split the model into smaller models');
    expect(out).not.toContain('__dbt_tmp');
    expect(out).toMatch(/SKIP sql view model analytics\.after_wide/);
    // The engine is still usable after the fault: the node that does not depend on it was built.
    expect(out).toMatch(/3 of 3 OK created sql table model analytics\.independent/);
    expect(out).toMatch(/Done\. PASS=1 WARN=0 ERROR=1 SKIP=1/);

    // The failed build never replaced the previous relation; the other node has the new value.
    expect(await queryProjectPglite(dir, 'select x from analytics.wide order by x')).toEqual([{ x: 0 }, { x: 1 }, { x: 2 }]);
    expect(await queryProjectPglite(dir, 'select n from analytics.independent')).toEqual([{ n: 50000 }]);
    // Nothing of the failed statement's transaction is left behind.
    expect(await queryProjectPglite(dir, "select count(*)::int as n from pg_class where relname like 'wide__%'")).toEqual([{ n: 0 }]);
  });
});

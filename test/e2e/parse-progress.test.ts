// A parse or compile still running after a while says where it is (the house rule: a line for any
// step longer than two seconds; a 10,000-model parse took 6 s in silence). TSDBT_SLOW_STEP_MS=0
// makes "a while" now, so the first status of a small project's parse is reported; parse and
// compile are synchronous loops, so the line comes from the loop's own status, not a timer.
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

describe('progress of a slow parse and compile', () => {
  const dir = testdir({
    'dbt_project.yml': MINIMAL_PROJECT_YML,
    'models/a.sql': 'select 1 as id',
    'models/b.sql': "select id from {{ ref('a') }}",
    'models/schema.yml': 'version: 2\nmodels:\n  - name: b\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
  });
  afterAll(() => removeDir(dir));

  it('says what the parse is doing once a line is due, and still parses everything', async () => {
    const out = await runTsdbt(['parse', '--no-partial-parse', '--project-dir', dir], { env: { HOME: dir, TSDBT_SLOW_STEP_MS: '0' } });
    expect(out.code, out.stdout + out.stderr).toBe(0);
    const progress = out.stdout.split('\n').filter((l) => l.includes('Parsing the project: '));
    // One line: the next is due only after the repeat interval (10 s).
    expect(progress).toHaveLength(1);
    expect(progress[0]).toMatch(/Parsing the project: reading the project's files$/);
    expect(out.stdout).toMatch(/Found 2 models, 1 test, /);
  });

  it('says how many nodes compile has rendered, then compiles them all', async () => {
    const out = await runTsdbt(['compile', '--project-dir', dir], { env: { HOME: dir, TSDBT_SLOW_STEP_MS: '0' } });
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toMatch(/Compiling: 0 of 3 nodes$/m);
    expect(out.stdout).toContain('Compiled 3 nodes into target/compiled');
  });

  it('says nothing before its first delay', async () => {
    const out = await runTsdbt(['compile', '--no-partial-parse', '--project-dir', dir], { env: { HOME: dir, TSDBT_SLOW_STEP_MS: '3600000' } });
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).not.toMatch(/Parsing the project: |Compiling: /);
    expect(out.stdout).toContain('Compiled 3 nodes into target/compiled');
  });
});

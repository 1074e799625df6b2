// dbt 1.10 deprecates `--models` / `--model` / `-m` (still an alias of --select): it warns
// ModelParamUsageDeprecation in its words, an error under --warn-error-options, silenced by them.
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

describe('ModelParamUsageDeprecation', () => {
  const dir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, 'models/a.sql': 'select 1 as x\n' });
  afterAll(() => removeDir(dir));
  const text = 'Usage of `--models`, `--model`, and `-m` is deprecated in favor of `--select` or `-s`.';

  it('warns when -m is given, selects as --select does, and not for -s', async () => {
    const m = await runTsdbt(['ls', '-m', 'a', '--project-dir', dir]);
    expect(m.code, m.stdout + m.stderr).toBe(0);
    expect(m.stdout + m.stderr).toContain(text);
    expect(m.stdout).toContain('demo.a');
    const s = await runTsdbt(['ls', '-s', 'a', '--project-dir', dir]);
    expect(s.stdout + s.stderr).not.toContain(text);
  });

  it('is an error when --warn-error-options name it, and silenced when they silence it', async () => {
    const err = await runTsdbt(['ls', '--model', 'a', '--project-dir', dir, '--warn-error-options', '{"error": ["ModelParamUsageDeprecation"]}']);
    expect(err.code).not.toBe(0);
    expect(err.stdout + err.stderr).toContain(text);
    const quiet = await runTsdbt(['ls', '--models', 'a', '--project-dir', dir, '--warn-error-options', '{"silence": ["ModelParamUsageDeprecation"]}']);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout + quiet.stderr).not.toContain(text);
  });
});

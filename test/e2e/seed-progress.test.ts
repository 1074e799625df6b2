// A seed still loading after a while says how far it got (issue 20: a line for any step longer
// than two seconds). TSDBT_SLOW_STEP_MS=0 makes "a while" now, so the line shows on a small file;
// the file spans several reads, so the load yields to the timer at least once.
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

describe('progress of a large seed', () => {
  const rows = Array.from({ length: 6000 }, (_, i) => `${i},name_${i},${'x'.repeat(20)}`);
  const dir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, 'seeds/big.csv': `id,name,pad\n${rows.join('\n')}\n` });
  afterAll(() => removeDir(dir));

  it('reports the rows read so far while it loads, then loads them all', async () => {
    const out = await runTsdbt(['seed', '--project-dir', dir], { env: { HOME: dir, TSDBT_SLOW_STEP_MS: '0' } });
    expect(out.code, out.stdout + out.stderr).toBe(0);
    const progress = out.stdout.split('\n').filter((l) => / big: loading seeds\/big\.csv: [\d,]+ rows read so far$/.test(l));
    expect(progress.length).toBeGreaterThan(0);
    expect(out.stdout).toMatch(/OK loaded seed file \S+\.big \.+ \[INSERT 6000 in /);
    // Before its first delay, a step says nothing.
    const quiet = await runTsdbt(['seed', '--project-dir', dir], { env: { HOME: dir, TSDBT_SLOW_STEP_MS: '3600000' } });
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).not.toContain('rows read so far');
  });
});

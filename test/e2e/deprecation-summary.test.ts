// dbt 1.10's deprecation handling (dbt/deprecations.py, dbt_common's WarnErrorOptionsV2): each
// kind of deprecation is warned the first time only (every time with --show-all-deprecations),
// every occurrence is counted, and the command ends with DeprecationsSummary; warn_error_options
// name them all at once as `Deprecations`, and their old keys include/exclude are themselves a
// deprecation (WEOIncludeExcludeDeprecation). dbt 1.11 deprecates calling modules.itertools.
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';
import { jsonLogEvents } from '../support/json-log.js';

const ITERTOOLS = 'Usage of itertools modules is deprecated. Please use the built-in functions instead.';

/** Output lines without their time stamps. */
function lines(output: string): string[] {
  return output
    .split('\n')
    .map((l) => l.replace(/^\d\d:\d\d:\d\d\s+/, ''))
    .filter(Boolean);
}

describe('deprecations: the first of each kind, then a summary', () => {
  const dir = testdir({
    'dbt_project.yml': MINIMAL_PROJECT_YML,
    // Three calls of itertools functions when compiled (chain, product, and chain.from_iterable).
    'models/pairs.sql':
      "{% set a = modules.itertools.chain([1], [2]) %}{% set b = modules.itertools.product([1], [2]) %}{% set c = modules.itertools.chain.from_iterable([[3]]) %}select {{ a | length }} as a, {{ b | length }} as b, {{ c | length }} as c\n",
  });
  afterAll(() => removeDir(dir));

  it('warns ModulesItertoolsUsageDeprecation once for three calls, counts 3, and the functions still work', async () => {
    const r = await runTsdbt(['compile', '-s', 'pairs', '--project-dir', dir]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const out = lines(r.stdout);
    expect(out.filter((l) => l === ITERTOOLS)).toHaveLength(1);
    expect(out).toContain('select 2 as a, 1 as b, 1 as c');
    expect(out.slice(out.indexOf('Summary of encountered deprecations:'))).toEqual([
      'Summary of encountered deprecations:',
      '- ModulesItertoolsUsageDeprecation: 3 occurrences',
      'To see all deprecation instances instead of just the first occurrence of each, run command again with the `--show-all-deprecations` flag.',
    ]);
  });

  it('--show-all-deprecations warns each occurrence, and the summary drops its hint', async () => {
    const r = await runTsdbt(['compile', '-s', 'pairs', '--project-dir', dir, '--show-all-deprecations']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const out = lines(r.stdout);
    expect(out.filter((l) => l === ITERTOOLS)).toHaveLength(3);
    expect(out.slice(out.indexOf('Summary of encountered deprecations:'))).toEqual(['Summary of encountered deprecations:', '- ModulesItertoolsUsageDeprecation: 3 occurrences']);
  });

  it('the JSON log carries the summary as dbt writes its data; warn_error_options include/exclude are warned once as WEOIncludeExcludeDeprecation', async () => {
    const r = await runTsdbt(['compile', '-s', 'pairs', '--project-dir', dir, '--log-format', 'json', '--warn-error-options', '{"include": ["NothingToDo"]}']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const events = jsonLogEvents(r.stdout);
    expect(events.filter((e) => e.name === 'WEOIncludeExcludeDeprecation').map((e) => [e.code, e.msg])).toEqual([['D031', 'Found `include` in `warn_error_options` specification. Please use `error` instead of `include`.']]);
    expect(events.find((e) => e.name === 'DeprecationsSummary')?.data).toEqual({
      summaries: [
        { event_name: 'WEOIncludeExcludeDeprecation', event_code: 'D031', occurrences: 1 },
        { event_name: 'ModulesItertoolsUsageDeprecation', event_code: 'D034', occurrences: 3 },
      ],
      show_all_hint: true,
    });
  });

  it('{"error": ["Deprecations"]} fails on the first deprecation (the summary then stays a warning); {"silence": ["Deprecations"]} prints none, summary included', async () => {
    const failed = await runTsdbt(['compile', '-s', 'pairs', '--project-dir', dir, '--warn-error-options', '{"error": ["Deprecations"]}']);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('this warning (ModulesItertoolsUsageDeprecation) is an error');
    expect(failed.stderr.match(/Encountered an error/g)).toHaveLength(1);
    expect(lines(failed.stdout)).toContain('- ModulesItertoolsUsageDeprecation: 1 occurrence');
    const quiet = await runTsdbt(['compile', '-s', 'pairs', '--project-dir', dir, '--warn-error-options', '{"silence": ["Deprecations"]}']);
    expect(quiet.code, quiet.stdout + quiet.stderr).toBe(0);
    expect(quiet.stdout).not.toContain('itertools');
    expect(quiet.stdout).not.toContain('Summary of encountered deprecations');
  });

  it('retry counts the retried run\'s deprecations in its summary', async () => {
    const failing = testdir({
      'dbt_project.yml': MINIMAL_PROJECT_YML,
      'models/broken.sql': '{% set a = modules.itertools.chain([1], [2]) %}select * from no_such_table_{{ a | length }}\n',
    });
    try {
      const run = await runTsdbt(['run', '--project-dir', failing]);
      expect(run.code).toBe(1);
      const retry = await runTsdbt(['retry', '--project-dir', failing]);
      expect(retry.code).toBe(1);
      const out = lines(retry.stdout);
      expect(out).toContain(ITERTOOLS);
      expect(out).toContain('- ModulesItertoolsUsageDeprecation: 1 occurrence');
    } finally {
      removeDir(failing);
    }
  });
});

// Warnings dbt fires with fire_event rather than warn_or_error (MicrobatchModelNoEventTimeInputs)
// stay warnings under --warn-error, unless dbt_project.yml sets the behaviour flag
// `require_all_warnings_handled_by_warn_error: true` (dbt 1.10+; docs "Behavior changes"), which
// makes --warn-error raise them as it raises the others. dbt-core's
// configs/test_warn_error_options.py, TestRequireAllWarningsHandledByWarnErrorBehaviorFlag.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { PGLITE_PROFILES } from '../support/parse-files.js';
import { removeDir, testdir } from '../support/testdir.js';

const MICROBATCH = "{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='event_ts', batch_size='day', begin='2024-01-01') }}\nselect * from {{ ref('plain') }}\n";

async function parseWarnError(flag: boolean | null): Promise<{ code: number | null; out: string; log: string }> {
  const flags = flag === null ? '' : `flags:\n  require_all_warnings_handled_by_warn_error: ${String(flag)}\n`;
  const dir = testdir({
    'dbt_project.yml': `name: demo\nprofile: demo\n${flags}`,
    'profiles.yml': PGLITE_PROFILES,
    'models/plain.sql': "select 1 as id, timestamp '2024-01-01' as event_ts\n",
    'models/m.sql': MICROBATCH,
  });
  try {
    const r = await runTsdbt(['--warn-error', '--log-format-file', 'json', 'parse', '--project-dir', dir, '--profiles-dir', dir]);
    return { code: r.code, out: r.stdout + r.stderr, log: readFileSync(path.join(dir, 'logs', 'dbt.log'), 'utf8') };
  } finally {
    removeDir(dir);
  }
}

describe('require_all_warnings_handled_by_warn_error', () => {
  const warning = "The microbatch model 'm' has no 'ref' or 'source' input with an 'event_time' configuration.";

  it('leaves a fired warning a warning under --warn-error by default (and with the flag false)', async () => {
    for (const flag of [null, false]) {
      const { code, out } = await parseWarnError(flag);
      expect(code, out).toBe(0);
      expect(out).toContain(warning);
    }
  });

  it('raises it as an error with the flag true', async () => {
    const { code, out, log } = await parseWarnError(true);
    expect(code).toBe(2);
    expect(out).toContain(warning);
    expect(out).not.toContain('Parsed the project');
    // The fatal error is dbt's MainEncounteredError in dbt.log too, the warning no longer a warning there.
    const events = log.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { info: { name: string; level: string; msg: string } });
    const fatal = events.filter((e) => e.info.name === 'MainEncounteredError');
    expect(fatal.map((e) => e.info.level)).toEqual(['error']);
    expect(fatal[0]?.info.msg).toContain(warning);
    expect(events.filter((e) => e.info.name === 'MicrobatchModelNoEventTimeInputs')).toEqual([]);
  });
});

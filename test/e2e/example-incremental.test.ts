// The example project, run incrementally: build with the events received before a cutoff, then
// with all of them (late events that bridge sessions, redelivered duplicates and all). The second
// run must take the incremental path (MERGE into stg_events, delete+insert of the touched users'
// sessions) and end with exactly the sessions the oracle computes from the full seed file.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { makeExampleProjectDir, readSessionMetrics, readUserSessions } from '../support/example-project.js';
import { runTsdbt } from '../support/run-cli.js';
import { expectedFromSeeds } from '../support/sessionize.js';
import { removeDir } from '../support/testdir.js';

describe('example project, incremental runs', () => {
  let dir = '';
  afterAll(() => dir && removeDir(dir));

  it('a second build with more events equals the oracle over all events', async () => {
    dir = await makeExampleProjectDir();
    const csvPath = path.join(dir, 'seeds/raw_click_events.csv');
    const full = readFileSync(csvPath, 'utf8');
    const rows = parse(full, { raw: true, bom: true, skip_empty_lines: true }) as unknown as { record: string[]; raw: string }[];
    const [header, ...data] = rows;
    const receivedAt = header!.record.indexOf('received_at');
    const times = data.map((r) => r.record[receivedAt] as string).sort();
    const cutoff = times[Math.floor(times.length * 0.7)] as string;
    const early = data.filter((r) => (r.record[receivedAt] as string) < cutoff);
    writeFileSync(csvPath, [header!.raw, ...early.map((r) => r.raw)].map((l) => l.replace(/\r?\n$/, '')).join('\n') + '\n');

    const first = await runTsdbt(['build', '--project-dir', dir]);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toMatch(/analytics\.stg_events .*\[SELECT \d+/);

    writeFileSync(csvPath, full);
    const second = await runTsdbt(['build', '--project-dir', dir]);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toMatch(/analytics\.stg_events .*\[MERGE \d+/);
    expect(second.stdout).toMatch(/analytics\.int_sessions .*\[INSERT \d+/);
    expect(second.stdout).toMatch(/analytics\.mart_session_metrics .*\[INSERT \d+/);

    const expected = expectedFromSeeds(dir);
    const db = new PGlite(path.join(dir, 'target', 'tsdbt.pglite'));
    try {
      const query = async (sql: string) => (await db.query<Record<string, unknown>>(sql)).rows;
      expect(await readSessionMetrics(query, 'analytics')).toEqual(expected.sessions);
      expect(await readUserSessions(query, 'analytics')).toEqual(expected.userSessions);
      const staged = await query('select count(*)::int as n from analytics.stg_events');
      expect(staged[0]?.n).toBe(expected.events.length);
      // The snapshot of session metrics: one current row per session, and closed versions for the
      // sessions the late events extended, merged or replaced.
      const history = await query(
        'select count(*) filter (where dbt_valid_to is null)::int as current, count(*) filter (where dbt_valid_to is not null)::int as closed from analytics_snapshots.session_metrics_snapshot',
      );
      expect(history[0]?.current).toBe(expected.sessions.length);
      expect(history[0]?.closed).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  }, 300_000);
});

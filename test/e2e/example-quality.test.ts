// The example project's five real-time quality checks (../shared/seeds/akili-realtime-sessionization.txt),
// on the PostgreSQL server and on PGlite, with a controlled clock: no null users and non-negative
// durations (critical), at most 10,000 page views per session (warning), sessions at most 15
// minutes stale (critical) and a quiet business-hours day (warning). The two clock checks run when
// the pipeline is live (`realtime_checks: true`); out of the box the build stays green.
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAREHOUSES, warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const LIVE = '{realtime_checks: true}';
const statusOf = (outcome: RunOutcome, name: string) => {
  const r = outcome.results.find((x) => x.unique_id.split('.')[2] === name);
  return r ? `${r.status}${r.failures === null ? '' : ` ${r.failures}`}` : 'absent';
};

describe.each(WAREHOUSES)('example quality checks on %s', (kind) => {
  let p: WarehouseProject;
  let first: RunOutcome;
  let latestEnd: Date;
  beforeAll(async () => {
    p = warehouseProject(kind, {}, { example: true });
    first = await p.run('build');
    const [row] = await p.sql(`select to_char(max(session_end), 'YYYY-MM-DD"T"HH24:MI:SS') as latest from ${p.schema}.mart_session_metrics`);
    latestEnd = new Date(`${String(row?.latest)}Z`);
  }, 300_000);
  afterAll(() => p.cleanup());

  it('out of the box: the critical and page-view checks pass, the clock checks are off', () => {
    expect(first.code, first.output).toBe(0);
    expect(statusOf(first, 'no_null_users')).toBe('pass 0');
    expect(statusOf(first, 'assert_session_duration_non_negative')).toBe('pass 0');
    expect(statusOf(first, 'reasonable_page_views')).toBe('pass 0');
    expect(statusOf(first, 'sessions_fresh')).toBe('absent');
    expect(statusOf(first, 'session_count_anomaly')).toBe('absent');
  });

  it('live, 10 minutes after the newest session: fresh, and a quiet business-hours day warns', async () => {
    const now = new Date(latestEnd.getTime() + 10 * 60_000);
    const live = await p.run('build', { vars: LIVE, now: () => now, select: ['mart_session_metrics+'] });
    expect(live.code, live.output).toBe(0);
    expect(statusOf(live, 'sessions_fresh')).toBe('pass 0');
    // The bundled day has far fewer than 100 sessions; the newest one ends during business hours.
    expect(now.getUTCHours()).toBeGreaterThanOrEqual(8);
    expect(now.getUTCHours()).toBeLessThanOrEqual(22);
    expect(statusOf(live, 'session_count_anomaly')).toBe('warn 1');
    expect(statusOf(live, 'user_sessions')).toBe('success');
    // Outside business hours the same quiet day is not an anomaly.
    const night = new Date(`${latestEnd.toISOString().slice(0, 10)}T23:30:00Z`);
    const late = await p.run('test', { vars: LIVE, now: () => night, select: ['session_count_anomaly'] });
    expect(statusOf(late, 'session_count_anomaly')).toBe('pass 0');
  });

  it('live, 20 minutes after the newest session: stale sessions fail the build and stop what follows', async () => {
    const now = new Date(latestEnd.getTime() + 20 * 60_000);
    const stale = await p.run('build', { vars: LIVE, now: () => now, select: ['mart_session_metrics+'] });
    expect(stale.code).toBe(1);
    expect(statusOf(stale, 'sessions_fresh')).toBe('fail 1');
    expect(statusOf(stale, 'user_sessions')).toBe('skipped');
    expect(stale.output).toMatch(/Failure in test sessions_fresh \(models\/marts\/_marts\.yml\)/);
  });

  it('a bot session with more than 10,000 page views warns and lets the build go on', async () => {
    // 10,001 page views, one second apart: one session of user_bot.
    const start = Date.UTC(2024, 2, 4, 8, 0, 0);
    const lines: string[] = [];
    for (let i = 0; i < 10_001; i++) {
      const ts = new Date(start + i * 1000).toISOString().slice(0, 19).replace('T', ' ');
      lines.push(`s_bot,user_bot,ev_bot_${i},page_view,/p/${i % 50},,${ts},${ts}`);
    }
    appendFileSync(path.join(p.dir, 'seeds/raw_click_events.csv'), `${lines.join('\n')}\n`);
    appendFileSync(path.join(p.dir, 'seeds/user_profiles.csv'), 'user_bot,bot,free,2024-01-01,US,2024-01-01 00:00:00\n');
    const bot = await p.run('build', { fullRefresh: true });
    expect(statusOf(bot, 'reasonable_page_views')).toBe('warn 1');
    expect(statusOf(bot, 'user_sessions')).toBe('success');
    expect(bot.code, bot.output).toBe(0);
    expect(bot.output).toMatch(/Warning in test reasonable_page_views/);
    expect(await p.sql(`select page_views::int as page_views from ${p.schema}.mart_session_metrics where user_id = 'user_bot'`)).toEqual([{ page_views: 10_001 }]);
  });
});

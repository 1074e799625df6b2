// The example project, unchanged, on ClickHouse (embedded chDB): a full build equals the TypeScript
// oracle row by row; then an incremental build after late and redelivered events still equals it;
// snapshots (rebuilt and swapped on ClickHouse) keep one current row per key and record the
// sessions that late events changed.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSessionMetrics, readStagedEvents, readUserSessions, type QueryRows } from '../support/example-project.js';
import { REPO_ROOT } from '../support/run-cli.js';
import { expectedFromSeeds } from '../support/sessionize.js';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const expected = expectedFromSeeds(REPO_ROOT);

describe('example project on ClickHouse (chDB)', () => {
  let p: WarehouseProject;
  let query: QueryRows;
  let first: RunOutcome;
  let full = '';
  beforeAll(async () => {
    p = warehouseProject('chdb', {}, { example: true });
    query = (sql) => p.sql(sql);
    // First build with the deliveries received before a cutoff (70% of them).
    const csvPath = path.join(p.dir, 'seeds/raw_click_events.csv');
    full = readFileSync(csvPath, 'utf8');
    const rows = parse(full, { raw: true, bom: true, skip_empty_lines: true }) as unknown as { record: string[]; raw: string }[];
    const [header, ...data] = rows;
    const receivedAt = header!.record.indexOf('received_at');
    const cutoff = data.map((r) => r.record[receivedAt] as string).sort()[Math.floor(data.length * 0.7)] as string;
    const early = data.filter((r) => (r.record[receivedAt] as string) < cutoff);
    writeFileSync(csvPath, [header!.raw, ...early.map((r) => r.raw)].map((l) => l.replace(/\r?\n$/, '')).join('\n') + '\n');
    first = await p.run('build');
  }, 300_000);
  afterAll(() => p.cleanup());

  it('builds every node of the project', () => {
    expect(first.code, first.output).toBe(0);
    expect(first.results.filter((r) => r.status !== 'success' && r.status !== 'pass')).toEqual([]);
  });

  it('after the late events arrive, an incremental build equals the oracle over all events', async () => {
    writeFileSync(path.join(p.dir, 'seeds/raw_click_events.csv'), full);
    const second = await p.run('build');
    expect(second.code, second.output).toBe(0);
    // The incremental path: delete+insert (ClickHouse has no MERGE), not a rebuild.
    expect(second.output).toMatch(/OK created sql incremental model \S+\.stg_events \.+ \[INSERT/);
    const events = await readStagedEvents(query, `\`${p.schema}\``, 'clickhouse');
    expect(events.length).toBe(new Set(expected.rawEvents.map((e) => e.event_id)).size);
    expect(events).toEqual(expected.events);
    const sessions = await readSessionMetrics(query, `\`${p.schema}\``, 'clickhouse');
    expect(sessions.length).toBe(expected.sessions.length);
    for (let i = 0; i < sessions.length; i++) expect(sessions[i], `row ${i}`).toEqual(expected.sessions[i]);
    const userSessions = await readUserSessions(query, `\`${p.schema}\``, 'clickhouse');
    expect(userSessions).toEqual(expected.userSessions);
  });

  it('snapshots keep one current version per key and record sessions changed by late events', async () => {
    const snapshots = `\`${p.schema}_snapshots\``;
    expect(await p.sql(`select count() as n from (select session_id from ${snapshots}.session_metrics_snapshot where dbt_valid_to is null group by session_id having count() > 1)`)).toEqual([{ n: 0 }]);
    const [current] = await p.sql(`select count() as n from ${snapshots}.session_metrics_snapshot where dbt_valid_to is null`);
    expect(Number(current?.n)).toBe(expected.sessions.length);
    const [closed] = await p.sql(`select count() as n from ${snapshots}.session_metrics_snapshot where dbt_valid_to is not null`);
    // Sessions the late events extended or merged got a new version, the old one closed.
    expect(Number(closed?.n)).toBeGreaterThan(0);
    const [profiles] = await p.sql(`select count() as n, uniqExact(user_id) as users from ${snapshots}.user_profiles_snapshot where dbt_valid_to is null`);
    expect(Number(profiles?.n)).toBe(Number(profiles?.users));
  });
});

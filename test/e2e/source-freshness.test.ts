// `tsdbt source freshness` on the PostgreSQL server and on PGlite, with a controlled clock (no
// sleeps): warn_after / error_after in minutes, hours and days, a filter, loaded_at_query (with
// Jinja, rendered when it runs: `{{ this }}` is the source table), a table
// opting out with `freshness: null`, an empty table, sources.json (v3) field by field, dbt's exit
// codes, and `source_status:fresher` against an earlier run's sources.json (--state). Also on
// ClickHouse (chDB).
import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lsCommand } from '../../src/app/commands.js';
import { createInvocation } from '../../src/app/invocation.js';
import { sourceFreshnessCommand } from '../../src/app/source-freshness.js';
import { WAREHOUSES, warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

interface SourcesJson {
  metadata: { dbt_schema_version: string };
  results: { unique_id: string; status: string; max_loaded_at: string | null; snapshotted_at: string; max_loaded_at_time_ago_in_s: number | null; criteria: unknown }[];
}

const sourcesYaml = (schema: string) => `version: 2
sources:
  - name: raw
    schema: ${schema}_raw
    loaded_at_field: loaded_at
    freshness:
      warn_after: {count: 5, period: minute}
      error_after: {count: 15, period: minute}
    tables:
      - name: events
      - name: old_only
        identifier: events
        freshness:
          warn_after: {count: 5, period: minute}
          error_after: {count: 2, period: hour}
          filter: "kind = 'old'"
      - name: by_query
        identifier: events
        # rendered when freshness runs (dbt): {{ this }} is the source table
        loaded_at_query: "select max(loaded_at) from {{ this }} where kind = 'new'"
      - name: daily
        identifier: events
        config:
          freshness: {warn_after: {count: 1, period: hour}, error_after: {count: 1, period: day}}
      - name: unchecked
        identifier: events
        freshness: null
      - name: empty
        identifier: empty_events
`;

describe.each([...WAREHOUSES, 'chdb'] as const)('source freshness on %s', (kind) => {
  let p: WarehouseProject;
  beforeAll(async () => {
    p = warehouseProject(kind, { 'models/one.sql': 'select 1 as id\n' });
    p.write('models/sources.yml', sourcesYaml(p.schema));
    const ch = kind === 'chdb';
    // On ClickHouse the load times are DateTime('UTC'): a plain DateTime is in the server's zone.
    const ts = ch ? "DateTime('UTC')" : 'timestamp';
    const engine = ch ? ' engine = MergeTree order by tuple()' : '';
    for (const statement of [
      `create ${ch ? 'database' : 'schema'} ${p.schema}_raw`,
      `create table ${p.schema}_raw.events (id int, kind text, loaded_at ${ts})${engine}`,
      `insert into ${p.schema}_raw.events values (1, 'old', '2024-05-01 11:00:00'), (2, 'new', '2024-05-01 12:00:00')`,
      `create table ${p.schema}_raw.empty_events (id int, loaded_at ${ts})${engine}`,
    ]) {
      await p.sql(statement);
    }
  }, 300_000);
  afterAll(() => p.cleanup());

  const check = async (now: string, select?: string[], state?: string, warnErrorOptions?: string) => {
    const lines: string[] = [];
    const inv = createInvocation({
      projectDir: p.dir,
      now: () => new Date(`${now}Z`),
      select,
      state,
      warnErrorOptions,
      write: (l) => lines.push(l),
      writeError: (l) => lines.push(l),
      env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: p.dir },
    });
    const code = await sourceFreshnessCommand(inv);
    const json = JSON.parse(readFileSync(path.join(p.dir, 'target', 'sources.json'), 'utf8')) as SourcesJson;
    const status = Object.fromEntries(json.results.map((r) => [r.unique_id.split('.').slice(2).join('.'), r.status]));
    return { code, output: lines.join('\n'), json, status };
  };

  it('grades every source with criteria and writes sources.json', async () => {
    const run = await check('2024-05-01 12:10:00');
    expect(run.status).toEqual({
      'raw.events': 'warn', // 10 minutes: past warn_after (5), within error_after (15)
      'raw.old_only': 'warn', // the filter keeps the 11:00 row: 70 minutes, past warn_after, within 2 hours
      'raw.by_query': 'warn',
      'raw.daily': 'pass',
      'raw.empty': 'error', // no loaded_at at all
    });
    expect(run.code).toBe(1);
    expect(run.json.metadata.dbt_schema_version).toBe('https://schemas.getdbt.com/dbt/sources/v3.json');
    const events = run.json.results.find((r) => r.unique_id === 'source.demo.raw.events');
    expect(events).toMatchObject({
      status: 'warn',
      max_loaded_at: '2024-05-01T12:00:00+00:00', // Python's isoformat, as dbt writes it
      snapshotted_at: '2024-05-01T12:10:00.000Z',
      max_loaded_at_time_ago_in_s: 600,
      criteria: { warn_after: { count: 5, period: 'minute' }, error_after: { count: 15, period: 'minute' }, filter: null },
    });
    // dbt's runner times two steps, compile (the query built) then execute.
    expect((events as unknown as { timing: { name: string }[] }).timing.map((t) => t.name)).toEqual(['compile', 'execute']);
    expect(run.json.results.find((r) => r.unique_id === 'source.demo.raw.old_only')?.max_loaded_at_time_ago_in_s).toBe(70 * 60);
    expect(run.json.results.find((r) => r.unique_id === 'source.demo.raw.empty')).toMatchObject({ max_loaded_at: null, max_loaded_at_time_ago_in_s: null });
    expect(run.output).toMatch(/1 of 5 START freshness of raw\.events \.+ \[RUN\]/);
    expect(run.output).toMatch(/WARN freshness of raw\.events \.+ \[WARN in /);
    expect(run.output).toMatch(/ERROR STALE freshness of raw\.empty \.+ \[ERROR STALE in /);
    // dbt's FreshnessTask ends as a RunTask does, with its own closing line: the sources counted
    // (FinishedRunningStats), then FreshnessCheckComplete's "Done." (no PASS/WARN/ERROR counts).
    expect(run.output).toMatch(/\n\S*\s*\n\S*\s*Finished running 5 sources in 0 hours 0 minutes and \d+\.\d\d seconds \(\d+\.\d\ds\)\.\n(.*\n)*\S*\s*Done\.\n?$/);
    expect(run.output).not.toContain('PASS=');
  });

  it('exits 0 on warnings, 1 once a selected source is past error_after', async () => {
    const fresh = await check('2024-05-01 12:02:00', ['source:raw.events', 'source:raw.daily']);
    expect(fresh.status).toEqual({ 'raw.events': 'pass', 'raw.daily': 'pass' });
    expect(fresh.code).toBe(0);
    const warned = await check('2024-05-01 12:14:59', ['source:raw.events', 'source:raw.daily']);
    expect(warned.status).toEqual({ 'raw.events': 'warn', 'raw.daily': 'pass' });
    expect(warned.code).toBe(0);
    const stale = await check('2024-05-01 12:16:00', ['source:raw.events', 'source:raw.daily']);
    expect(stale.status).toEqual({ 'raw.events': 'error', 'raw.daily': 'pass' });
    expect(stale.code).toBe(1);
    const days = await check('2024-05-02 13:00:00', ['source:raw.daily']);
    expect(days.status).toEqual({ 'raw.daily': 'error' });
    const hours = await check('2024-05-01 13:30:00', ['source:raw.daily']);
    expect(hours.status).toEqual({ 'raw.daily': 'warn' });
  });

  it('a check past warn_after is an error under --warn-error-options listing LogFreshnessResult (exit 1)', async () => {
    const promoted = await check('2024-05-01 12:14:59', ['source:raw.events', 'source:raw.daily'], undefined, '{error: [LogFreshnessResult]}');
    expect(promoted.status).toEqual({ 'raw.events': 'error', 'raw.daily': 'pass' });
    expect(promoted.code).toBe(1);
    const kept = await check('2024-05-01 12:14:59', ['source:raw.events'], undefined, '{error: all, warn: [LogFreshnessResult]}');
    expect(kept.status).toEqual({ 'raw.events': 'warn' });
    expect(kept.code).toBe(0);
  });

  it('selects sources loaded since an earlier run with source_status:fresher', async () => {
    await check('2024-05-01 12:10:00');
    const state = path.join(p.dir, 'state');
    cpSync(path.join(p.dir, 'target'), state, { recursive: true });
    await p.sql(`insert into ${p.schema}_raw.events values (3, 'new', '2024-05-01 12:30:00')`);
    const later = await check('2024-05-01 12:31:00');
    expect(later.status['raw.events']).toBe('pass');
    const lines: string[] = [];
    const inv = createInvocation({
      projectDir: p.dir,
      select: ['source_status:fresher'],
      state,
      write: (l) => lines.push(l),
      writeError: (l) => lines.push(l),
      env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: p.dir },
    });
    expect(await lsCommand(inv, 'selector')).toBe(0);
    // old_only's filter and the empty table saw nothing new.
    expect(lines.filter((l) => l.startsWith('source:')).sort()).toEqual(['source:demo.raw.by_query', 'source:demo.raw.daily', 'source:demo.raw.events']);
  });

  it('rejects a period dbt does not know, with the file and line', async () => {
    p.write('models/sources.yml', sourcesYaml(p.schema).replace('period: hour}, error_after: {count: 1, period: day}', 'period: weeks}, error_after: {count: 1, period: day}'));
    const error = await check('2024-05-01 12:10:00').catch((err: unknown) => err as Error & { format(): string });
    expect((error as { format(): string }).format()).toMatch(/^models\/sources\.yml:\d+: freshness warn_after\.period must be minute, hour or day, got "weeks"/);
    p.write('models/sources.yml', sourcesYaml(p.schema));
  });
});

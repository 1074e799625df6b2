// Microbatch on the PostgreSQL server with a controlled clock: 5-minute batches (dbt stops at an
// hour), inputs filtered to each batch's window, completion recorded so a re-run does only what is
// missing plus the lookback, a backfill range, and a failing batch retried and reported alone.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/app/commands.js';
import { retryCommand } from '../../src/app/retry-command.js';
import { createInvocation } from '../../src/app/invocation.js';
import { dropTestSchema, profilesYaml, serverTarget, uniqueSchema } from '../support/postgres-targets.js';
import { useServerSession } from '../support/server-session.js';
import { removeDir, testdir } from '../support/testdir.js';

const { q, cleanups } = useServerSession();

const MODEL = (failWindow = false) => `{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='event_ts',
            begin='2024-01-01', batch_size='5 minute', lookback=1) }}
select event_id, event_ts, amount${failWindow ? " / (case when event_ts >= '2024-01-01 00:20' and event_ts < '2024-01-01 00:25' then 0 else 1 end)" : ''} as amount
from {{ source('raw', 'events') }}
`;

function project() {
  const schema = uniqueSchema('mb');
  const target = serverTarget(schema, 1);
  const dir = testdir({
    'dbt_project.yml': 'name: demo\nprofile: demo\n',
    'profiles.yml': profilesYaml('demo', target),
    'models/sources.yml': `version: 2\nsources:\n  - name: raw\n    schema: ${schema}_raw\n    tables:\n      - name: events\n        config: {event_time: event_ts}\n`,
    'models/m.sql': MODEL(),
  });
  cleanups.push(() => removeDir(dir), () => dropTestSchema(target), () => dropTestSchema({ ...target, schema: `${schema}_raw` }));
  const run = async (now: string, extra: { start?: string; end?: string; sample?: string; command?: 'run' | 'retry' } = {}) => {
    const lines: string[] = [];
    const inv = createInvocation({
      projectDir: dir,
      now: () => new Date(`${now}Z`),
      eventTimeStart: extra.start ? new Date(`${extra.start}Z`) : undefined,
      eventTimeEnd: extra.end ? new Date(`${extra.end}Z`) : undefined,
      ...(extra.sample ? { sample: extra.sample } : {}),
      write: (l) => lines.push(l),
      writeError: (l) => lines.push(l),
      env: { ...process.env, TSDBT_PROFILES_DIR: '' },
    });
    return { code: extra.command === 'retry' ? await retryCommand(inv) : await runCommand(inv, 'run'), output: lines.join('\n') };
  };
  return { schema, dir, raw: `${schema}_raw.events`, run };
}

const minutes = (rows: Record<string, unknown>[]) => rows.map((r) => String(r.m));

describe('microbatch', () => {
  it('runs 5-minute batches with filtered inputs, re-runs only what is missing, and backfills', async () => {
    const p = project();
    await q(`create schema ${p.schema}_raw`);
    await q(`create table ${p.raw} (event_id int, event_ts timestamp, amount int)`);
    await q(`insert into ${p.raw} select g, timestamp '2024-01-01 00:00' + g * interval '1 minute', g from generate_series(0, 29) g`);

    const first = await p.run('2024-01-01 00:30:00');
    expect(first.code, first.output).toBe(0);
    // Windows 00:00 ... 00:30 (the current, still empty one included).
    expect(first.output).toMatch(/MICROBATCH 7 batches, 30 rows/);
    expect(await q(`select count(*)::int as n, sum(amount)::int as s from ${p.schema}.m`)).toEqual([{ n: 30, s: 435 }]);
    const runSql = readFileSync(path.join(p.dir, 'target/run/demo/models/m.sql'), 'utf8');
    expect(runSql).toContain("where event_ts >= '2024-01-01 00:25:00+00:00' and event_ts < '2024-01-01 00:30:00+00:00') _dbt_et_filter_subq_events");

    // New events, and one late event inside an old window (00:12).
    await q(`insert into ${p.raw} values (100, '2024-01-01 00:31', 1000), (101, '2024-01-01 00:36', 1000), (102, '2024-01-01 00:12:30', 7)`);
    const second = await p.run('2024-01-01 00:38:00');
    expect(second.code, second.output).toBe(0);
    // The current window (00:35, never run) and the lookback one (00:30, run while still empty);
    // 00:10 is outside the lookback and is not reprocessed.
    expect(second.output).toMatch(/MICROBATCH 2 batches/);
    expect(await q(`select count(*)::int as n from ${p.schema}.m`)).toEqual([{ n: 32 }]);
    const state = await q(`select to_char(batch_start, 'HH24:MI') as m from ${p.schema}.tsdbt_microbatch_batches order by 1`);
    expect(minutes(state)).toEqual(['00:00', '00:05', '00:10', '00:15', '00:20', '00:25', '00:30', '00:35']);

    // A backfill of the late event's window picks it up.
    const backfill = await p.run('2024-01-01 00:38:00', { start: '2024-01-01 00:10:00', end: '2024-01-01 00:15:00' });
    expect(backfill.output).toMatch(/MICROBATCH 1 batch,/);
    expect(await q(`select count(*)::int as n, sum(amount)::int as s from ${p.schema}.m`)).toEqual([{ n: 33, s: 435 + 2007 }]);
    expect(await q(`select count(*)::int as n from (select event_id from ${p.schema}.m group by event_id having count(*) > 1) d`)).toEqual([{ n: 0 }]);
  });

  it('reports a failing batch alone, tried once as dbt does, and completes it on a later run', async () => {
    const p = project();
    await q(`create schema ${p.schema}_raw`);
    await q(`create table ${p.raw} (event_id int, event_ts timestamp, amount int)`);
    await q(`insert into ${p.raw} select g, timestamp '2024-01-01 00:00' + g * interval '1 minute', 1 from generate_series(0, 29) g`);
    writeFileSync(path.join(p.dir, 'models/m.sql'), MODEL(true));
    const failing = await p.run('2024-01-01 00:30:00');
    expect(failing.code).toBe(1);
    expect(failing.output).toMatch(/Exception on worker thread\. division by zero/);
    expect(await q(`select count(*)::int as n from ${p.schema}.m`)).toEqual([{ n: 25 }]);
    // Each batch has its own progress line; the failed one is reported alone.
    expect(failing.output).toMatch(/Batch 1 of 7 OK created batch 2024-01-01 of \S+\.m \.+ \[INSERT 0 5 in /);
    expect(failing.output).toMatch(/Batch 5 of 7 ERROR creating batch 2024-01-01 00:20 of \S+\.m \.+ \[ERROR in /);
    expect(failing.output).toMatch(/Batch 7 of 7 OK created batch 2024-01-01 00:30 of \S+\.m \.+ \[INSERT 0 0 in /);
    expect(failing.output).toMatch(/1 of 1 PARTIAL SUCCESS \(6\/7\) sql incremental model/);
    expect(failing.output).toMatch(/Completed with 1 partial success and 0 warnings\n/);
    // As dbt: the failed batch is reported as it fails (GenericExceptionOnRun), the summary lists no partial success.
    expect(failing.output).toContain('Unhandled error while executing model.demo.m\n');
    expect(failing.output).not.toContain('Failure in model m');
    // dbt's stats line counts the partial success as an error (printer.interpret_run_result).
    expect(failing.output).toContain('Done. PASS=0 WARN=0 ERROR=1 SKIP=0 NO-OP=0 TOTAL=1');
    const results = JSON.parse(readFileSync(path.join(p.dir, 'target/run_results.json'), 'utf8')) as { results: { status: string; message: string; batch_results: { successful: string[][]; failed: string[][] } }[] };
    expect(results.results[0]?.status).toBe('partial success');
    expect(results.results[0]?.message).toMatch(/1 of 7 batches failed; first: \[2024-01-01T00:20:00\.000Z, 2024-01-01T00:25:00\.000Z\): division by zero/);
    expect(results.results[0]?.batch_results.failed).toEqual([['2024-01-01T00:20:00.000Z', '2024-01-01T00:25:00.000Z']]);
    expect(results.results[0]?.batch_results.successful.map((b) => b[0]?.slice(11, 16))).toEqual(['00:00', '00:05', '00:10', '00:15', '00:25', '00:30']);
    writeFileSync(path.join(p.dir, 'models/m.sql'), MODEL());
    const fixed = await p.run('2024-01-01 00:30:00');
    expect(fixed.code, fixed.output).toBe(0);
    expect(fixed.output).toMatch(/MICROBATCH 3 batches/); // the failed window, the lookback one and the current one
    const fixedResults = JSON.parse(readFileSync(path.join(p.dir, 'target/run_results.json'), 'utf8')) as { results: { status: string; batch_results: { successful: string[][]; failed: string[][] } }[] };
    expect(fixedResults.results[0]?.status).toBe('success');
    expect(fixedResults.results[0]?.batch_results).toEqual({
      successful: [['2024-01-01T00:20:00.000Z', '2024-01-01T00:25:00.000Z'], ['2024-01-01T00:25:00.000Z', '2024-01-01T00:30:00.000Z'], ['2024-01-01T00:30:00.000Z', '2024-01-01T00:35:00.000Z']],
      failed: [],
    });
    expect(await q(`select count(*)::int as n from ${p.schema}.m`)).toEqual([{ n: 30 }]);
  });

  it('takes begin as a datetime from the template, on the first run and the ones read from the parse cache', async () => {
    const p = project();
    await q(`create schema ${p.schema}_raw`);
    await q(`create table ${p.raw} (event_id int, event_ts timestamp, amount int)`);
    await q(`insert into ${p.raw} select g, timestamp '2024-01-01 00:00' + g * interval '1 minute', g from generate_series(0, 9) g`);
    writeFileSync(path.join(p.dir, 'models/m.sql'), MODEL().replace("begin='2024-01-01'", 'begin=modules.datetime.datetime(2024, 1, 1, 0, 0, 0)'));
    const first = await p.run('2024-01-01 00:10:00');
    expect(first.code, first.output).toBe(0);
    expect(first.output).toMatch(/MICROBATCH 3 batches, 10 rows/);
    const manifest = JSON.parse(readFileSync(path.join(p.dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, { config: { begin: unknown } }> };
    // As dbt's manifest writes a datetime begin.
    expect(manifest.nodes['model.demo.m']?.config.begin).toBe('2024-01-01T00:00:00');
    const again = await p.run('2024-01-01 00:10:00');
    expect(again.code, again.output).toBe(0);
    expect(await q(`select count(*)::int as n from ${p.schema}.m`)).toEqual([{ n: 10 }]);
  });

  // dbt-postgres's get_incremental_microbatch_sql merges each batch on the unique_key over the
  // whole table; dbt's docs give each batch `model.batch` (id, event_time_start, event_time_end).
  it('merges each batch on the unique_key as dbt-postgres does, with model.batch in the render', async () => {
    const p = project();
    writeFileSync(path.join(p.dir, 'models/m.sql'), `{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='event_ts',
            begin='2024-01-01', batch_size='5 minute', lookback=1, unique_key='event_id') }}
select event_id, event_ts, amount,
  '{{ model.batch.id if model.batch is not none else "none" }}' as batch_id,
  {{ "cast('" ~ model.batch.event_time_start.strftime('%H:%M') ~ "' as text)" if model.batch else 'null' }} as batch_start
from {{ source('raw', 'events') }}
`);
    await q(`create schema ${p.schema}_raw`);
    await q(`create table ${p.raw} (event_id int, event_ts timestamp, amount int)`);
    await q(`insert into ${p.raw} select g, timestamp '2024-01-01 00:00' + g * interval '1 minute', g from generate_series(0, 29) g`);
    const first = await p.run('2024-01-01 00:30:00');
    expect(first.code, first.output).toBe(0);
    expect(await q(`select count(*)::int as n, sum(amount)::int as s from ${p.schema}.m`)).toEqual([{ n: 30, s: 435 }]);
    expect(await q(`select batch_id, batch_start from ${p.schema}.m where event_id in (0, 7, 29) order by event_id`)).toEqual([
      { batch_id: '20240101T0000', batch_start: '00:00' },
      { batch_id: '20240101T0005', batch_start: '00:05' },
      { batch_id: '20240101T0025', batch_start: '00:25' },
    ]);

    // Event 5 arrives again, later and corrected, in the current window; event 27 is gone from the
    // source (its window 00:25 is the lookback one, so it is reprocessed).
    await q(`update ${p.raw} set event_ts = '2024-01-01 00:31', amount = 500 where event_id = 5`);
    await q(`delete from ${p.raw} where event_id = 27`);
    const second = await p.run('2024-01-01 00:33:00');
    expect(second.code, second.output).toBe(0);
    expect(second.output).toMatch(/MICROBATCH 2 batches/);
    // Merged: event 5's row is updated where it was (a window replace would have kept both rows),
    // and event 27 stays (a window replace would have deleted it).
    expect(await q(`select to_char(event_ts, 'HH24:MI') as t, amount, batch_id from ${p.schema}.m where event_id = 5`)).toEqual([{ t: '00:31', amount: 500, batch_id: '20240101T0030' }]);
    expect(await q(`select count(*)::int as n from ${p.schema}.m where event_id = 27`)).toEqual([{ n: 1 }]);
    expect(await q(`select count(*)::int as n from ${p.schema}.m`)).toEqual([{ n: 30 }]);
    // dbt's run renders a microbatch model per batch only: no whole-model compiled file.
    expect(existsSync(path.join(p.dir, 'target/compiled/demo/models/m.sql'))).toBe(false);
  });

  // dbt's get_microbatch_builder: in sample mode (`--sample`) the batches are the sample window's,
  // not those from `begin`; each batch reads its inputs within both windows.
  it('runs only the batches of the --sample window', async () => {
    const p = project();
    writeFileSync(path.join(p.dir, 'models/m.sql'), `{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='event_ts', begin='2024-01-01', batch_size='day') }}
select event_id, event_ts from {{ source('raw', 'events') }}
`);
    await q(`create schema ${p.schema}_raw`);
    await q(`create table ${p.raw} (event_id int, event_ts timestamp)`);
    await q(`insert into ${p.raw} select g, timestamp '2024-01-01 01:00' + (g - 1) * interval '1 day' from generate_series(1, 10) g`);
    const r = await p.run('2024-01-10 02:00:00', { sample: '2 days' });
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/MICROBATCH 3 batches/);
    // 2024-01-08 01:00 lies in the first batch's day but before the sample's start (01-08 02:00).
    expect(await q(`select event_id from ${p.schema}.m order by event_id`)).toEqual([{ event_id: 9 }, { event_id: 10 }]);
  });

  // dbt's MicrobatchModelRunner renders the model once per batch and never as a whole, so a
  // log() in the model runs once per batch (tsdbt rendered it once more, with model.batch None).
  it("renders the model once per batch, never as a whole; the model's result has no compiled_code, as dbt's", async () => {
    const p = project();
    writeFileSync(path.join(p.dir, 'models/m.sql'), `{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='event_ts', begin='2024-01-01', batch_size='5 minute') }}
{% if execute %}{{ log('rendering ' ~ (model.batch.id if model.batch else 'whole'), info=True) }}{% endif %}
select event_id, event_ts from {{ source('raw', 'events') }}
`);
    await q(`create schema ${p.schema}_raw`);
    await q(`create table ${p.raw} (event_id int, event_ts timestamp)`);
    await q(`insert into ${p.raw} select g, timestamp '2024-01-01 00:00' + g * interval '1 minute' from generate_series(0, 9) g`);
    const r = await p.run('2024-01-01 00:10:00');
    expect(r.code, r.output).toBe(0);
    expect(r.output.match(/rendering \S+/g)).toEqual(['rendering 20240101T0000', 'rendering 20240101T0005', 'rendering 20240101T0010']);
    // dbt's MicrobatchBatchRunner compiles a copy of the node per batch; the model's result keeps the uncompiled node.
    const results = JSON.parse(readFileSync(path.join(p.dir, 'target/run_results.json'), 'utf8')) as { results: { compiled_code: string | null }[] };
    expect(results.results[0]?.compiled_code ?? null).toBeNull();
    expect(await q(`select count(*)::int as n from ${p.schema}.m`)).toEqual([{ n: 10 }]);
  });

  // dbt's arg_dict: incremental_predicates are the model's; a project's macro reads the window from model.batch.
  it("hands a project's get_incremental_microbatch_sql dbt's arg_dict and model.batch", async () => {
    const p = project();
    writeFileSync(path.join(p.dir, 'models/m.sql'), `{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='event_ts',
            begin='2024-01-01', batch_size='5 minute', lookback=0, unique_key='event_id', incremental_predicates=['amount >= 0']) }}
select event_id, event_ts, amount from {{ source('raw', 'events') }}
`);
    // dbt runs a project's own microbatch macro batch by batch only under this behaviour flag.
    writeFileSync(path.join(p.dir, 'dbt_project.yml'), 'name: demo\nprofile: demo\nflags:\n  require_batched_execution_for_custom_microbatch_strategy: true\n');
    mkdirSync(path.join(p.dir, 'macros'));
    writeFileSync(path.join(p.dir, 'macros/microbatch.sql'), `{% macro get_incremental_microbatch_sql(arg_dict) %}
  {% do log('batch ' ~ model.batch.id ~ ' from ' ~ model.batch.event_time_start ~ ' predicates ' ~ arg_dict['incremental_predicates'], info=True) %}
  {{ return(get_incremental_delete_insert_sql(arg_dict)) }}
{% endmacro %}
`);
    await q(`create schema ${p.schema}_raw`);
    await q(`create table ${p.raw} (event_id int, event_ts timestamp, amount int)`);
    await q(`insert into ${p.raw} select g, timestamp '2024-01-01 00:00' + g * interval '1 minute', g from generate_series(0, 9) g`);
    const first = await p.run('2024-01-01 00:10:00');
    expect(first.code, first.output).toBe(0);
    await q(`insert into ${p.raw} values (10, '2024-01-01 00:11', 10)`);
    const second = await p.run('2024-01-01 00:12:00');
    expect(second.code, second.output).toBe(0);
    expect(second.output).toContain("batch 20240101T0010 from 2024-01-01 00:10:00+00:00 predicates ['amount >= 0']");
    expect(await q(`select count(*)::int as n, sum(amount)::int as s from ${p.schema}.m`)).toEqual([{ n: 11, s: 55 }]);
  });

  // dbt's retry of a partial success runs the failed batches only (previous_batch_results), reports
  // the earlier successful ones with its own, and is an error when none of its batches succeeds;
  // each batch has its own compiled and run file (dbt's split_suffix); the legacy
  // __dbt_internal_microbatch_event_time_start config is set during a batch.
  it('retries only the failed batches, writes a file per batch, and reads the 1.9 batch config', async () => {
    const p = project();
    const failing = (fail: boolean) => `{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='event_ts',
            begin='2024-01-01', batch_size='5 minute', lookback=1) }}
{% if ${fail ? 'true' : 'false'} and '00:20' in (model.config.__dbt_internal_microbatch_event_time_start | string) %} invalid_sql {% endif %}
select event_id, event_ts, amount from {{ source('raw', 'events') }}
`;
    writeFileSync(path.join(p.dir, 'models/m.sql'), failing(true));
    await q(`create schema ${p.schema}_raw`);
    await q(`create table ${p.raw} (event_id int, event_ts timestamp, amount int)`);
    await q(`insert into ${p.raw} select g, timestamp '2024-01-01 00:00' + g * interval '1 minute', 1 from generate_series(0, 29) g`);
    const first = await p.run('2024-01-01 00:30:00');
    expect(first.code).toBe(1);
    expect(first.output).toMatch(/PARTIAL SUCCESS \(6\/7\)/);
    const batchFile = (kind: string, suffix: string) => readFileSync(path.join(p.dir, `target/${kind}/demo/models/m/m_2024-01-01T${suffix}.sql`), 'utf8');
    expect(batchFile('compiled', '0005')).toContain("event_ts >= '2024-01-01 00:05:00+00:00' and event_ts < '2024-01-01 00:10:00+00:00'");
    expect(batchFile('compiled', '0020')).toContain('invalid_sql');
    expect(batchFile('run', '0005')).toMatch(/insert into/i);

    // Still failing: only the 00:20 batch runs, so the model is an error, not a partial success.
    const stillFailing = await p.run('2024-01-01 00:30:00', { command: 'retry' });
    expect(stillFailing.code).toBe(1);
    expect(stillFailing.output).toMatch(/Batch 1 of 1 ERROR creating batch 2024-01-01 00:20/);
    expect(stillFailing.output).toContain('Completed with 1 error, 0 partial successes, and 0 warnings:');
    const readResults = () => (JSON.parse(readFileSync(path.join(p.dir, 'target/run_results.json'), 'utf8')) as { results: { status: string; batch_results: { successful: string[][]; failed: string[][] } }[] }).results[0];
    expect(readResults()?.status).toBe('error');
    expect(readResults()?.batch_results.successful).toHaveLength(6);
    expect(readResults()?.batch_results.failed).toEqual([['2024-01-01T00:20:00.000Z', '2024-01-01T00:25:00.000Z']]);

    writeFileSync(path.join(p.dir, 'models/m.sql'), failing(false));
    const fixed = await p.run('2024-01-01 00:30:00', { command: 'retry' });
    expect(fixed.code, fixed.output).toBe(0);
    expect(fixed.output).toMatch(/MICROBATCH 1 batch, 5 rows/);
    expect(readResults()?.batch_results.successful).toHaveLength(7);
    expect(await q(`select count(*)::int as n from ${p.schema}.m`)).toEqual([{ n: 30 }]);
  });

  // dbt's incremental run starts at the lookback, so a model first built for an --event-time-start
  // range is not backfilled before it; what tsdbt redoes counts from the first window it applied.
  it('does not backfill before the first window a backfill range applied', async () => {
    const p = project();
    await q(`create schema ${p.schema}_raw`);
    await q(`create table ${p.raw} (event_id int, event_ts timestamp, amount int)`);
    await q(`insert into ${p.raw} select g, timestamp '2024-01-01 00:00' + g * interval '1 minute', 1 from generate_series(0, 29) g`);
    const range = await p.run('2024-01-01 00:30:00', { start: '2024-01-01 00:10:00', end: '2024-01-01 00:20:00' });
    expect(range.code, range.output).toBe(0);
    expect(await q(`select count(*)::int as n from ${p.schema}.m`)).toEqual([{ n: 10 }]);
    const later = await p.run('2024-01-01 00:30:00');
    expect(later.code, later.output).toBe(0);
    // 00:20 to 00:30 are added; 00:00 and 00:05, before the range, are not.
    expect(await q(`select min(event_id)::int as lo, count(*)::int as n from ${p.schema}.m`)).toEqual([{ lo: 10, n: 20 }]);
  });
});

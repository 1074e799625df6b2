// dbt's microbatch lifecycle (core/dbt/task/run.py MicrobatchModelRunner, parser/manifest.py), on
// the PostgreSQL server with a controlled clock: pre-hooks run with the first batch and post-hooks
// with the last; when the first batch fails the others are skipped and no table is made; a failed
// batch fires GenericExceptionOnRun; the parse warns MicrobatchModelNoEventTimeInputs and
// InvalidConcurrentBatchesConfig; a project's own get_incremental_microbatch_sql without
// require_batched_execution_for_custom_microbatch_strategy runs the model once through it with
// dbt's MicrobatchMacroOutsideOfBatchesDeprecation; retry runs batches up to the retried command's start.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/app/commands.js';
import { createInvocation } from '../../src/app/invocation.js';
import { retryCommand } from '../../src/app/retry-command.js';
import { dropTestSchema, profilesYaml, serverTarget, uniqueSchema } from '../support/postgres-targets.js';
import { useServerSession } from '../support/server-session.js';
import { removeDir, testdir } from '../support/testdir.js';

const { q, cleanups } = useServerSession();

const CONFIG = "materialized='incremental', incremental_strategy='microbatch', event_time='event_ts', begin='2024-01-01', batch_size='day'";

function project(files: Record<string, string>, projectYaml = '') {
  const schema = uniqueSchema('mbl');
  const target = serverTarget(schema, 1);
  const dir = testdir({
    'dbt_project.yml': `name: demo\nprofile: demo\n${projectYaml}`,
    'profiles.yml': profilesYaml('demo', target),
    'models/events.sql': "{{ config(materialized='table', event_time='event_ts') }}\nselect g as id, timestamp '2024-01-01' + g * interval '1 day' as event_ts from generate_series(0, 2) g\n",
    ...files,
  });
  cleanups.push(() => removeDir(dir), () => dropTestSchema(target));
  const run = async (now: string, command: 'run' | 'retry' = 'run') => {
    const lines: string[] = [];
    const inv = createInvocation({
      projectDir: dir,
      now: () => new Date(`${now}Z`),
      logFormat: 'json',
      write: (l) => lines.push(l),
      writeError: (l) => lines.push(l),
      env: { ...process.env, TSDBT_PROFILES_DIR: '' },
    });
    const code = command === 'retry' ? await retryCommand(inv) : await runCommand(inv, 'run');
    const events = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { info: { name: string; msg: string; level: string }; data: Record<string, unknown> });
    return { code, events, named: (name: string) => events.filter((e) => e.info.name === name) };
  };
  return { schema, dir, run };
}

describe('microbatch batch lifecycle, as dbt runs it', () => {
  it('runs pre-hooks with the first batch and post-hooks with the last, each seeing its batch', async () => {
    const p = project({
      'models/m.sql': `{{ config(${CONFIG}, pre_hook='{{ log("pre-hook run by batch " ~ model.batch.id, info=True) }}', post_hook='{{ log("post-hook run by batch " ~ model.batch.id, info=True) }}') }}
select id, event_ts from {{ ref('events') }}
`,
    });
    const { code, named } = await p.run('2024-01-03 12:00:00');
    expect(code).toBe(0);
    const hookLines = named('JinjaLogInfo').map((e) => e.info.msg).filter((m) => m.includes('-hook'));
    // The parse renders the hooks first, without a batch (dbt renders node hooks at parse and prints their log lines).
    expect(hookLines).toEqual(['pre-hook run by batch ', 'post-hook run by batch ', 'pre-hook run by batch 20240101', 'post-hook run by batch 20240103']);
    expect(await q(`select count(*)::int as n from ${p.schema}.m`)).toEqual([{ n: 3 }]);
  });

  it('skips the other batches when the first fails, makes no table, and fires GenericExceptionOnRun', async () => {
    const p = project({
      'models/m.sql': `{{ config(${CONFIG}) }}
{% if model.batch and model.batch.id == '20240101' %} invalid_sql {% endif %}
select id, event_ts from {{ ref('events') }}
`,
    });
    const { code, named } = await p.run('2024-01-03 12:00:00');
    expect(code).toBe(1);
    expect(named('GenericExceptionOnRun')).toHaveLength(1);
    expect(named('GenericExceptionOnRun')[0]?.info.level).toBe('error');
    expect(named('LogBatchResult').map((e) => e.data.status)).toEqual(['error', 'skipped', 'skipped']);
    expect(await q(`select count(*)::int as n from information_schema.tables where table_schema = '${p.schema}' and table_name = 'm'`)).toEqual([{ n: 0 }]);
    const results = JSON.parse(readFileSync(path.join(p.dir, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; status: string; batch_results: { failed: unknown[] } }[] };
    const m = results.results.find((r) => r.unique_id === 'model.demo.m');
    expect(m?.status).toBe('error');
    expect(m?.batch_results.failed).toHaveLength(3);
  });

  it('warns about inputs without event_time and concurrent_batches at parse', async () => {
    const p = project({
      'models/plain.sql': "{{ config(materialized='table') }}\nselect 1 as id, timestamp '2024-01-01' as event_ts\n",
      'models/m.sql': `{{ config(${CONFIG}, concurrent_batches=true) }}\nselect id, event_ts from {{ ref('plain') }}\n`,
    });
    const { code, named } = await p.run('2024-01-01 12:00:00');
    expect(code).toBe(0);
    expect(named('MicrobatchModelNoEventTimeInputs').map((e) => e.info.msg)).toEqual([
      expect.stringContaining("The microbatch model 'm' has no 'ref' or 'source' input with an 'event_time' configuration."),
    ]);
    expect(named('InvalidConcurrentBatchesConfig').map((e) => e.info.msg)).toEqual([
      expect.stringContaining('Found 1 microbatch model with the `concurrent_batches` config set to true, but the postgres adapter does not support running batches concurrently.'),
    ]);
  });

  it("runs a project's own microbatch macro once, unbatched, without dbt's behaviour flag, and batched with it", async () => {
    const macro = `{% macro get_incremental_microbatch_sql(arg_dict) %}
  {% do log('custom microbatch strategy', info=True) %}
  {{ return(get_incremental_append_sql(arg_dict)) }}
{% endmacro %}
`;
    const files = { 'models/m.sql': `{{ config(${CONFIG}) }}\nselect id, event_ts from {{ ref('events') }}\n`, 'macros/strategy.sql': macro };
    const unbatched = project(files);
    const first = await unbatched.run('2024-01-03 12:00:00');
    expect(first.code).toBe(0);
    expect(first.named('MicrobatchMacroOutsideOfBatchesDeprecation')).toHaveLength(1);
    const second = await unbatched.run('2024-01-03 12:00:00');
    expect(second.named('LogStartBatch')).toHaveLength(0);
    expect(second.named('JinjaLogInfo').map((e) => e.info.msg)).toContain('custom microbatch strategy');
    // Appended once, whole: 3 rows, then 3 more.
    expect(await q(`select count(*)::int as n from ${unbatched.schema}.m`)).toEqual([{ n: 6 }]);

    const batched = project(files, 'flags:\n  require_batched_execution_for_custom_microbatch_strategy: true\n');
    const run = await batched.run('2024-01-03 12:00:00');
    expect(run.code).toBe(0);
    expect(run.named('MicrobatchMacroOutsideOfBatchesDeprecation')).toHaveLength(0);
    expect(run.named('LogBatchResult')).toHaveLength(3);
  });

  it("compiles each batch on a copy: the batch's model has its compiled_code, the model's result and manifest node none", async () => {
    // dbt's _submit_batch compiles a deepcopy of the node per batch and MicrobatchModelRunner.compile
    // does nothing, so on-run-end's result node and manifest.json's node are uncompiled (what
    // Elementary's capture_and_execute_microbatch_compiled_code_sql works around).
    const macro = `{% macro get_incremental_microbatch_sql(arg_dict) %}
  {% do log('batch ' ~ model.batch.id ~ ' compiled: ' ~ (model.compiled_code is string and 'event_ts' in model.compiled_code), info=True) %}
  {{ return(get_incremental_append_sql(arg_dict)) }}
{% endmacro %}
`;
    const onRunEnd = `on-run-end:\n  - "{% for r in results %}{% do log('result ' ~ r.node.name ~ ' compiled=' ~ r.node.compiled ~ ' code=' ~ r.node.get('compiled_code'), info=True) %}{% endfor %}"\n`;
    const p = project(
      { 'models/m.sql': `{{ config(${CONFIG}) }}\nselect id, event_ts from {{ ref('events') }}\n`, 'macros/strategy.sql': macro },
      `flags:\n  require_batched_execution_for_custom_microbatch_strategy: true\n${onRunEnd}`,
    );
    const { code, named } = await p.run('2024-01-02 12:00:00');
    expect(code).toBe(0);
    const logs = named('JinjaLogInfo').map((e) => e.info.msg);
    // The first batch creates the table; the strategy macro runs from the second on.
    expect(logs.filter((m) => m.startsWith('batch '))).toEqual(['batch 20240102 compiled: True']);
    expect(logs.filter((m) => m.startsWith('result m '))).toEqual(['result m compiled=False code=None']);
    expect(logs.filter((m) => m.startsWith('result events '))).toEqual([expect.stringMatching(/^result events compiled=True code=.*generate_series/s)]);
    const manifest = JSON.parse(readFileSync(path.join(p.dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, { compiled?: boolean; compiled_code?: string }> };
    expect(manifest.nodes['model.demo.m']?.compiled_code).toBeUndefined();
    expect(manifest.nodes['model.demo.events']?.compiled_code).toContain('generate_series');
    expect(await q(`select count(*)::int as n from ${p.schema}.m`)).toEqual([{ n: 2 }]);
  });

  it("retries with batches up to the retried command's start, not today", async () => {
    const failing = `{{ config(${CONFIG}) }}\n{% if model.batch %} invalid_sql {% endif %}\nselect id, event_ts from {{ ref('events') }}\n`;
    const p = project({ 'models/m.sql': failing });
    expect((await p.run('2024-01-03 12:00:00')).code).toBe(1);
    writeFileSync(path.join(p.dir, 'models/m.sql'), failing.replace('{% if model.batch %} invalid_sql {% endif %}\n', ''));
    // The retry happens a month later; dbt recomputes the batches from the first run's start.
    const retry = await p.run('2024-02-03 12:00:00', 'retry');
    expect(retry.code).toBe(0);
    expect(retry.named('LogBatchResult')).toHaveLength(3);
  });
});

// `tsdbt source freshness` runs the project's on-run-start / on-run-end hooks around its checks,
// as dbt 1.10+ does unless dbt_project.yml sets `flags: {source_freshness_run_project_hooks:
// false}`; and a loaded_at_query may call macros (`current_timestamp()`), rendered when it runs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvocation } from '../../src/app/invocation.js';
import { sourceFreshnessCommand } from '../../src/app/source-freshness.js';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const project = (flag: string) => `name: demo
profile: demo
${flag}on-run-start:
  - "create schema if not exists {{ target.schema }}"
  - "create table if not exists {{ target.schema }}.started (n int)"
  - "insert into {{ target.schema }}.started values (1)"
on-run-end:
  - "create table if not exists {{ target.schema }}.ended as select 1 as n"
  - "{{ log('on-run-end hooks called') }}"
`;

describe('source freshness and project hooks (pglite)', () => {
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject('pglite', {
      'dbt_project.yml': project(''),
      'models/sources.yml': `version: 2
sources:
  - name: raw
    schema: information_schema
    freshness:
      warn_after: {count: 1, period: hour}
    tables:
      - name: tables
        loaded_at_query: "select {{ current_timestamp() }}"
`,
    });
  });
  afterAll(() => p.cleanup());

  const freshness = async () => {
    const lines: string[] = [];
    const inv = createInvocation({ projectDir: p.dir, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: p.dir } });
    const code = await sourceFreshnessCommand(inv);
    const json = JSON.parse(readFileSync(path.join(p.dir, 'target', 'sources.json'), 'utf8')) as { results: { status: string }[] };
    return { code, output: lines.join('\n'), statuses: json.results.map((r) => r.status) };
  };
  const started = async () => Number((await p.sql(`select count(*) as n from ${p.schema}.started`))[0]?.n);

  it('runs on-run-start before the checks and on-run-end after them', async () => {
    const run = await freshness();
    expect(run.code, run.output).toBe(0);
    expect(run.statuses).toEqual(['pass']);
    expect(run.output).toContain('OK hook: demo.on-run-start.2');
    // A hook that only logs (to the log file) runs no statement and is reported too (dbt).
    expect(run.output).toContain('OK hook: demo.on-run-end.1');
    // dbt's FinishedRunningStats counts the hooks with the sources, then FreshnessCheckComplete.
    expect(run.output).toMatch(/Finished running 5 project hooks, 1 source in 0 hours 0 minutes and [\d.]+ seconds \([\d.]+s\)\.\n\S+\s+Done\.$/);
    expect(await started()).toBe(1);
    expect(await p.sql(`select n from ${p.schema}.ended`)).toEqual([{ n: 1 }]);
  });

  it("ends with a failed hook's message as dbt's RunResultError (its task_end_messages)", async () => {
    p.write('dbt_project.yml', 'name: demo\nprofile: demo\non-run-start:\n  - "select fake_column from table_does_not_exist"\n');
    const lines: string[] = [];
    const inv = createInvocation({ projectDir: p.dir, logFormat: 'json', write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: p.dir } });
    expect(await sourceFreshnessCommand(inv)).toBe(1);
    const errors = lines.map((l) => JSON.parse(l) as { info: { name: string; level: string }; data: { msg?: string } }).filter((e) => e.info.name === 'RunResultError');
    expect(errors.map((e) => e.info.level)).toEqual(['error']);
    expect(errors[0]?.data.msg).toMatch(/^demo\.on-run-start\.0 failed, error:\n .*table_does_not_exist/);
  });

  it('runs no hook when the project sets source_freshness_run_project_hooks: false', async () => {
    p.write('dbt_project.yml', project('flags:\n  source_freshness_run_project_hooks: false\n'));
    const run = await freshness();
    expect(run.code, run.output).toBe(0);
    // No hook line (`OK hook: demo.on-run-start.0`); dbt's SourceFreshnessProjectHooksNotRun (D017) says they did not run.
    expect(run.output).not.toContain('hook: demo.on-run');
    expect(run.output).toContain('the `source freshness` command will start running `on-run-start` and `on-run-end` hooks by default');
    expect(await started()).toBe(1);
  });

  it("hooks see the command as dbt's flags.WHICH names it, 'freshness', and the selected sources", async () => {
    // dbt's Command.SOURCE_FRESHNESS is "freshness"; packages that upload results in on-run-end
    // (flexanalytics/dbt_observability: `flags.WHICH in ['build','run','test']`) skip it by that.
    p.write('dbt_project.yml', `name: demo
profile: demo
on-run-end:
  - "create table {{ target.schema }}.which_was as select '{{ flags.WHICH }}' as which, '{{ invocation_args_dict.which }}' as args_which, '{{ selected_resources | join(',') }}' as selected"
`);
    const run = await freshness();
    expect(run.code, run.output).toBe(0);
    expect(await p.sql(`select which, args_which, selected from ${p.schema}.which_was`)).toEqual([{ which: 'freshness', args_which: 'freshness', selected: 'source.demo.raw.tables' }]);
  });
});

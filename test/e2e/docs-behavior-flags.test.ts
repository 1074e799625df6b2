// dbt's "Behavior changes" page, each flag with both values, where tsdbt lacked it: the semantic
// layer's two flags, which dbt's SemanticManifest.validate reads at parse where the project has
// metrics and semantic models (require_nested_cumulative_type_params: a cumulative metric's
// `window` directly under `type_params` is deprecation D019, or an error with the flag on;
// require_yaml_configuration_for_mf_time_spines: a `metricflow_time_spine` model without YAML
// configuration is deprecation D018, or nothing with the flag on).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTsdbt, type CliResult } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const SEMANTIC = [
  'semantic_models:',
  '  - name: orders',
  "    model: ref('orders')",
  '    defaults: {agg_time_dimension: ordered_at}',
  '    entities: [{name: order_id, type: primary}]',
  '    dimensions: [{name: ordered_at, type: time, type_params: {time_granularity: day}}]',
  '    measures: [{name: order_total, agg: sum, expr: amount}]',
  'metrics:',
  '  - name: order_total',
  '    label: Order total',
  '    type: simple',
  '    type_params: {measure: order_total}',
  '  - name: cumulative_total',
  '    label: Cumulative total',
  '    type: cumulative',
  '    type_params:',
  '      measure: order_total',
  '      window: 7 days',
  '',
].join('\n');

const project = (flags: string) => ({
  'dbt_project.yml': `name: mf\nprofile: mf\n${flags}`,
  'models/metricflow_time_spine.sql': "select cast('2024-01-01' as date) as date_day",
  'models/orders.sql': "select 1 as order_id, cast('2024-01-01' as date) as ordered_at, 10 as amount",
  'models/semantic.yml': SEMANTIC,
});

const CUMULATIVE_WARNING = 'Cumulative fields `type_params.window` and `type_params.grain_to_date` have been moved and will soon be deprecated.';
const TIME_SPINE_WARNING = "Time spines without YAML configuration are in the process of deprecation. Please add YAML configuration for your 'metricflow_time_spine' model.";

describe('the semantic-layer behaviour flags, off (their default in dbt 1.11)', () => {
  let dir: string;
  let result: CliResult;
  beforeAll(async () => {
    dir = testdir(project(''));
    result = await runTsdbt(['parse', '--project-dir', dir]);
  });
  afterAll(() => removeDir(dir));

  it('warns of both deprecations and counts them in the summary', () => {
    expect(result.code, result.stderr + result.stdout).toBe(0);
    expect(result.stdout).toContain(`models/semantic.yml:13: ${CUMULATIVE_WARNING}`);
    expect(result.stdout).toContain(`models/metricflow_time_spine.sql:1: ${TIME_SPINE_WARNING}`);
    expect(result.stdout).toContain('- MFCumulativeTypeParamsDeprecation: 1 occurrence');
    expect(result.stdout).toContain('- MFTimespineWithoutYamlConfigurationDeprecation: 1 occurrence');
  });
});

describe('the semantic-layer behaviour flags, on', () => {
  let dir: string;
  let result: CliResult;
  beforeAll(async () => {
    dir = testdir(project('flags:\n  require_nested_cumulative_type_params: true\n  require_yaml_configuration_for_mf_time_spines: true\n'));
    result = await runTsdbt(['parse', '--project-dir', dir]);
  });
  afterAll(() => removeDir(dir));

  it('fails the parse on the metric with top-level cumulative fields, naming it, and no longer warns of the time spine', () => {
    expect(result.code).toBe(2);
    const out = result.stdout + result.stderr;
    expect(out).toContain(
      'models/semantic.yml:13: Cumulative fields `type_params.window` and `type_params.grain_to_date` should be nested under `type_params.cumulative_type_params.window` and `type_params.cumulative_type_params.grain_to_date`. Invalid metrics: cumulative_total.',
    );
    expect(out).not.toContain(TIME_SPINE_WARNING);
    expect(out).not.toContain(CUMULATIVE_WARNING);
  });
});

describe('nested cumulative fields and a time spine configured in YAML', () => {
  let dir: string;
  let result: CliResult;
  beforeAll(async () => {
    dir = testdir({
      ...project(''),
      'models/semantic.yml': SEMANTIC.replace('      window: 7 days', '      cumulative_type_params: {window: 7 days}'),
      'models/spine.yml': 'models:\n  - name: metricflow_time_spine\n    time_spine: {standard_granularity_column: date_day}\n    columns: [{name: date_day, granularity: day}]\n',
    });
    result = await runTsdbt(['parse', '--project-dir', dir]);
  });
  afterAll(() => removeDir(dir));

  it('warns of neither', () => {
    expect(result.code, result.stderr + result.stdout).toBe(0);
    expect(result.stdout).not.toContain(CUMULATIVE_WARNING);
    expect(result.stdout).not.toContain(TIME_SPINE_WARNING);
    expect(result.stdout).not.toContain('Summary of encountered deprecations');
  });
});

// source_freshness_run_project_hooks off: dbt's FreshnessTask.get_hooks_by_type runs no hook and
// fires SourceFreshnessProjectHooksNotRun (D017) for each kind of hook the project has.
describe('source freshness with source_freshness_run_project_hooks off', () => {
  let dir: string;
  let result: CliResult;
  beforeAll(async () => {
    dir = testdir({
      'dbt_project.yml': 'name: f\nprofile: f\non-run-start:\n  - "create table hook_ran (id int)"\nflags:\n  source_freshness_run_project_hooks: false\n',
      'models/src.yml': 'sources:\n  - name: s\n    schema: information_schema\n    tables:\n      - name: tables\n        loaded_at_query: select now()\n        freshness: {warn_after: {count: 1, period: day}}\n',
    });
    result = await runTsdbt(['source', 'freshness', '--project-dir', dir]);
  });
  afterAll(() => removeDir(dir));

  it('runs no hook and warns of the deprecation once', () => {
    expect(result.code, result.stderr + result.stdout).toBe(0);
    expect(result.stdout).toContain(
      'In a future version of dbt, the `source freshness` command will start running `on-run-start` and `on-run-end` hooks by default. For more information: https://docs.getdbt.com/reference/global-configs/legacy-behaviors',
    );
    expect(result.stdout).toContain('- SourceFreshnessProjectHooksNotRun: 1 occurrence');
    expect(result.stdout).not.toContain('on-run-start.0');
  });
});

// Generic test entries the way dbt 1.10 reads them (docs: "Data test configurations", "About
// data tests property", behavior flag require_generic_test_arguments_property): arguments are
// Jinja rendered natively, recursively, with the project's and packages' macros; `description`,
// `name`, `config` and config keys written beside the arguments are not passed to the macro; every
// test gets dbt's unique_id (name + md5 suffix over its metadata), so tests whose arguments differ
// only in punctuation both run; tests on disabled models, or ref'ing them, are disabled, not errors.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TsdbtError } from '../../src/errors/tsdbt-error.js';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const FILES: Record<string, string> = {
  'dbt_project.yml': ['name: demo', 'profile: demo', 'vars:', '  low: 1', '  feature_on: false', ''].join('\n'),
  // A package whose macro the arguments call (like dbt_date.tomorrow in real projects).
  'dbt_packages/datepkg/dbt_project.yml': 'name: datepkg\n',
  'dbt_packages/datepkg/macros/days.sql': '{% macro day_after(column) %}({{ column }} + 1){% endmacro %}\n',
  'seeds/raw_days.csv': 'd0,d,maybe,grp\n1,2,1,alpha_value\n2,3,2,beta_value\n5,6,,gamma_value\n',
  'models/days.sql': "select * from {{ ref('raw_days') }}\n",
  'models/feature_model.sql': "{{ config(enabled=var('feature_on')) }}\nselect 1 as id\n",
  'macros/tests.sql': [
    '{% test expression_is_true(model, expression) %}',
    'select * from {{ model }} where not ({{ expression }})',
    '{% endtest %}',
    '{% test in_range(model, column_name, bounds) %}',
    "select * from {{ model }} where {{ column_name }} < {{ bounds.low }} or {{ column_name }} > {{ bounds['high'] }}",
    '{% endtest %}',
    '',
  ].join('\n'),
  // dbt's extension point for `where`: the `model` argument is `{{ get_where_subquery(ref(...)) }}`.
  'macros/get_where_subquery.sql': [
    '{% macro get_where_subquery(relation) -%}',
    "  {%- set where = config.get('where') -%}",
    '  {%- if where -%}',
    '    {{ return("(select * from " ~ relation ~ " where " ~ where ~ ") /* project where */ filtered") }}',
    '  {%- endif -%}',
    '  {{ return(relation) }}',
    '{%- endmacro %}',
    '',
  ].join('\n'),
  'models/_models.yml': `version: 2
models:
  - name: days
    data_tests:
      - expression_is_true:
          arguments:
            expression: "d = {{ datepkg.day_after('d0') }}"
      - expression_is_true:
          expression: "d0 > {{ var('low') }}"
      - expression_is_true:
          arguments: {expression: "d0 + 1 = d"}
      - expression_is_true:
          arguments: {expression: "d0 - 1 = d"}
      - expression_is_true:
          arguments: {expression: "d = {{ otherdb_only.day_after('d0') }}"}
          config: {enabled: "{{ target.type == 'otherdb' }}"}
    columns:
      - name: d0
        data_tests:
          - accepted_values:
              arguments:
                values: ["{{ 1 + 1 }}", "{{ var('low') }}", 5]
                quote: false
          - in_range:
              bounds: {low: "{{ var('low') }}", high: "{{ 2 + 2 }}"}
          - relationships:
              arguments: {to: ref('feature_model'), field: id}
      - name: maybe
        data_tests:
          - not_null:
              description: Every small row has a value
              where: "d0 < 5"
              error_if: ">5"
      - name: d
        quote: true
        data_tests: [not_null]
      - name: grp
        tags: [groups]
        data_tests:
          - accepted_values:
              description: Only the known groups
              severity: warn
              arguments:
                values: [alpha_value, beta_value]
          - accepted_values:
              arguments: {values: [alpha_value, beta_value, delta_value, epsilon_value]}
              config: {store_failures: true}
  - name: feature_model
    description: Only built when the feature is on
    columns:
      - name: id
        data_tests: [unique]
  - name: ghost_model
    description: Not in the project
unit_tests:
  - name: feature_model_unit
    model: feature_model
    given: []
    expect: {rows: [{id: 1}]}
`,
  'models/_sources.yml': `version: 2
sources:
  - name: raw
    tables:
      - name: legacy_events
        config: {enabled: false}
        columns:
          - name: id
            data_tests: [not_null]
`,
  'tests/legacy_check.sql': "select * from {{ source('raw', 'legacy_events') }}\n",
  'tests/feature_check.sql': "select * from {{ ref('feature_model') }} where id is null\n",
  'tests/typo_check.sql': "select * from {{ ref('no_such_model') }}\n",
};

interface ManifestTest {
  name: string;
  alias: string;
  description: string;
  tags: string[];
  config: Record<string, unknown>;
  test_metadata: { kwargs: Record<string, unknown> };
}

describe('generic test arguments and names on pglite', () => {
  let p: WarehouseProject;
  let build: RunOutcome;
  let manifest: { nodes: Record<string, ManifestTest> };
  const status = (pattern: RegExp) =>
    build.results
      .filter((r) => pattern.test(r.unique_id))
      .map((r) => `${r.status} ${String(r.failures ?? '')}`.trim());

  beforeAll(async () => {
    p = warehouseProject('pglite', FILES);
    build = await p.run('build');
    manifest = JSON.parse(readFileSync(path.join(p.dir, 'target', 'manifest.json'), 'utf8')) as typeof manifest;
  }, 300_000);
  afterAll(() => p.cleanup());

  it('renders Jinja in arguments, with package macros and vars, in both forms', () => {
    // d = (d0 + 1) on every row: the package macro rendered into the expression.
    expect(status(/^test\.demo\.expression_is_true_days_d_datepkg_day_after_d0_\./)).toEqual(['pass 0']);
    // d0 > 1 fails on the row d0 = 1 only.
    expect(status(/^test\.demo\.expression_is_true_days_d0_var_low_\./)).toEqual(['fail 1']);
    // Disabled by its rendered `enabled` config: its argument (an absent package's macro) is not rendered.
    expect(status(/otherdb_only/)).toEqual([]);
  });

  it('renders strings inside list and mapping arguments to native values', () => {
    // values 2, 1, 5 (numbers, quote: false): every d0 is accepted.
    expect(status(/^test\.demo\.accepted_values_days_d0__False___1_1____var_low___5\./)).toEqual(['pass 0']);
    // bounds 1..4: the row d0 = 5 is out of range.
    expect(status(/^test\.demo\.in_range_days__var_low____2_2___d0\./)).toEqual(['fail 1']);
  });

  it('takes description and config keys beside the arguments as the test\'s own properties', () => {
    const notNull = Object.values(manifest.nodes).find((n) => n.name === 'not_null_days_maybe');
    expect(notNull).toMatchObject({ description: 'Every small row has a value', config: { where: 'd0 < 5', error_if: '>5' } });
    expect(notNull?.test_metadata.kwargs).toEqual({ column_name: 'maybe', model: "{{ get_where_subquery(ref('days')) }}" });
    expect(status(/^test\.demo\.not_null_days_maybe\./)).toEqual(['pass 0']);
    const groups = Object.values(manifest.nodes).find((n) => n.name === 'accepted_values_days_grp__alpha_value__beta_value');
    expect(groups).toMatchObject({ description: 'Only the known groups', config: { severity: 'warn' } });
    expect(status(/^test\.demo\.accepted_values_days_grp__alpha_value__beta_value\./)).toEqual(['warn 1']);
  });

  it("renders the model argument through the project's get_where_subquery", () => {
    const compiled = readFileSync(path.join(p.dir, 'target', 'compiled', 'demo', 'models', '_models.yml', 'not_null_days_maybe.sql'), 'utf8');
    expect(compiled).toContain(`(select * from "postgres"."${p.schema}"."days" where d0 < 5) /* project where */ filtered`);
  });

  it("gives tests dbt's unique_ids, so tests named alike both run", () => {
    // md5(name + repr(sorted test_metadata))[-10:], computed with dbt's recipe in Python.
    const ids = build.results.map((r) => r.unique_id);
    expect(ids).toContain('test.demo.expression_is_true_days_d0_1_d.8f1c7bd7e2');
    expect(ids).toContain('test.demo.expression_is_true_days_d0_1_d.3c1eee4416');
    expect(status(/^test\.demo\.expression_is_true_days_d0_1_d\.8f1c7bd7e2$/)).toEqual(['pass 0']);
    expect(status(/^test\.demo\.expression_is_true_days_d0_1_d\.3c1eee4416$/)).toEqual(['fail 3']);
  });

  it('gives column tests the column\'s tags and its quoted name when the column says quote: true', () => {
    const grpTests = Object.values(manifest.nodes).filter((n) => n.name.startsWith('accepted_values_days_grp_'));
    // dbt: the column's tags are the test node's, not its config's (dbt-core's list tests).
    expect(grpTests.map((n) => n.tags)).toEqual([['groups'], ['groups']]);
    expect(grpTests.map((n) => n.config.tags)).toEqual([[], []]);
    expect(manifest.nodes['test.demo.not_null_days__d_.9301146033']?.test_metadata.kwargs.column_name).toBe('"d"');
    expect(status(/^test\.demo\.not_null_days__d_\.9301146033$/)).toEqual(['pass 0']);
  });

  it('names a long test in full and stores its failures and compiled SQL under the hashed alias', async () => {
    const name = 'accepted_values_days_grp__alpha_value__beta_value__delta_value__epsilon_value';
    const alias = 'accepted_values_days_21758a80c269bbcbbad7bd33b1d50577';
    const id = `test.demo.${name}.d596b919ec`;
    expect(manifest.nodes[id]).toMatchObject({ name, alias });
    // gamma_value is not accepted.
    expect(status(new RegExp(`^${id.replace(/\./g, '\\.')}$`))).toEqual(['fail 1']);
    expect(await p.sql(`select value_field from "${p.schema}_dbt_test__audit".${alias}`)).toEqual([{ value_field: 'gamma_value' }]);
    expect(build.output).toContain(`Failure in test ${name} (models/_models.yml)`);
    expect(build.output).toContain(`compiled code at target/compiled/demo/models/_models.yml/${alias}.sql`);
    expect(readFileSync(path.join(p.dir, 'target', 'compiled', 'demo', 'models', '_models.yml', `${alias}.sql`), 'utf8')).toContain("'epsilon_value'");
  });

  it('disables tests of disabled models, tests that ref them and unit tests of them, silently; a missing ref warns', () => {
    expect(build.code).toBe(1); // the failing tests above
    const ids = build.results.map((r) => r.unique_id);
    expect(ids.filter((id) => /feature|relationships|typo_check|legacy/.test(id))).toEqual([]);
    expect(build.output).not.toMatch(/feature_model/);
    expect(build.output).toMatch(/tests\/typo_check\.sql:1: test 'typo_check' is disabled: test 'typo_check' depends on a node named 'no_such_model' which was not found/);
    // A disabled source: its own tests silently, a test selecting from it with a warning (dbt).
    expect(build.output).toMatch(/tests\/legacy_check\.sql:1: test 'legacy_check' depends on source 'raw\.legacy_events', which is disabled: the test is disabled too/);
    expect(build.output).not.toMatch(/not_null_raw_legacy_events/);
  });

  it('warns, as dbt 1.10 does, about arguments not under `arguments:`: the first test shown', () => {
    // The expression_is_true with a var and in_range; not_null's where / error_if are config keys,
    // which dbt's TestBuilder does not count as arguments.
    const warnings = build.output.match(/Found top-level arguments to test/g) ?? [];
    expect(warnings).toHaveLength(1);
    expect(build.output).toMatch(/models\/_models\.yml:8: Found top-level arguments to test `expression_is_true` defined on 'days' in package 'demo' \(models\/_models\.yml\)\. Arguments to generic tests should be nested under the `arguments` property\./);
  });

  it('warns PropertyMovedToConfigDeprecation for each config key beside a test name, which still applies', () => {
    // dbt 1.11 (require_generic_test_arguments_property): one warning per key, `data_tests.<test>.<key>`.
    expect(build.output).toMatch(/Found `where` as a top-level property of `data_tests\.not_null\.where` in file `models\/_models\.yml`\. The `where` top-level property should be moved into the `config` of `data_tests\.not_null\.where`\./);
    const severity = Object.values(manifest.nodes).find((n) => n.name === 'accepted_values_days_grp__alpha_value__beta_value');
    expect(severity).toMatchObject({ config: { severity: 'warn' } });
  });

  it('warns only about described models the project does not have', () => {
    expect(build.output).toMatch(/models\/_models\.yml:\d+: Did not find matching node for patch with name 'ghost_model' in the 'models' section of file 'models\/_models\.yml'/);
    expect(build.output).not.toMatch(/Custom key|top-level key|is a \w+ node, but/);
  });
});

describe('generic test argument errors on pglite', () => {
  it('reports an argument that cannot be rendered at its line in the property file', async () => {
    const p = warehouseProject('pglite', {
      'models/m.sql': 'select 1 as n\n',
      'macros/tests.sql': '{% test expression_is_true(model, expression) %}\nselect * from {{ model }} where not ({{ expression }})\n{% endtest %}\n',
      'models/_models.yml': 'version: 2\nmodels:\n  - name: m\n    data_tests:\n      - expression_is_true:\n          arguments:\n            expression: "n = {{ 1 + }}"\n',
    });
    try {
      const err = (await p.run('build').then(() => null, (e: unknown) => e)) as TsdbtError | null;
      expect(err?.format()).toMatch(/^models\/_models\.yml:5: argument 'expression' of test 'expression_is_true' could not be rendered: unexpected token/);
    } finally {
      await p.cleanup();
    }
  });

  it('refuses the same test declared twice with the same arguments (dbt: same unique_id)', async () => {
    const p = warehouseProject('pglite', {
      'models/m.sql': 'select 1 as n\n',
      'models/_models.yml': 'version: 2\nmodels:\n  - name: m\n    columns:\n      - name: n\n        data_tests:\n          - not_null\n          - not_null: {config: {where: "n > 0"}}\n',
    });
    try {
      const err = (await p.run('build').then(() => null, (e: unknown) => e)) as TsdbtError | null;
      expect(err?.format()).toMatch(/^models\/_models\.yml:8: dbt found two data_tests with the name "not_null_m_n": test 'not_null_m_n' is declared twice with the same arguments \(lines 7 and 8\)\n  hint: remove one, or give them different names/);
    } finally {
      await p.cleanup();
    }
  });

  it('still refuses a model that refs a disabled model (dbt)', async () => {
    const p = warehouseProject('pglite', {
      'models/off.sql': '{{ config(enabled=false) }}\nselect 1 as id\n',
      'models/uses_off.sql': "select * from {{ ref('off') }}\n",
    });
    try {
      const err = (await p.run('build').then(() => null, (e: unknown) => e)) as TsdbtError | null;
      expect(err?.format()).toMatch(/^models\/uses_off\.sql:1: model 'uses_off' depends on 'off', which is disabled/);
    } finally {
      await p.cleanup();
    }
  });
});

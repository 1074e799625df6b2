// Data tests with dbt's exact semantics, on the PostgreSQL server and on PGlite: severity, warn_if /
// error_if comparisons, where, limit, fail_calc, enabled, tags, config from dbt_project.yml and from
// config() in singular tests, custom generic tests (tests/generic/ and macro paths), an overridden
// built-in, tests on seeds, snapshots and sources, argument rendering, store_failures(_as). The
// project is portable SQL, so the same suite runs on ClickHouse (chDB) too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAREHOUSES, warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const FILES: Record<string, string> = {
  'dbt_project.yml': [
    'name: demo',
    'profile: demo',
    'vars:',
    '  big: 100',
    "  positive: 'n > 0'",
    'data_tests:',
    '  demo:',
    '    lenient:',
    '      +severity: warn',
    '',
  ].join('\n'),
  // n = 1..20; maybe is null for n > 15.
  'seeds/numbers.csv': `n\n${Array.from({ length: 20 }, (_v, i) => i + 1).join('\n')}\n`,
  'models/strict/nums.sql': "select n, case when n <= 15 then n end as maybe, n % 2 as parity from {{ ref('numbers') }}\n",
  'models/strict/nums_child.sql': "select n from {{ ref('nums') }}\n",
  'models/lenient/soft.sql': "select n from {{ ref('numbers') }}\n",
  'models/lenient/soft_child.sql': "select n from {{ ref('soft') }}\n",
  'tests/generic/rows_where.sql': '{% test rows_where(model, condition) %}\nselect * from {{ model }} where {{ condition }}\n{% endtest %}\n',
  'macros/expression_is_true.sql': '{% test expression_is_true(model, expression) %}\nselect * from {{ model }} where not ({{ expression }})\n{% endtest %}\n',
  // A project test named like a built-in replaces it: this `unique` also counts nulls as a value.
  'macros/unique_override.sql': [
    '{% test unique(model, column_name) %}',
    'select {{ column_name }} as unique_field, count(*) as n_records from {{ model }}',
    'group by {{ column_name }} having count(*) > 1',
    '{% endtest %}',
    '',
  ].join('\n'),
  'models/strict/_models.yml': `version: 2
models:
  - name: nums
    data_tests:
      - rows_where: {name: warn_if_10_of_10, condition: 'n <= 10', config: {severity: warn, warn_if: '>10'}}
      - rows_where: {name: warn_if_10_of_11, condition: 'n <= 11', config: {severity: warn, warn_if: '>10'}}
      - rows_where: {name: error_if_lt1_with_5, condition: 'n <= 5', config: {error_if: '<1'}}
      - rows_where: {name: both_lt1_with_5, condition: 'n <= 5', config: {error_if: '<1', warn_if: '<1'}}
      - rows_where: {name: error_if_lt1_with_0, condition: 'n > 100', config: {error_if: '<1'}}
      - rows_where: {name: limited, condition: 'n <= 11', config: {limit: 3, store_failures_as: view}}
      - rows_where: {name: summed, condition: 'n <= 3', config: {fail_calc: 'sum(n)', tags: [calc], meta: {owner: ana}, store_failures: true}}
      - rows_where: {name: not_stored, condition: 'n <= 3', config: {store_failures: true, store_failures_as: ephemeral}}
      - rows_where: {name: disabled_one, condition: 'true', config: {enabled: false}}
      - rows_where:
          name: by_arguments
          arguments: {condition: 'parity = 1 and n > 17'}
          config: {severity: warn}
      - expression_is_true: {name: plain_expression, expression: 'n + n = n * 2'}
      - expression_is_true: {name: var_argument, expression: "var('positive')"}
      - expression_is_true: {name: jinja_in_text, expression: "n < {{ var('big') }}", config: {severity: warn}}
    columns:
      - name: maybe
        data_tests:
          - not_null: {name: maybe_not_null_where, config: {where: 'n <= 17'}}
          - unique: {name: maybe_unique_override}
  - name: nums_child
`,
  'models/lenient/_models.yml': `version: 2
models:
  - name: soft
    columns:
      - name: n
        data_tests:
          - accepted_values: {name: soft_small, values: [1, 2, 3], quote: false}
`,
  'tests/singular_warn.sql': "{{ config(severity='warn') }}\nselect n from {{ ref('nums') }} where n > 18\n",
  'seeds/codes.csv': 'code,label\n1,one\n2,two\n2,again\n',
  'seeds/_seeds.yml': 'version: 2\nseeds:\n  - name: codes\n    columns:\n      - name: code\n        data_tests: [{unique: {name: codes_unique, config: {severity: warn}}}]\n',
  'snapshots/nums_snapshot.sql': "{% snapshot nums_snapshot %}\n{{ config(unique_key='n', strategy='check', check_cols='all') }}\nselect * from {{ ref('nums') }}\n{% endsnapshot %}\n",
  'snapshots/_snapshots.yml': 'version: 2\nsnapshots:\n  - name: nums_snapshot\n    columns:\n      - name: n\n        data_tests: [{not_null: {name: snapshot_n_not_null}}]\n',
};

const statusOf = (outcome: RunOutcome, name: string) => {
  const result = outcome.results.find((r) => r.unique_id.split('.')[2] === name);
  return result ? `${result.status} ${String(result.failures ?? '')}`.trim() : 'absent';
};

describe.each([...WAREHOUSES, 'chdb'] as const)('data tests on %s', (kind) => {
  let p: WarehouseProject;
  let build: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject(kind, FILES);
    await p.sql(kind === 'chdb' ? `create database ${p.schema}_raw` : `create schema ${p.schema}_raw`);
    await p.sql(`create table ${p.schema}_raw.events (id ${kind === 'chdb' ? 'Nullable(Int32)' : 'int'}, kind text)${kind === 'chdb' ? ' engine = MergeTree order by tuple()' : ''}`);
    await p.sql(`insert into ${p.schema}_raw.events values (1, 'a'), (2, 'b'), (null, 'a'), (3, 'zzz')`);
    p.write(
      'models/_sources.yml',
      `version: 2\nsources:\n  - name: raw\n    schema: ${p.schema}_raw\n    tables:\n      - name: events\n        columns:\n          - name: id\n            data_tests: [unique, {not_null: {config: {severity: warn}}}]\n          - name: kind\n            data_tests:\n              - accepted_values: {values: [a, b], config: {where: "id is not null"}}\n`,
    );
    build = await p.run('build');
  }, 300_000);
  afterAll(() => p.cleanup());

  it('compares failures with warn_if / error_if exactly as dbt', () => {
    // A passing test reports 0 failures whatever it counted (dbt's build_test_run_result).
    expect(statusOf(build, 'warn_if_10_of_10')).toBe('pass 0');
    expect(statusOf(build, 'warn_if_10_of_11')).toBe('warn 11');
    // error_if '<1' does not fire on 5 failures, but warn_if keeps its default '!=0' (dbt's rule).
    expect(statusOf(build, 'error_if_lt1_with_5')).toBe('warn 5');
    expect(statusOf(build, 'both_lt1_with_5')).toBe('pass 0');
    // No failing rows: '<1' is true, so the test fails.
    expect(statusOf(build, 'error_if_lt1_with_0')).toBe('fail 0');
  });

  it('applies where, limit, fail_calc and enabled', () => {
    expect(statusOf(build, 'maybe_not_null_where')).toBe('fail 2');
    expect(statusOf(build, 'limited')).toBe('fail 3');
    expect(statusOf(build, 'summed')).toBe('fail 6');
    expect(statusOf(build, 'disabled_one')).toBe('absent');
  });

  it('takes config from dbt_project.yml and from config() in singular tests', () => {
    expect(statusOf(build, 'soft_small')).toBe('warn 17');
    expect(statusOf(build, 'singular_warn')).toBe('warn 2');
    expect(statusOf(build, 'by_arguments')).toBe('warn 1');
  });

  it('renders arguments as dbt does: bare ref/source/var/env_var/doc calls and Jinja inside text', () => {
    expect(statusOf(build, 'plain_expression')).toBe('pass 0');
    // var('positive') renders to 'n > 0': no failing rows.
    expect(statusOf(build, 'var_argument')).toBe('pass 0');
    // 'n < {{ var('big') }}' renders to 'n < 100': no failing rows.
    expect(statusOf(build, 'jinja_in_text')).toBe('pass 0');
  });

  it("uses the project's test over a built-in of the same name", () => {
    // The override counts the 5 null `maybe` rows as one duplicated value; the built-in ignores nulls.
    expect(statusOf(build, 'maybe_unique_override')).toBe('fail 1');
  });

  it('runs tests on sources, named as dbt names them', () => {
    expect(statusOf(build, 'source_unique_raw_events_id')).toBe('pass 0');
    expect(statusOf(build, 'source_not_null_raw_events_id')).toBe('warn 1');
    expect(statusOf(build, 'source_accepted_values_raw_events_kind__a__b')).toBe('fail 1');
  });

  it('runs tests on seeds and snapshots', () => {
    expect(statusOf(build, 'codes_unique')).toBe('warn 1');
    expect(statusOf(build, 'snapshot_n_not_null')).toBe('skipped');
  });

  it('skips what depends on a failed error test and lets warnings through', async () => {
    expect(statusOf(build, 'nums_child')).toBe('skipped');
    expect(statusOf(build, 'nums_snapshot')).toBe('skipped');
    expect(statusOf(build, 'soft')).toBe('success');
    expect(statusOf(build, 'soft_child')).toBe('success');
    expect(build.code).toBe(1);
    expect(build.output).toMatch(/SKIP sql view model \S+\.nums_child/);
    expect(build.output).toMatch(/Done\. PASS=\d+ WARN=\d+ ERROR=7 SKIP=3 /);
    expect(await p.sql(`select cast(count(*) as int) as n from ${p.schema}.soft_child`)).toEqual([{ n: 20 }]);
    expect(await p.sql(`select cast(count(*) as int) as n from information_schema.tables where table_schema = '${p.schema}' and table_name = 'nums_child'`)).toEqual([{ n: 0 }]);
  });

  it('stores failing rows in the audit schema as a table or a view (store_failures_as wins)', async () => {
    const audit = `${p.schema}_dbt_test__audit`;
    const relations = await p.sql(`select table_name, table_type from information_schema.tables where table_schema = '${audit}' order by 1`);
    expect(relations).toEqual([{ table_name: 'limited', table_type: 'VIEW' }, { table_name: 'summed', table_type: 'BASE TABLE' }]);
    expect(await p.sql(`select n from ${audit}.summed order by n`)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    // The stored relation holds at most `limit` rows, as dbt's (dbt-tests-adapter's test_store_limit).
    expect(await p.sql(`select cast(count(*) as int) as n from ${audit}.limited`)).toEqual([{ n: 3 }]);
    expect(statusOf(build, 'not_stored')).toBe('fail 3');
    expect(build.output).toMatch(new RegExp(`Failure in test summed \\(models/strict/_models.yml\\)\\n.*Got 6 results[^]*?\\n.*See test failures:\\n.* -+\\n.*select \\* from .*[\`"]${audit}[\`"]\\.[\`"]summed[\`"]`));
    // A second run replaces the stored rows.
    p.write('tests/generic/rows_where.sql', '{% test rows_where(model, condition) %}\nselect * from {{ model }} where {{ condition }} and n > 1\n{% endtest %}\n');
    const again = await p.run('test', { select: ['summed'] });
    expect(again.results.map((r) => `${r.status} ${String(r.failures)}`)).toEqual(['fail 5']);
    expect(await p.sql(`select n from ${audit}.summed order by n`)).toEqual([{ n: 2 }, { n: 3 }]);
  });

  it('selects tests by test_name, test_type and tag', async () => {
    const byName = await p.run('test', { select: ['test_name:expression_is_true'] });
    expect(byName.results.map((r) => r.unique_id.split('.')[2]).sort()).toEqual(['jinja_in_text', 'plain_expression', 'var_argument']);
    const singular = await p.run('test', { select: ['test_type:singular'] });
    expect(singular.results.map((r) => r.unique_id.split('.')[2])).toEqual(['singular_warn']);
    const tagged = await p.run('test', { select: ['tag:calc'] });
    expect(tagged.results.map((r) => `${r.unique_id.split('.')[2]} ${r.status}`)).toEqual(['summed fail']);
  });
});

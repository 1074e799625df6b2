// Unit tests (dbt 1.8 `unit_tests:`) on the PostgreSQL server and on PGlite: dict / csv / sql
// fixtures, a fixture file, omitted columns as nulls, a passing and a failing test with its diff,
// `is_incremental` overridden with a `this` input, var and env var overrides, build running unit
// tests before the model (a failure skips it), and clear errors for inputs that are not parents.
// The project is portable SQL: the same suite runs on ClickHouse (chDB).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAREHOUSES, warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const FILES: Record<string, string> = {
  'seeds/raw_events.csv': 'event_id,user_id,amount,event_ts\n1,u1,10,2024-01-01 10:00:00\n2,u1,5,2024-01-01 11:00:00\n3,u2,7,2024-01-02 09:00:00\n',
  'models/stg_events.sql': "select event_id, user_id, amount, cast(event_ts as {{ dbt.type_timestamp() }}) as event_ts from {{ ref('raw_events') }}\n",
  'models/user_totals.sql': [
    "{{ config(materialized='incremental', unique_key='user_id') }}",
    'select user_id, count(event_id) as events, sum(amount) as amount, max(event_ts) as last_ts',
    "from {{ ref('stg_events') }}",
    '{% if is_incremental() %}',
    'where event_ts > (select max(last_ts) from {{ this }})',
    '{% endif %}',
    'group by user_id',
    '',
  ].join('\n'),
  'models/user_totals_child.sql': "select * from {{ ref('user_totals') }}\n",
  'models/flagged.sql': [
    "select user_id, cast(amount >= {{ var('threshold', 100) }} as {{ dbt.type_boolean() }}) as big, '{{ env_var('TSDBT_UT_LABEL', 'none') }}' as label",
    "from {{ ref('stg_events') }}",
    '',
  ].join('\n'),
  'tests/fixtures/two_events.csv': 'event_id,user_id,amount,event_ts\n1,u9,3,2024-03-01 00:00:00\n2,u9,4,2024-03-01 00:05:00\n',
  'models/_unit_tests.yml': `version: 2
unit_tests:
  - name: totals_per_user
    model: user_totals
    overrides:
      macros: {is_incremental: false}
    given:
      - input: ref('stg_events')
        rows:
          - {event_id: 1, user_id: a, amount: 10, event_ts: '2024-01-01 10:00:00'}
          - {event_id: 2, user_id: a, amount: 2.0, event_ts: '2024-01-01 12:00:00'}
          - {user_id: b, amount: 1, event_ts: '2024-01-03 00:00:00'}
    expect:
      rows:
        - {user_id: a, events: 2, amount: 12}
        - {user_id: b, events: 0, amount: 1}
  - name: totals_wrong
    model: user_totals
    overrides:
      macros: {is_incremental: false}
    given:
      - input: ref('stg_events')
        format: csv
        rows: |
          event_id,user_id,amount,event_ts
          1,a,10,2024-01-01 10:00:00
          2,a,5,2024-01-01 11:00:00
    expect:
      rows:
        - {user_id: a, events: 2, amount: 16}
  - name: totals_incremental_branch
    model: user_totals
    overrides:
      macros:
        is_incremental: true
    given:
      - input: ref('stg_events')
        rows:
          - {event_id: 1, user_id: a, amount: 10, event_ts: '2024-01-01 10:00:00'}
          - {event_id: 2, user_id: a, amount: 5, event_ts: '2024-01-05 10:00:00'}
      - input: this
        rows:
          - {user_id: a, events: 1, amount: 10, last_ts: '2024-01-02 00:00:00'}
    expect:
      format: sql
      rows: |
        select 'a' as user_id, 1 as events, 5 as amount
  - name: totals_from_fixture_file
    model: user_totals
    overrides:
      macros: {is_incremental: false}
    given:
      - input: ref('stg_events')
        format: csv
        fixture: two_events
    expect:
      rows:
        - {user_id: u9, events: 2, amount: 7, last_ts: '2024-03-01 00:05:00'}
  - name: flagged_overrides
    model: flagged
    overrides:
      vars: {threshold: 5}
      env_vars: {TSDBT_UT_LABEL: overridden}
    given:
      - input: ref('stg_events')
        rows:
          - {user_id: a, amount: 4}
          - {user_id: b, amount: 5}
    expect:
      rows:
        - {user_id: a, big: false, label: overridden}
        - {user_id: b, big: true, label: overridden}
  - name: flagged_empty_input
    model: flagged
    given:
      - input: ref('stg_events')
        rows: []
    expect:
      rows: []
`,
};

const byName = (outcome: RunOutcome) =>
  Object.fromEntries(outcome.results.map((r) => [r.unique_id.split('.').slice(2).join('.'), `${r.status}${r.failures === null ? '' : ` ${r.failures}`}`]));

describe.each([...WAREHOUSES, 'chdb'] as const)('unit tests on %s', (kind) => {
  let p: WarehouseProject;
  let build: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject(kind, FILES);
    build = await p.run('build');
  }, 300_000);
  afterAll(() => p.cleanup());

  it('runs unit tests before their model in build; a failing one skips the model and what follows', async () => {
    expect(byName(build)).toEqual({
      raw_events: 'success',
      stg_events: 'success',
      'user_totals.totals_per_user': 'pass 0',
      'user_totals.totals_wrong': 'fail 1', // dbt counts one failure per failing unit test
      'user_totals.totals_incremental_branch': 'pass 0',
      'user_totals.totals_from_fixture_file': 'pass 0',
      user_totals: 'skipped',
      user_totals_child: 'skipped',
      'flagged.flagged_overrides': 'pass 0',
      'flagged.flagged_empty_input': 'pass 0',
      flagged: 'success',
    });
    expect(build.code).toBe(1);
    const order = build.results.map((r) => r.unique_id.split('.').slice(2).join('.'));
    expect(order.indexOf('user_totals.totals_per_user')).toBeLessThan(order.indexOf('user_totals'));
    expect(build.output).toMatch(/START unit_test user_totals::totals_per_user \.+ \[RUN\]/);
    expect(build.output).toMatch(/FAIL 1 user_totals::totals_wrong \.+ \[FAIL 1 in/);
    expect(await p.sql(`select cast(count(*) as int) as n from information_schema.tables where table_schema = '${p.schema}' and table_name = 'user_totals'`)).toEqual([{ n: 0 }]);
    expect(await p.sql(`select user_id, big, label from ${p.schema}.flagged order by user_id, big`)).toEqual([
      { user_id: 'u1', big: false, label: 'none' },
      { user_id: 'u1', big: false, label: 'none' },
      { user_id: 'u2', big: false, label: 'none' },
    ]);
  });

  it("writes dbt's daff diff of the expected and actual tables", () => {
    // dbt's message (task/test.py): blank lines, `actual differs from expected:`, daff's
    // rendering of the highlighted diff (its lines end \r\n), a newline; here without colour codes.
    const message = build.results.find((r) => r.unique_id.endsWith('.totals_wrong'))?.message ?? '';
    expect(message).toBe('\n\nactual differs from expected:\n\n@@,user_id,events,amount\r\n→ ,a      ,2     ,16→15\r\n\n');
    expect(build.output).toContain('Failure in unit_test totals_wrong (models/_unit_tests.yml)');
    expect(build.output).toContain('→ ,a      ,2     ,16→15');
  });

  it('selects unit tests with test_type:unit and by model', async () => {
    const unit = await p.run('test', { select: ['test_type:unit'] });
    expect(Object.keys(byName(unit)).sort()).toEqual([
      'flagged.flagged_empty_input',
      'flagged.flagged_overrides',
      'user_totals.totals_from_fixture_file',
      'user_totals.totals_incremental_branch',
      'user_totals.totals_per_user',
      'user_totals.totals_wrong',
    ]);
    const one = await p.run('test', { select: ['flagged'] });
    expect(byName(one)).toEqual({ 'flagged.flagged_overrides': 'pass 0', 'flagged.flagged_empty_input': 'pass 0' });
  });

  it('fixes the model: the same unit test passes and build builds it', async () => {
    p.write('models/_unit_tests.yml', FILES['models/_unit_tests.yml']!.replace('amount: 16}', 'amount: 15}'));
    const again = await p.run('build', { select: ['+user_totals+'] });
    expect(again.code, again.output).toBe(0);
    expect(byName(again)['user_totals.totals_wrong']).toBe('pass 0');
    expect(await p.sql(`select user_id, cast(events as int) as events, cast(amount as int) as amount from ${p.schema}.user_totals order by user_id`)).toEqual([
      { user_id: 'u1', events: 2, amount: 15 },
      { user_id: 'u2', events: 1, amount: 7 },
    ]);
  });
});

describe('unit test inputs', () => {
  it("accepts an input the model does not read (dbt's parser only looks it up), fails the test (not the parse) for one the project lacks and a parent left without rows", async () => {
    const p = warehouseProject('pglite', {
      'models/a.sql': 'select 1 as id\n',
      'models/b.sql': 'select 2 as id\n',
      'models/c.sql': "select * from {{ ref('a') }} union all select * from {{ ref('b') }}\n",
      'models/d.sql': 'select 4 as id\n',
      'models/_ut.yml': `version: 2
unit_tests:
  - name: extra_input
    model: c
    given:
      - input: ref('a')
        rows: [{id: 10}]
      - input: ref('b')
        rows: [{id: 20}]
      - input: ref('d')
        rows: [{id: 40}]
    expect: {rows: [{id: 10}, {id: 20}]}
`,
    });
    try {
      // dbt types a fixture from its input's table, so the inputs are built first.
      expect((await p.run('run')).code).toBe(0);
      const passed = await p.run('test');
      expect(passed.code, passed.output).toBe(0);
      expect(passed.results.map((r) => [r.unique_id, r.status])).toEqual([['unit_test.demo.c.extra_input', 'pass']]);
      p.write('models/_ut.yml', "version: 2\nunit_tests:\n  - name: missing_input\n    model: c\n    given:\n      - input: ref('nope')\n        rows: [{id: 1}]\n    expect: {rows: []}\n");
      // dbt 1.8+ looks a unit test's inputs up when the test runs: the parse goes on, the test fails.
      const missing = await p.run('test');
      expect(missing.code).toBe(1);
      expect(missing.results.map((r) => [r.unique_id, r.status])).toEqual([['unit_test.demo.c.missing_input', 'error']]);
      // dbt raises a ParsingError here (parser/unit_tests.py _get_original_input_node), when the unit test runs.
      expect(missing.results[0]?.message).toMatch(/^Parsing Error in unit_test missing_input .*\n {2}models\/_ut\.yml:3: Unit test 'missing_input' had an input \(ref\('nope'\)\) which was not found in the manifest\./);
      p.write('models/_ut.yml', "version: 2\nunit_tests:\n  - name: partial\n    model: c\n    given:\n      - input: ref('a')\n        rows: [{id: 1}]\n    expect: {rows: [{id: 1}]}\n");
      const second = await p.run('test');
      expect(second.code).toBe(1);
      expect(second.results.map((r) => [r.unique_id, r.status])).toEqual([['unit_test.demo.c.partial', 'error']]);
      expect(second.results[0]?.message).toContain("models/_ut.yml:3: Unit_Test 'unit_test.demo.c.partial' (models/_ut.yml) depends on a node named 'b' which was not found");
    } finally {
      await p.cleanup();
    }
  });

  it("stops, as dbt's get_fixture_sql does, when an input is not built yet (its column types are unknown)", async () => {
    // medic/cht-pipeline: a boolean column's fixture value `false` compared as text gave PostgreSQL's
    // 'operator does not exist: text = boolean' where dbt says the relation does not exist.
    const p = warehouseProject('pglite', {
      'models/flags.sql': 'select 1 as id, true as active\n',
      'models/active.sql': "select id from {{ ref('flags') }} where active = true\n",
      'models/_ut.yml': "version: 2\nunit_tests:\n  - name: only_active\n    model: active\n    given:\n      - input: ref('flags')\n        rows: [{id: 1, active: true}, {id: 2, active: false}]\n    expect: {rows: [{id: 1}]}\n",
    });
    try {
      const before = await p.run('test', { select: ['test_type:unit'] });
      expect(before.results.map((r) => [r.unique_id, r.status])).toEqual([['unit_test.demo.active.only_active', 'error']]);
      expect(before.results[0]?.message).toMatch(new RegExp(`Not able to get columns for unit test 'flags' from relation (".*"\\.)?"${p.schema}"\\."flags" because the relation doesn't exist`));
      expect((await p.run('run', { select: ['flags'] })).code).toBe(0);
      const after = await p.run('test', { select: ['test_type:unit'] });
      expect(after.results.map((r) => [r.unique_id, r.status])).toEqual([['unit_test.demo.active.only_active', 'pass']]);
    } finally {
      await p.cleanup();
    }
  });
});

describe("a failing unit test under a project's get_unit_test_sql", () => {
  it("writes daff's diff of the rows the project's query tagged actual and expected (dbt splits them by actual_or_expected)", async () => {
    const p = warehouseProject('pglite', {
      'models/a.sql': "select 1 as id, 'x' as v\n",
      'models/b.sql': "select id, v from {{ ref('a') }}\n",
      // Compared case-insensitively: the project's query upper-cases every column of both sides.
      'macros/unit_test_sql.sql': `{% macro default__get_unit_test_sql(main_sql, expected_fixture_sql, expected_column_names) -%}
  {%- set upper = [] -%}{%- for name in expected_column_names -%}{%- do upper.append('upper(cast(' ~ name ~ ' as text)) as ' ~ name) -%}{%- endfor -%}
  select {{ upper | join(', ') }}, 'actual' as actual_or_expected from ({{ main_sql }}) a
  union all
  select {{ upper | join(', ') }}, 'expected' as actual_or_expected from ({{ expected_fixture_sql }}) e
{%- endmacro %}
`,
      'models/_ut.yml': `version: 2
unit_tests:
  - name: b_upper
    model: b
    given:
      - input: ref('a')
        rows: [{id: 1, v: x}, {id: 2, v: y}]
    expect: {rows: [{id: 1, v: X}, {id: 2, v: Z}]}
`,
    });
    try {
      expect((await p.run('run')).code).toBe(0);
      const failed = await p.run('test');
      expect(failed.code).toBe(1);
      const result = failed.results.find((r) => r.unique_id === 'unit_test.demo.b.b_upper');
      expect(result?.status).toBe('fail');
      // The project's query gives the cells (upper-cased text); row 1 equal, row 2 Z expected, Y returned.
      expect(result?.message).toBe('\n\nactual differs from expected:\n\n@@,id,v\r\n  ,1 ,X\r\n→ ,2 ,Z→Y\r\n\n');
    } finally {
      await p.cleanup();
    }
  });
});

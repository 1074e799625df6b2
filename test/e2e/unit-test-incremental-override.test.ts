// dbt's unit-test docs ("Unit testing incremental models"): a unit test of a model that calls
// is_incremental() says which branch it tests with `overrides: macros: is_incremental: true|false`,
// and a test of the incremental branch gives the model's current rows as `input: this`. dbt refuses
// a test that does not when it parses; so does `tsdbt parse` (exit 2, naming the test and model).
import { describe, expect, it } from 'vitest';
import { parseFiles } from '../support/parse-files.js';

const MODEL = `{{ config(materialized='incremental') }}
select * from {{ ref('events') }}
{% if is_incremental() %} where event_time > (select max(event_time) from {{ this }}) {% endif %}
`;
const test = (overrides: string, withThis: boolean) => `unit_tests:
  - name: new_events
    model: daily_events
${overrides}    given:
      - input: ref('events')
        rows: [{event_time: '2024-01-02', id: 2}]
${withThis ? "      - input: this\n        rows: [{event_time: '2024-01-01', id: 1}]\n" : ''}    expect:
      rows: [{event_time: '2024-01-02', id: 2}]
`;

async function parse(unitTests: string) {
  return parseFiles({
    'models/events.sql': "select timestamp '2024-01-01' as event_time, 1 as id\n",
    'models/daily_events.sql': MODEL,
    'models/unit_tests.yml': unitTests,
  });
}

describe("unit tests of a model that calls is_incremental()", () => {
  it('parse with a boolean override, and a this input for the incremental branch', async () => {
    expect((await parse(test('    overrides:\n      macros: {is_incremental: true}\n', true))).code).toBe(0);
    expect((await parse(test('    overrides:\n      macros: {is_incremental: false}\n', false))).code).toBe(0);
  });

  it.each([
    ['no override', ''],
    ['a text override', '    overrides:\n      macros: {is_incremental: sometimes}\n'],
  ])('refuse %s', async (_, overrides) => {
    const bad = await parse(test(overrides, true));
    expect(bad.code, bad.out).toBe(2);
    expect(bad.out).toContain("Boolean override for 'is_incremental' must be provided for unit test 'new_events' in model 'daily_events'");
    expect(bad.out).toContain('models/unit_tests.yml');
  });

  it('refuse the incremental branch without a this input', async () => {
    const bad = await parse(test('    overrides:\n      macros: {is_incremental: true}\n', false));
    expect(bad.code, bad.out).toBe(2);
    expect(bad.out).toContain("Unit test 'new_events' for incremental model 'daily_events' must have a 'this' input");
  });
});

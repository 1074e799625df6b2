// A data test's `failures` must be a whole number, as dbt's TestResultData validates it: a fail_calc
// of sum() over no failing rows is NULL, which dbt reports as an error ("None is not of type
// 'integer'"), not as a pass; coalesce(sum(...), 0) is the documented cure. A fraction (avg) errors
// the same way. Found on snowleafbooks/dbt-analytics-engineer-certification's
// assert_fct_orders_amount_matches_items, whose `unsafe_fail_calc` var shows dbt 1.11's error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAREHOUSES, warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const FILES: Record<string, string> = {
  'dbt_project.yml': 'name: demo\nprofile: demo\n',
  'models/nums.sql': 'select n from (values (1), (2), (3), (4)) as t(n)\n',
  'tests/sum_over_none.sql': "{{ config(fail_calc='sum(n)') }}\nselect n from {{ ref('nums') }} where n > 10\n",
  'tests/coalesced_sum_over_none.sql': "{{ config(fail_calc='coalesce(sum(n), 0)') }}\nselect n from {{ ref('nums') }} where n > 10\n",
  'tests/sum_over_some.sql': "{{ config(fail_calc='sum(n)') }}\nselect n from {{ ref('nums') }} where n > 2\n",
  'tests/fraction.sql': "{{ config(fail_calc='avg(n)') }}\nselect n from {{ ref('nums') }}\n",
};

const outcomeOf = (outcome: RunOutcome, name: string) => {
  const result = outcome.results.find((r) => r.unique_id.split('.')[2] === name);
  return result ? `${result.status} ${String(result.failures ?? '')}`.trim() : 'absent';
};

describe.each(WAREHOUSES)('a data test whose fail_calc is no whole number, on %s', (kind) => {
  let p: WarehouseProject;
  let build: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject(kind, FILES);
    build = await p.run('build');
  }, 300_000);
  afterAll(() => p.cleanup());

  it('errors on a NULL failures, as dbt does, and says to coalesce it', () => {
    expect(outcomeOf(build, 'sum_over_none')).toBe('error');
    const message = build.results.find((r) => r.unique_id.endsWith('.sum_over_none'))?.message ?? '';
    expect(message).toContain("None is not of type 'integer'");
    expect(build.output).toContain('coalesce(sum(n), 0)');
    expect(build.code).toBe(1);
  });

  it('passes the coalesced form and counts a whole sum', () => {
    expect(outcomeOf(build, 'coalesced_sum_over_none')).toBe('pass 0');
    expect(outcomeOf(build, 'sum_over_some')).toBe('fail 7');
  });

  it('errors on a fraction', () => {
    expect(outcomeOf(build, 'fraction')).toBe('error');
    expect(build.results.find((r) => r.unique_id.endsWith('.fraction'))?.message ?? '').toContain("2.5 is not of type 'integer'");
  });
});

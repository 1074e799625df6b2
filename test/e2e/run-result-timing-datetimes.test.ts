// on-run-end's `results[i].timing` entries are dbt's TimingInfo: `started_at` and `completed_at` are
// naive UTC datetimes, so a hook can subtract them (netbek/dbt_audit's get_timing_dict does
// `(end_at - start_at).total_seconds()`) or call `isoformat()`; `to_dict()` still gives strings.
// Before, they were strings and the subtraction failed: "unsupported operand type(s) for -: 'str' and 'str'".
import { afterAll, describe, expect, it } from 'vitest';
import { warehouseProject } from '../support/warehouse-project.js';

describe('timing entries of on-run-end results hold datetimes', () => {
  const hook = [
    'create table {{ target.schema }}.timings as',
    "{% for r in results %}{% for t in r.timing %}",
    "{% if not (loop.first and r == results[0]) %}union all {% endif %}",
    "select '{{ t.name }}' as name, {{ (t.completed_at - t.started_at).total_seconds() >= 0 }} as ordered,",
    " '{{ t.started_at.tzinfo is none }}' as naive, '{{ t.started_at.isoformat()[:4] == run_started_at.strftime('%Y') }}' as same_year,",
    " '{{ t.to_dict()['started_at'] is string }}' as dict_string",
    '{% endfor %}{% endfor %}',
  ].join(' ');
  const project = warehouseProject('pglite', {
    'dbt_project.yml': `name: demo\nprofile: demo\non-run-end:\n  - ${JSON.stringify(hook)}\n`,
    'models/plain.sql': 'select 1 as id',
  });
  afterAll(() => project.cleanup());

  it('subtracts started_at from completed_at and formats them', async () => {
    const run = await project.run('run');
    expect(run.code, run.output).toBe(0);
    const rows = await project.sql(`select * from "${project.schema}".timings order by name`);
    expect(rows).toEqual([
      { name: 'compile', ordered: true, naive: 'True', same_year: 'True', dict_string: 'True' },
      { name: 'execute', ordered: true, naive: 'True', same_year: 'True', dict_string: 'True' },
    ]);
  });
});

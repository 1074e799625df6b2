// Timestamps read back with run_query keep their microseconds, as psycopg2's datetimes do in dbt:
// a template that renders one into SQL (`where detected_time = '{{ last }}'`) must match the stored
// value. Found on re-data/dbt-re-data, whose schema-change model compares re_data_columns_over_time's
// detected_time with the last two values it read: with milliseconds only, it matched no row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAREHOUSES, warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const FILES: Record<string, string> = {
  'dbt_project.yml': 'name: demo\nprofile: demo\n',
  'models/stamps.sql': "select cast('2024-01-02 03:04:05.123456' as timestamp) as t union all select cast('2024-01-02 03:04:05.5' as timestamp)\n",
  'models/read_back.sql': [
    "-- depends_on: {{ ref('stamps') }}",
    "{% set rows = run_query(\"select t from \" ~ ref('stamps') ~ \" order by t\") if execute else none %}",
    "{% set tz = run_query(\"select cast('2024-01-02 03:04:05.000007+00' as timestamptz) as z\").columns[0].values()[0] if execute else none %}",
    '{% if execute %}',
    "select '{{ rows.columns[0].values()[0] }}' as first_text, {{ rows.columns[0].values()[0].microsecond }} as first_us,",
    "  '{{ rows.columns[0].values()[1] }}' as second_text, '{{ tz }}' as tz_text,",
    "  (select count(*) from {{ ref('stamps') }} where t = '{{ rows.columns[0].values()[0] }}') as matched",
    '{% else %}select 1 as x{% endif %}',
    '',
  ].join('\n'),
};

describe.each(WAREHOUSES)('run_query timestamps on %s', (kind) => {
  let p: WarehouseProject;
  beforeAll(async () => {
    p = warehouseProject(kind, FILES);
    const out = await p.run('run');
    expect(out.code, out.output).toBe(0);
  }, 300_000);
  afterAll(() => p.cleanup());

  it('keep their microseconds, so a rendered value matches the stored one', async () => {
    expect(await p.sql(`select first_text, first_us, second_text, tz_text, cast(matched as int) as matched from ${p.schema}.read_back`)).toEqual([
      { first_text: '2024-01-02 03:04:05.123456', first_us: 123456, second_text: '2024-01-02 03:04:05.500000', tz_text: '2024-01-02 03:04:05.000007+00:00', matched: 1 },
    ]);
  });
});

// An ephemeral model's SQL is rendered when a model that refs it compiles, with `execute` true, so
// its Jinja may ask the warehouse (`adapter.get_columns_in_relation`, `run_query`), as dbt's docs
// allow for any model ("execute" and "adapter" pages); dbt_utils.star over a source, as Fivetran's
// packages write their ephemeral staging models, does just that. The CTE then holds the answers.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { queryProjectPglite } from '../support/pglite-query.js';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

describe('an ephemeral model that queries the warehouse while it renders', () => {
  const dir = testdir({
    'dbt_project.yml': 'name: ephq\nprofile: ephq\n',
    'seeds/people.csv': 'id,first_name,city\n1,ann,oslo\n2,bo,rome\n',
    'models/eph_cols.sql': [
      "{{ config(materialized='ephemeral') }}",
      "{%- set cols = adapter.get_columns_in_relation(ref('people')) -%}",
      "{%- set n = run_query('select count(*) from ' ~ ref('people')).columns[0].values()[0] if execute else 0 -%}",
      "select {% for c in cols %}{{ c.name }}, {% endfor %}{{ n }} as people_count from {{ ref('people') }}",
      '',
    ].join('\n'),
    'models/wide.sql': "select * from {{ ref('eph_cols') }}\n",
    // Two ephemeral inputs that each ask: every attempt of the render must ask the same questions.
    'seeds/cities.csv': 'city,country\noslo,no\nrome,it\n',
    'models/eph_city_cols.sql': [
      "{{ config(materialized='ephemeral') }}",
      "{%- set cols = adapter.get_columns_in_relation(ref('cities')) -%}",
      "select {% for c in cols %}{{ c.name }}{{ ', ' if not loop.last }}{% endfor %} from {{ ref('cities') }}",
      '',
    ].join('\n'),
    'models/joined.sql': "select p.first_name, c.country from {{ ref('eph_cols') }} as p join {{ ref('eph_city_cols') }} as c on c.city = p.city\n",
  });
  afterAll(() => removeDir(dir));

  it('compiles the CTEs with the answers, and runs the models that read them', async () => {
    expect((await runTsdbt(['seed', '--project-dir', dir])).code).toBe(0);
    const compiled = await runTsdbt(['compile', '-s', 'wide', '--project-dir', dir]);
    expect(compiled.stdout + compiled.stderr).not.toContain('internal error');
    expect(compiled.code).toBe(0);
    const sql = readFileSync(path.join(dir, 'target/compiled/ephq/models/wide.sql'), 'utf8');
    expect(sql).toContain('select id, first_name, city, 2 as people_count from "postgres"."analytics"."people"');

    const run = await runTsdbt(['run', '--project-dir', dir]);
    expect(run.code).toBe(0);
    const rows = await queryProjectPglite(dir, 'select id, first_name, city, people_count from analytics.wide order by id');
    expect(rows).toEqual([
      { id: 1, first_name: 'ann', city: 'oslo', people_count: 2 },
      { id: 2, first_name: 'bo', city: 'rome', people_count: 2 },
    ]);
    expect(await queryProjectPglite(dir, 'select first_name, country from analytics.joined order by 1')).toEqual([
      { first_name: 'ann', country: 'no' },
      { first_name: 'bo', country: 'it' },
    ]);
  });
});

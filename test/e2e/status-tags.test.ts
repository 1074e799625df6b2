// The status tags of a build's lines on PostgreSQL (PGlite): every insert reads as PostgreSQL
// reports one (`INSERT 0 3`), whether the warehouse's tag is passed through (incremental models)
// or the step counted its rows itself (snapshots); seeds keep dbt-core's own `INSERT 3`.
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir, writeFiles } from '../support/testdir.js';

describe('status tags on PostgreSQL', () => {
  const dir = testdir({
    'dbt_project.yml': MINIMAL_PROJECT_YML,
    'seeds/people.csv': 'id,name\n1,a\n2,b\n3,c\n',
    'models/inc.sql': "{{ config(materialized='incremental', unique_key='id', incremental_strategy='delete+insert') }}\nselect * from {{ ref('people') }}\n",
    'snapshots/people_snap.sql': "{% snapshot people_snap %}\n{{ config(unique_key='id', strategy='check', check_cols='all', target_schema=target.schema) }}\nselect * from {{ ref('people') }}\n{% endsnapshot %}\n",
  });
  afterAll(() => removeDir(dir));
  const build = () => runTsdbt(['build', '--project-dir', dir], { env: { HOME: dir } });
  const tagOf = (output: string, name: string) => new RegExp(`OK \\w+ [^\\n]*\\b${name} \\.+ \\[([^\\]]+?) in `).exec(output)?.[1];

  it('reads inserts as PostgreSQL does, seeds as dbt-core does', async () => {
    const first = await build();
    expect(first.code, first.stdout + first.stderr).toBe(0);
    writeFiles(dir, { 'seeds/people.csv': 'id,name\n1,a\n2,B\n3,c\n4,d\n' });
    const second = await build();
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(tagOf(second.stdout, 'people')).toBe('INSERT 4');
    expect(tagOf(second.stdout, 'inc')).toBe('INSERT 0 4');
    // One changed row closed and inserted, one new row: two new versions.
    expect(tagOf(second.stdout, 'people_snap')).toBe('INSERT 0 2');
  });
});

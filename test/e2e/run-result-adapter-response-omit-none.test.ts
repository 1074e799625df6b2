// dbt hands on-run-end each result's `adapter_response` as `AdapterResponse.to_dict(omit_none=True)`:
// when the warehouse reported no row count (dbt-clickhouse never does), the dict has no
// `rows_affected` key, so `adapter_response.get('rows_affected')` is None (netbek/dbt_audit writes
// `null` for it). Before, tsdbt kept the key with no value: `.get()` gave Undefined, the upload wrote
// an empty SQL value (`'CREATE VIEW',,'{...}'`) and the dict printed as `'rows_affected': ,`.
import { afterAll, describe, expect, it } from 'vitest';
import { warehouseProject } from '../support/warehouse-project.js';

describe('adapter_response in on-run-end omits a missing rows_affected', () => {
  const hook = [
    '{% for r in results %}',
    "{% do run_query(\"insert into \" ~ target.schema ~ \".responses select '\" ~ r.node.name ~ \"', '\" ~ (r.adapter_response.get('rows_affected') is none) ~ \"', '\" ~ ('rows_affected' in r.adapter_response) ~ \"'\") %}",
    '{% endfor %}',
  ].join('');
  const project = warehouseProject('chdb', {
    'dbt_project.yml': [
      'name: demo',
      'profile: demo',
      'on-run-start:',
      `  - "create table if not exists {{ target.schema }}.responses (name String, is_none String, has_key String) engine = MergeTree order by name"`,
      'on-run-end:',
      `  - ${JSON.stringify(hook)}`,
      '',
    ].join('\n'),
    'models/plain_view.sql': "{{ config(materialized='view') }} select 1 as id",
  });
  afterAll(() => project.cleanup());

  it('gives None for rows_affected of a view', async () => {
    const run = await project.run('run');
    expect(run.code, run.output).toBe(0);
    const rows = await project.sql(`select name, is_none, has_key from ${project.schema}.responses`);
    expect(rows).toEqual([{ name: 'plain_view', is_none: 'True', has_key: 'False' }]);
  });
});

// dbt's selected_resources (docs: reference/dbt-jinja-functions/selected_resources) lists the nodes
// the command selected, after its node selector's resource-type filter: `dbt run --select m+` holds
// m and the models after it, not a snapshot that reads m (run selects models only); build keeps it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const HOOK = "{{ log('selected: ' ~ (selected_resources | sort | join(',')), info=true) }}";

describe('selected_resources per command', () => {
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject('pglite', {
      'dbt_project.yml': `name: demo\nprofile: demo\non-run-start:\n  - "${HOOK}"\n`,
      'models/m1.sql': 'select 1 as id',
      'models/m2.sql': "select * from {{ ref('m1') }}",
      'snapshots/snap.sql': "{% snapshot snap %}{{ config(unique_key='id', strategy='check', check_cols='all', target_schema=target.schema) }}select * from {{ ref('m1') }}{% endsnapshot %}",
    });
  });
  afterAll(() => p.cleanup());

  it('run: only the models of the selection; build: every node of it', async () => {
    const run = await p.run('run', { select: ['m1+'] });
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('selected: model.demo.m1,model.demo.m2\n');
    const build = await p.run('build', { select: ['m1+'] });
    expect(build.code, build.output).toBe(0);
    expect(build.output).toContain('selected: model.demo.m1,model.demo.m2,snapshot.demo.snap\n');
  }, 120_000);
});

// dbt's `graph` is one dict for the whole run, and packages keep run state in it: Elementary's
// on-run-start hook does `graph.setdefault('elementary', {...})` and later renders read and fill
// it. tsdbt's graph entries stay read-only (every render shares them), but the top level is the
// run's own (one per parse session): a key added there is seen by every later render of the run.
import { afterAll, describe, expect, it } from 'vitest';
import { offlineProject, type OfflineProject } from '../support/offline-project.js';
import { removeDir } from '../support/testdir.js';
import { warehouseProject } from '../support/warehouse-project.js';

describe('graph as run state', () => {
  let p: OfflineProject | undefined;
  afterAll(() => p && removeDir(p.dir));

  it('keeps what a render adds to the top level of graph for the later renders of the run', async () => {
    p = await offlineProject({
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'models/first.sql': "{% if execute %}{% set state = graph.setdefault('shared', {'seen': []}) %}{% do state.seen.append('first') %}{% endif %}select 1 as x",
      'models/second.sql': "select '{{ graph.shared.seen | join(\",\") if execute else \"\" }}' as seen, {{ graph.nodes | length }} as nodes from {{ ref('first') }}",
    });
    expect(p.compiled('second')).toContain("select 'first' as seen, 2 as nodes");
  });
});

describe('graph as run state, with renders that reach the warehouse', () => {
  const project = warehouseProject('pglite', {
    'dbt_project.yml': 'name: demo\nprofile: demo\n',
    // The render stops at run_query after changing graph, and renders again from the start.
    'models/first.sql': "{% if execute %}{% set state = graph.setdefault('shared', {'seen': []}) %}{% do state.seen.append('first') %}{% do run_query('select 1') %}{% endif %}select 1 as x",
    'models/second.sql': "select '{{ graph.shared.seen | join(\",\") if execute else \"\" }}' as seen from {{ ref('first') }}",
  });
  afterAll(() => project.cleanup());

  it('undoes what an attempt changed when it stops to ask the warehouse, so each change counts once', async () => {
    const run = await project.run('run');
    expect(run.code, run.output).toBe(0);
    expect(await project.sql(`select seen from "${project.schema}".second`)).toEqual([{ seen: 'first' }]);
  });
});

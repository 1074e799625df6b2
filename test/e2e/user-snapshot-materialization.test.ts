// A project's own `{% materialization snapshot, default %}` runs its snapshots, as dbt's resolution
// (project > package > adapter > default) picks it over dbt's own (docs.getdbt.com/guides/create-new-materializations):
// here dbt-adapters' snapshot materialization itself, copied into the project with a log line, on the
// global project's snapshot helpers and strategies; and a project's wrapper of the built-in.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

/** dbt-adapters' global_project/macros/materializations/snapshots/snapshot.sql (Apache-2.0), with a log line. */
const DBT_SNAPSHOT = readFileSync(new URL('./fixtures/dbt-snapshot-materialization.sql', import.meta.url), 'utf8');

const SOURCE_V1 = "{{ config(materialized='table') }}\nselect 1 as id, 'ana' as name, timestamp '2024-01-01' as updated_at\nunion all select 2, 'bo', timestamp '2024-01-01'\n";
const SOURCE_V2 = "{{ config(materialized='table') }}\nselect 1 as id, 'ana' as name, timestamp '2024-01-01' as updated_at\nunion all select 2, 'bob', timestamp '2024-02-01'\nunion all select 3, 'cy', timestamp '2024-02-01'\n";
const SNAPSHOT = "{% snapshot snap %}\n{{ config(strategy='timestamp', unique_key='id', updated_at='updated_at', target_schema=target.schema) }}\nselect * from {{ ref('people') }}\n{% endsnapshot %}\n";

describe("a project's snapshot materialization", () => {
  const projects: WarehouseProject[] = [];
  afterAll(async () => {
    for (const p of projects) await p.cleanup();
  });

  it("dbt's own snapshot materialization, as the project's: used instead of the built-in, and its SCD rows are dbt's", async () => {
    const p = warehouseProject('pglite', {
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'macros/snapshot.sql': DBT_SNAPSHOT,
      'models/people.sql': SOURCE_V1,
      'snapshots/snap.sql': SNAPSHOT,
    });
    projects.push(p);
    expect((await p.run('run')).code).toBe(0);
    const first = await p.run('snapshot');
    expect(first.code, first.output).toBe(0);
    expect(first.output).toContain('project snapshot materialization: snap');
    expect(first.output).not.toContain('is not used');
    p.write('models/people.sql', SOURCE_V2);
    expect((await p.run('run')).code).toBe(0);
    const second = await p.run('snapshot');
    expect(second.code, second.output).toBe(0);
    expect(second.output).toContain('project snapshot materialization: snap');
    const rows = await p.sql(
      `select id, name, to_char(dbt_valid_from, 'YYYY-MM-DD') as valid_from, to_char(dbt_valid_to, 'YYYY-MM-DD') as valid_to from "${p.schema}".snap order by id, dbt_valid_from`,
    );
    expect(rows).toEqual([
      { id: 1, name: 'ana', valid_from: '2024-01-01', valid_to: null },
      { id: 2, name: 'bo', valid_from: '2024-01-01', valid_to: '2024-02-01' },
      { id: 2, name: 'bob', valid_from: '2024-02-01', valid_to: null },
      { id: 3, name: 'cy', valid_from: '2024-02-01', valid_to: null },
    ]);
  });

  it('a project snapshot materialization may wrap the built-in (dbt.materialization_snapshot_default())', async () => {
    const p = warehouseProject('pglite', {
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'macros/snapshot.sql': [
        '{% materialization snapshot, default %}',
        "  {{ log('wrapping the snapshot of ' ~ this.identifier, info=True) }}",
        '  {{ return(dbt.materialization_snapshot_default()) }}',
        '{% endmaterialization %}',
      ].join('\n'),
      'models/people.sql': SOURCE_V1,
      'snapshots/snap.sql': SNAPSHOT,
    });
    projects.push(p);
    expect((await p.run('run')).code).toBe(0);
    const out = await p.run('snapshot');
    expect(out.code, out.output).toBe(0);
    expect(out.output).toContain('wrapping the snapshot of snap');
    expect(await p.sql(`select id, name from "${p.schema}".snap order by id`)).toEqual([
      { id: 1, name: 'ana' },
      { id: 2, name: 'bo' },
    ]);
  });
});

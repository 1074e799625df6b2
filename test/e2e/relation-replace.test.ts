// A project's own `ref()` that returns another relation than the builtin's (dbt's docs, "builtins":
// override ref and call `builtins.ref`) keeps `--empty` and a microbatch batch's input filter only
// if it carries them over, as dbt-adapters' BaseRelation lets it: `relation.limit` and
// `relation.event_time_filter` read them off the builtin ref, `relation.replace(limit=...,
// event_time_filter=...)` (dataclasses.replace) puts them on the relation it picked. Checked by the
// rows each build leaves, on embedded PGlite.
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const FILES = {
  'dbt_project.yml': 'name: picks\nprofile: picks\nseeds:\n  picks:\n    raw_events:\n      +event_time: event_date\n',
  'seeds/raw_events.csv': 'id,event_date\n1,2025-01-01\n2,2025-01-01\n3,2025-01-02\n4,2025-01-03\n',
  // The override looks the relation up in the warehouse (as packages that pick between environments
  // do) and hands it back with the builtin ref's limit and event-time filter.
  'macros/ref.sql': `{% macro ref(model_name) %}
  {% set rel = builtins.ref(model_name) %}
  {% set found = adapter.get_relation(database=rel.database, schema=rel.schema, identifier=rel.identifier) if execute else none %}
  {% if found is none %}{{ return(rel) }}{% endif %}
  {{ return(found.replace(limit=rel.limit, event_time_filter=rel.event_time_filter)) }}
{% endmacro %}
`,
  'models/events.sql': "{{ config(materialized='table') }}\nselect id, event_date from {{ ref('raw_events') }}\n",
  'models/daily.sql': `{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='event_date', begin='2025-01-01', batch_size='day') }}
select id, event_date from {{ ref('raw_events') }}
`,
  'models/inspect.sql': `{% set rel = builtins.ref('raw_events') %}
select '{{ rel.limit }}' as lim, '{{ rel.event_time_filter }}' as etf, '{{ rel.replace(limit=5) }}' as limited,
  '{{ rel.replace(limit=5).include(database=False) }}' as narrowed
`,
};

async function rows(dir: string, sql: string): Promise<Record<string, unknown>[]> {
  const db = new PGlite(path.join(dir, 'target', 'tsdbt.pglite'));
  try {
    return (await db.query<Record<string, unknown>>(sql)).rows;
  } finally {
    await db.close();
  }
}

describe("relation.replace(), relation.limit and relation.event_time_filter in a ref() override", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeDir));

  it('carries --empty and the batch window over to the relation the override returns', async () => {
    const dir = testdir(FILES);
    dirs.push(dir);
    const seed = await runTsdbt(['seed', '--project-dir', dir]);
    expect(seed.code, seed.stdout + seed.stderr).toBe(0);

    // Without --empty the relation carries no limit and no filter: every row comes through.
    const full = await runTsdbt(['run', '-s', 'events', 'inspect', '--project-dir', dir]);
    expect(full.code, full.stdout + full.stderr).toBe(0);
    expect(await rows(dir, 'select count(*)::int as n from analytics.events')).toEqual([{ n: 4 }]);
    // A relation derived from a limited one stays limited, as dbt's dataclass fields carry over.
    expect(await rows(dir, 'select lim, etf, limited, narrowed from analytics.inspect')).toEqual([
      {
        lim: 'None',
        etf: 'None',
        limited: '(select * from "postgres"."analytics"."raw_events" limit 5) _dbt_limit_subq_raw_events',
        narrowed: '(select * from "analytics"."raw_events" limit 5) _dbt_limit_subq_raw_events',
      },
    ]);

    // --empty: the override's relation reads no rows either.
    const empty = await runTsdbt(['run', '-s', 'events', '--empty', '--project-dir', dir]);
    expect(empty.code, empty.stdout + empty.stderr).toBe(0);
    expect(await rows(dir, 'select count(*)::int as n from analytics.events')).toEqual([{ n: 0 }]);
    expect(readFileSync(path.join(dir, 'target/run/picks/models/events.sql'), 'utf8')).toContain(
      'from (select * from "postgres"."analytics"."raw_events" where false limit 0) _dbt_limit_subq_raw_events',
    );

    // A microbatch over two days reads each day's rows once: the batch filter survived the override.
    const batches = await runTsdbt(['run', '-s', 'daily', '--event-time-start', '2025-01-01', '--event-time-end', '2025-01-03', '--project-dir', dir]);
    expect(batches.code, batches.stdout + batches.stderr).toBe(0);
    expect(await rows(dir, 'select id from analytics.daily order by id')).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  });

  it('refuses a field a relation does not have, as Python refuses the keyword', async () => {
    const dir = testdir({ ...FILES, 'models/inspect.sql': "select '{{ builtins.ref('raw_events').replace(rows=1) }}' as x\n" });
    dirs.push(dir);
    const result = await runTsdbt(['compile', '-s', 'inspect', '--project-dir', dir]);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain("relation.replace() got an unexpected keyword argument 'rows'");
  });
});

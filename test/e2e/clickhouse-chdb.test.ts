// The ClickHouse adapter on embedded chDB (a real ClickHouse engine in-process), through the same
// @clickhouse/client code path as a server: seeds with NULLs bulk-loaded as CSV, views, MergeTree
// tables from dbt-clickhouse configs, atomic replacement with EXCHANGE TABLES (a failing rebuild
// leaves the old table), incremental append / delete+insert / merge (as delete+insert), data tests
// with thresholds, introspection, and `tsdbt debug`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debugCommand } from '../../src/app/commands.js';
import { createInvocation } from '../../src/app/invocation.js';
import { createAdapter } from '../../src/adapters/index.js';
import { chdbDataDir, warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const FILES: Record<string, string> = {
  'dbt_project.yml': 'name: demo\nprofile: demo\nmodels:\n  demo:\n    +materialized: table\n',
  'seeds/people.csv': 'id,name,score,joined_at\n1,ana,1.5,2024-01-01 10:00:00\n2,bo,,2024-01-02 00:00:00\n3,,2,\n',
  // As dbt-clickhouse's, a seed's empty field is the type's default unless its column is Nullable.
  'seeds/people.yml': 'version: 2\nseeds:\n  - name: people\n    config:\n      column_types: {name: Nullable(String), score: Nullable(Float64)}\n',
  'models/people_v.sql': "{{ config(materialized='view') }}\nselect id, name, score from {{ ref('people') }}\n",
  'models/scores.sql': "{{ config(engine='ReplacingMergeTree()', order_by=['id'], settings={'index_granularity': 1024}) }}\nselect id, coalesce(name, 'none') as name, score * 2 as double_score from {{ ref('people_v') }}\n",
  'models/events_append.sql': "{{ config(materialized='incremental', order_by='id') }}\nselect number as id from numbers({{ var('n', 3) }})\n{% if is_incremental() %}where id > (select max(id) from {{ this }}){% endif %}\n",
  'models/by_key.sql': "{{ config(materialized='incremental', unique_key='id', incremental_strategy=var('strategy', 'delete+insert'), order_by='id') }}\nselect number as id, concat('v', toString({{ var('version', 1) }})) as v from numbers({{ var('n', 3) }})\n{% if is_incremental() %}where id >= {{ var('n', 3) }} - 2{% endif %}\n",
  'models/_models.yml': `version: 2
models:
  - name: scores
    columns:
      - name: id
        data_tests: [unique, not_null]
      - name: name
        data_tests:
          - accepted_values: {values: [ana, bo, none]}
      - name: double_score
        data_tests:
          - not_null: {config: {severity: warn}}
`,
};

describe('ClickHouse on chDB', () => {
  let p: WarehouseProject;
  let first: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject('chdb', FILES);
    first = await p.run('build');
  }, 300_000);
  afterAll(() => p.cleanup());

  it('builds seeds, views, MergeTree tables and runs the data tests', async () => {
    expect(first.code, first.output).toBe(0);
    const status: unknown = Object.fromEntries(first.results.map((r) => [r.unique_id.split('.')[2], `${r.status}${r.failures === null ? '' : ` ${r.failures}`}`]));
    expect(status).toMatchObject({ people: 'success', people_v: 'success', scores: 'success', unique_scores_id: 'pass 0', not_null_scores_double_score: 'warn 1' });
    expect(await p.sql(`select id, name, score from \`${p.schema}\`.people order by id`)).toEqual([
      { id: 1, name: 'ana', score: 1.5 },
      { id: 2, name: 'bo', score: null },
      { id: 3, name: null, score: 2 },
    ]);
    const tables = await p.sql(`select name, engine, sorting_key from system.tables where database = '${p.schema}' order by name`);
    expect(tables).toEqual(
      expect.arrayContaining([
        { name: 'people_v', engine: 'View', sorting_key: '' },
        { name: 'scores', engine: 'ReplacingMergeTree', sorting_key: 'id' },
      ]),
    );
    expect(await p.sql(`select id, name, double_score from \`${p.schema}\`.scores order by id`)).toEqual([
      { id: 1, name: 'ana', double_score: 3 },
      { id: 2, name: 'bo', double_score: null },
      { id: 3, name: 'none', double_score: 4 },
    ]);
  });

  it('replaces a table with EXCHANGE TABLES, and a failing rebuild leaves the old one', async () => {
    p.write('models/scores.sql', "{{ config(order_by='id') }}\nselect id, 'changed' as name, 0 as double_score from {{ ref('people_v') }}\n");
    const rebuilt = await p.run('run', { select: ['scores'] });
    expect(rebuilt.code, rebuilt.output).toBe(0);
    expect(await p.sql(`select distinct name from \`${p.schema}\`.scores`)).toEqual([{ name: 'changed' }]);
    p.write('models/scores.sql', "select id, no_such_column from {{ ref('people_v') }}\n");
    const broken = await p.run('run', { select: ['scores'] });
    expect(broken.code).toBe(1);
    expect(broken.results[0]?.message).toMatch(/no_such_column/);
    expect(await p.sql(`select count() as n, any(name) as name from \`${p.schema}\`.scores`)).toEqual([{ n: 3, name: 'changed' }]);
    expect(await p.sql(`select count() as n from system.tables where database = '${p.schema}' and name like '%tsdbt%'`)).toEqual([{ n: 0 }]);
  });

  it('appends, and applies delete+insert, merge and legacy (rewrite and exchange) by key', async () => {
    const appended = await p.run('run', { select: ['events_append'], vars: '{n: 5}' });
    expect(appended.code, appended.output).toBe(0);
    expect(await p.sql(`select groupArray(id) as ids from (select id from \`${p.schema}\`.events_append order by id)`)).toEqual([{ ids: [0, 1, 2, 3, 4] }]);
    for (const strategy of ['delete+insert', 'merge', 'legacy']) {
      const run = await p.run('run', { select: ['by_key'], vars: `{strategy: "${strategy}", n: 5, version: 2}` });
      expect(run.code, run.output).toBe(0);
    }
    // Keys 3 and 4 arrived once each; the last run rewrote 3 and 4 again (n - 2 = 3) with version 2.
    expect(await p.sql(`select id, v from \`${p.schema}\`.by_key order by id`)).toEqual([
      { id: 0, v: 'v1' },
      { id: 1, v: 'v1' },
      { id: 2, v: 'v1' },
      { id: 3, v: 'v2' },
      { id: 4, v: 'v2' },
    ]);
  });

  it('aborts a running statement on Ctrl-C', async () => {
    const adapter = await createAdapter({ type: 'clickhouse', name: 't', driver: 'chdb', path: chdbDataDir(), schema: p.schema, threads: 1 }, { projectDir: p.dir, targetDir: `${p.dir}/target` });
    try {
      let settled = false;
      const running = adapter
        .withConnection((c) => c.execute('select count() from numbers(100000000000)'))
        .catch((err: unknown) => err)
        .finally(() => (settled = true));
      // Ctrl-C may come before the statement is in flight; cancel until it has been (a scan of 10^11
      // rows does not finish on its own within the test's time limit, so settling means cancelled).
      while (!settled) {
        await adapter.cancelRunning();
        await new Promise((r) => setImmediate(r));
      }
      expect(((await running) as Error).message).toMatch(/aborted/i);
    } finally {
      await adapter.close();
    }
  });

  it('reports the engine version and the database in tsdbt debug', async () => {
    const lines: string[] = [];
    const inv = createInvocation({ projectDir: p.dir, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: p.dir } });
    expect(await debugCommand(inv)).toBe(0);
    expect(lines.join('\n')).toMatch(/ClickHouse 2\d\.\d+[\d.]* \(chDB\)/);
    expect(lines.join('\n')).toContain(`database ${p.schema}`);
    expect(lines.join('\n')).toContain(`schema '${p.schema}': exists`);
  });
});

describe('microbatch on chDB', () => {
  let p: WarehouseProject;
  beforeAll(async () => {
    p = warehouseProject('chdb', {
      'models/sources.yml': '',
      'models/m.sql': `{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='event_ts', begin='2024-01-01', batch_size='5 minute', lookback=1, order_by='event_id') }}
select event_id, event_ts, amount from {{ source('raw', 'events') }}
`,
    });
    p.write('models/sources.yml', `version: 2\nsources:\n  - name: raw\n    schema: ${p.schema}_raw\n    tables:\n      - name: events\n        config: {event_time: event_ts}\n`);
    await p.sql(`create database ${p.schema}_raw`);
    await p.sql(`create table ${p.schema}_raw.events (event_id Int32, event_ts DateTime64(3), amount Int32) engine = MergeTree order by event_id`);
    await p.sql(`insert into ${p.schema}_raw.events select number, toDateTime64('2024-01-01 00:00:00', 3) + toIntervalMinute(number), number from numbers(30)`);
  }, 300_000);
  afterAll(() => p.cleanup());

  const total = async () => p.sql(`select count() as n, sum(amount) as s from \`${p.schema}\`.m`);

  it('runs 5-minute windows, re-runs only what is missing plus the lookback, and backfills', async () => {
    const first = await p.run('run', { now: () => new Date('2024-01-01T00:30:00Z') });
    expect(first.code, first.output).toBe(0);
    expect(first.output).toMatch(/MICROBATCH 7 batches, 30 rows/);
    expect(first.output).toMatch(/Batch 3 of 7 OK created batch 2024-01-01 00:10 of \S+\.m/);
    expect(await total()).toEqual([{ n: 30, s: 435 }]);
    await p.sql(`insert into ${p.schema}_raw.events values (100, '2024-01-01 00:31:00', 1000), (102, '2024-01-01 00:12:30', 7)`);
    const second = await p.run('run', { now: () => new Date('2024-01-01T00:38:00Z') });
    expect(second.output).toMatch(/MICROBATCH 2 batches/);
    expect(await total()).toEqual([{ n: 31, s: 1435 }]);
    const backfill = await p.run('run', { now: () => new Date('2024-01-01T00:38:00Z'), eventTimeStart: new Date('2024-01-01T00:10:00Z'), eventTimeEnd: new Date('2024-01-01T00:15:00Z') });
    expect(backfill.output).toMatch(/MICROBATCH 1 batch,/);
    expect(await total()).toEqual([{ n: 32, s: 1442 }]);
  });
});

describe('insert_overwrite on chDB', () => {
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject('chdb', {
      // Days 1..3 on the first run; later runs bring only the days in var('days'), with new values.
      'models/daily.sql': `{{ config(materialized='incremental', incremental_strategy='insert_overwrite', partition_by='toYYYYMMDD(day)', order_by='day') }}
select toDate('2024-01-01') + number as day, number * {{ var('factor', 1) }} as value, arrayJoin([1, 2]) as copy
from numbers(3)
{% if is_incremental() %}where number in {{ var('days', '(0)') }}{% endif %}
`,
    });
  });
  afterAll(() => p.cleanup());

  it('replaces only the partitions the new rows fall into', async () => {
    expect((await p.run('run')).code).toBe(0);
    const second = await p.run('run', { vars: '{factor: 10, days: "(1, 2)"}' });
    expect(second.code, second.output).toBe(0);
    expect(second.output).toMatch(/\[INSERT 4 \(2 partitions replaced\) in/);
    expect(await p.sql(`select toString(day) as day, sum(value) as total, count() as n from \`${p.schema}\`.daily group by day order by day`)).toEqual([
      { day: '2024-01-01', total: 0, n: 2 },
      { day: '2024-01-02', total: 20, n: 2 },
      { day: '2024-01-03', total: 40, n: 2 },
    ]);
  });

  it('is refused with a clear error where partitions cannot be replaced', async () => {
    const pg = warehouseProject('pglite', { 'models/m.sql': "{{ config(materialized='incremental', incremental_strategy='insert_overwrite') }}\nselect 1 as id\n" });
    try {
      expect((await pg.run('run')).code).toBe(0);
      const second = await pg.run('run');
      expect(second.code).toBe(1);
      expect(second.results[0]?.message).toMatch(/incremental_strategy 'insert_overwrite' is not available on pglite \(model 'm'\)\n\s+hint: use merge or delete\+insert/);
    } finally {
      await pg.cleanup();
    }
  });
});

describe("dbt-clickhouse's incremental key rules on chDB", () => {
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject('chdb', {
      // dbt-clickhouse's TestIncrementalCompoundKey: unique_key as one comma-separated string.
      'models/compound.sql': `{{ config(materialized='incremental', order_by=['key1', 'key2'], unique_key='key1, key2', incremental_strategy='delete+insert') }}
{% if is_incremental() %}
WITH (SELECT max(key1) - 20 FROM {{ this }}) as old_max
SELECT assumeNotNull(toUInt64(number + old_max + 1)) as key1, toInt64(-key1) as key2, toString(number + 30) as value FROM numbers(100)
{% else %}
SELECT toUInt64(number) as key1, toInt64(-number) as key2, toString(number) as value FROM numbers(100)
{% endif %}
`,
      // incremental.sql: `inserts_only`, or no unique_key with any strategy but insert_overwrite, appends.
      'models/inserts_only.sql': "{{ config(materialized='incremental', order_by='id', unique_key='id', inserts_only=True) }}\nselect toUInt32(number) as id from numbers(3)\n",
      'models/no_key.sql': "{{ config(materialized='incremental', order_by='id', incremental_strategy='delete+insert') }}\nselect toUInt32(number) as id from numbers(2)\n",
    });
  });
  afterAll(() => p.cleanup());

  it('replaces rows by a compound key given as one string, and appends for inserts_only or no key', async () => {
    const count = async (t: string) => (await p.sql(`select toUInt32(count()) as n from \`${p.schema}\`.${t}`))[0];
    expect((await p.run('run')).code).toBe(0);
    const second = await p.run('run');
    expect(second.code, second.output).toBe(0);
    expect(await count('compound')).toEqual({ n: 180 });
    expect(await count('inserts_only')).toEqual({ n: 6 });
    expect(await count('no_key')).toEqual({ n: 4 });
    expect((await p.run('run')).code).toBe(0);
    expect(await count('compound')).toEqual({ n: 260 });
  });
});

describe('distributed_table and distributed_incremental without a cluster', () => {
  it.each(['distributed_table', 'distributed_incremental'])('%s is refused with a clear error and leaves the existing table as it was', async (materialized) => {
    const p = warehouseProject('chdb', { 'models/d.sql': "{{ config(materialized=var('m', 'table')) }}\nselect 1 as id\n" });
    try {
      expect((await p.run('run')).code).toBe(0);
      const refused = await p.run('run', { vars: `{m: ${materialized}}` });
      expect(refused.code).toBe(1);
      expect(refused.results[0]?.message).toMatch(new RegExp(`model d is materialized as ${materialized}, which needs a ClickHouse target with a cluster\\n\\s+hint: set \`cluster:\` in the profile target`));
      expect(await p.sql(`select id from ${p.schema}.d`)).toEqual([{ id: 1 }]);
    } finally {
      await p.cleanup();
    }
  });
});

describe('ReplacingMergeTree upserts on chDB', () => {
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject('chdb', {
      // CDC-style upserts: every run appends the latest versions; the engine keeps the highest version per id.
      'models/customers.sql': `{{ config(materialized='incremental', incremental_strategy='append', engine='ReplacingMergeTree(version)', unique_key='id') }}
select number as id, concat('v', toString({{ var('version', 1) }})) as name, toUInt32({{ var('version', 1) }}) as version
from numbers({{ var('n', 3) }})
`,
    });
  });
  afterAll(() => p.cleanup());

  it('orders by the unique_key and keeps the newest version of each row', async () => {
    expect((await p.run('run')).code).toBe(0);
    expect((await p.run('run', { vars: '{version: 2, n: 2}' })).code).toBe(0);
    expect(await p.sql(`select sorting_key from system.tables where database = '${p.schema}' and name = 'customers'`)).toEqual([{ sorting_key: 'id' }]);
    expect(await p.sql(`select id, name from \`${p.schema}\`.customers final order by id`)).toEqual([
      { id: 0, name: 'v2' },
      { id: 1, name: 'v2' },
      { id: 2, name: 'v1' },
    ]);
  });
});

describe('model contracts on chDB', () => {
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject('chdb', {
      'models/customers.sql': "{{ config(materialized='table') }}\nselect toInt32(1) as id, 'ana' as name, toDecimal64(10.5, 2) as score\n",
      'models/_contracts.yml': `version: 2
models:
  - name: customers
    config:
      contract: {enforced: true}
    constraints:
      - {type: check, name: score_positive, expression: 'score >= 0'}
    columns:
      - {name: id, data_type: Int32, constraints: [{type: not_null}]}
      - {name: name, data_type: String}
      - {name: score, data_type: 'Decimal(18, 2)'}
`,
    });
  });
  afterAll(() => p.cleanup());

  it('builds the declared types with the model-level CHECK constraint ClickHouse enforces, and fails a drifted model before touching it', async () => {
    const built = await p.run('run');
    expect(built.code, built.output).toBe(0);
    expect(await p.sql(`select name, type from system.columns where database = '${p.schema}' and table = 'customers' order by position`)).toEqual([
      { name: 'id', type: 'Int32' },
      { name: 'name', type: 'String' },
      { name: 'score', type: 'Decimal(18, 2)' },
    ]);
    await expect(p.sql(`insert into \`${p.schema}\`.customers values (2, 'neg', -1)`)).rejects.toThrow(/Constraint .* is violated/);
    p.write('models/customers.sql', "{{ config(materialized='table') }}\nselect toInt32(1) as id, 7 as name\n");
    const drift = await p.run('run');
    expect(drift.code).toBe(1);
    expect(drift.results[0]?.message).toMatch(/\| name\s+\| UInt8\s+\| String\s+\| data type mismatch\s+\|/);
    expect(drift.results[0]?.message).toMatch(/\| score\s+\|\s+\| Decimal\(18, 2\)\s+\| missing in definition \|/);
    expect(await p.sql(`select id, name from \`${p.schema}\`.customers`)).toEqual([{ id: 1, name: 'ana' }]);
  });
});

// Snapshots (SCD type 2) on the PostgreSQL server, against hand-computed histories: the timestamp
// strategy with each hard-delete mode, the check strategy, the YAML form, and two overlapping
// `tsdbt snapshot` processes that must not write duplicate current rows.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/app/commands.js';
import { createInvocation } from '../../src/app/invocation.js';
import { dropTestSchema, profilesYaml, serverTarget, uniqueSchema } from '../support/postgres-targets.js';
import { useServerSession } from '../support/server-session.js';
import { cliArgs, REPO_ROOT } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const { q, cleanups } = useServerSession();

function project(files: Record<string, string>) {
  const schema = uniqueSchema('snap');
  const target = serverTarget(schema, 1);
  const dir = testdir({
    'dbt_project.yml': 'name: demo\nprofile: demo\n',
    'profiles.yml': profilesYaml('demo', target),
    'models/sources.yml': `version: 2\nsources:\n  - name: raw\n    schema: ${schema}_raw\n    tables:\n      - name: users\n`,
    ...files,
  });
  cleanups.push(() => removeDir(dir), () => dropTestSchema(target), () => dropTestSchema({ ...target, schema: `${schema}_raw` }));
  const raw = `${schema}_raw.users`;
  return {
    schema,
    dir,
    raw,
    snapshot: async (vars = '{}', expectedCode = 0) => {
      const lines: string[] = [];
      const inv = createInvocation({ projectDir: dir, vars, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '' } });
      const code = await runCommand(inv, 'snapshot');
      expect(code, lines.join('\n')).toBe(expectedCode);
      return lines.join('\n');
    },
  };
}

const TIMESTAMP_SNAPSHOT = `{% snapshot users_snapshot %}
{{ config(unique_key=var('key', 'id'), strategy='timestamp', updated_at='updated_at', hard_deletes=var('hard_deletes', 'ignore')) }}
select * from {{ source('raw', 'users') }}
{% endsnapshot %}
`;

async function seedUsers(raw: string) {
  await q(`create schema if not exists ${raw.split('.')[0]}`);
  await q(`create table ${raw} (id int, status text, updated_at timestamp)`);
  await q(`insert into ${raw} values (1, 'a', '2024-01-01 00:00'), (2, 'b', '2024-01-01 00:00')`);
}

async function changeUsers(raw: string) {
  await q(`update ${raw} set status = 'a2', updated_at = '2024-01-02 00:00' where id = 1`);
  await q(`delete from ${raw} where id = 2`);
  await q(`insert into ${raw} values (3, 'c', '2024-01-02 00:00')`);
}

const history = (schema: string) =>
  q(`select id, status, to_char(dbt_valid_from, 'MM-DD') as valid_from, case when dbt_valid_to is null then 'current' when dbt_valid_to > now() - interval '1 hour' then 'now' else to_char(dbt_valid_to, 'MM-DD') end as valid_to, dbt_scd_id is not null as has_id
     from ${schema}.users_snapshot order by id, dbt_valid_from, dbt_valid_to nulls last`);

describe('timestamp strategy', () => {
  it.each([
    ['ignore', [
      { id: 1, status: 'a', valid_from: '01-01', valid_to: '01-02', has_id: true },
      { id: 1, status: 'a2', valid_from: '01-02', valid_to: 'current', has_id: true },
      { id: 2, status: 'b', valid_from: '01-01', valid_to: 'current', has_id: true },
      { id: 3, status: 'c', valid_from: '01-02', valid_to: 'current', has_id: true },
    ]],
    ['invalidate', [
      { id: 1, status: 'a', valid_from: '01-01', valid_to: '01-02', has_id: true },
      { id: 1, status: 'a2', valid_from: '01-02', valid_to: 'current', has_id: true },
      { id: 2, status: 'b', valid_from: '01-01', valid_to: 'now', has_id: true },
      { id: 3, status: 'c', valid_from: '01-02', valid_to: 'current', has_id: true },
    ]],
  ] as const)('hard_deletes=%s records the expected history', async (mode, expected) => {
    const p = project({ 'snapshots/users.sql': TIMESTAMP_SNAPSHOT });
    await seedUsers(p.raw);
    await p.snapshot(`{hard_deletes: ${mode}}`);
    expect(await q(`select count(*)::int as n from ${p.schema}.users_snapshot where dbt_valid_to is null`)).toEqual([{ n: 2 }]);
    await changeUsers(p.raw);
    await p.snapshot(`{hard_deletes: ${mode}}`);
    expect(await history(p.schema)).toEqual(expected);
    await p.snapshot(`{hard_deletes: ${mode}}`); // nothing changed: nothing recorded
    expect(await history(p.schema)).toEqual(expected);
  });

  // dbt: unique_key is "a column name or expression"; the history is the same as keyed on `id`.
  it.each(['ignore', 'invalidate'] as const)('an SQL expression as unique_key (hard_deletes=%s) records the same history as its column', async (mode) => {
    const byColumn = project({ 'snapshots/users.sql': TIMESTAMP_SNAPSHOT });
    const byExpression = project({ 'snapshots/users.sql': TIMESTAMP_SNAPSHOT });
    const vars = [`{hard_deletes: ${mode}}`, `{hard_deletes: ${mode}, key: "'user-' || id"}`];
    for (const [i, p] of [byColumn, byExpression].entries()) {
      await seedUsers(p.raw);
      await p.snapshot(vars[i]);
      await changeUsers(p.raw);
      await p.snapshot(vars[i]);
      await p.snapshot(vars[i]);
    }
    const expected = await history(byColumn.schema);
    expect(expected).toHaveLength(4);
    expect(await history(byExpression.schema)).toEqual(expected);
    // the scd id hashes the key's value, as dbt's does
    const ids = await q(`select count(*)::int as n from ${byExpression.schema}.users_snapshot where dbt_scd_id = md5(coalesce(cast('user-' || id as varchar), '') || '|' || coalesce(cast(updated_at as varchar), ''))`);
    expect(ids).toEqual([{ n: 4 }]);
  });

  // As dbt writes the key into its SQL: a bare `ID` is the column PostgreSQL folds it to, `"id"` exactly id.
  it.each([['id'], ["'user-' || id"], ['ID'], ['"id"']])('hard_deletes=new_record adds a deleted row, and a returning key gets a new version (unique_key %s)', async (key) => {
    const p = project({ 'snapshots/users.sql': TIMESTAMP_SNAPSHOT });
    const vars = `{hard_deletes: new_record, key: ${JSON.stringify(key)}}`;
    await seedUsers(p.raw);
    await p.snapshot(vars);
    await changeUsers(p.raw);
    await p.snapshot(vars);
    const rows = await q(`select id, status, dbt_is_deleted, dbt_valid_to is null as current from ${p.schema}.users_snapshot where id = 2 order by dbt_valid_from, dbt_is_deleted`);
    expect(rows).toEqual([
      { id: 2, status: 'b', dbt_is_deleted: 'False', current: false },
      { id: 2, status: 'b', dbt_is_deleted: 'True', current: true },
    ]);
    await q(`insert into ${p.raw} values (2, 'back', '2024-01-03 00:00')`);
    await p.snapshot(vars);
    const back = await q(`select status, dbt_is_deleted from ${p.schema}.users_snapshot where id = 2 and dbt_valid_to is null`);
    expect(back).toEqual([{ status: 'back', dbt_is_deleted: 'False' }]);
  });
});

describe('check strategy and the YAML form', () => {
  it('records a new version when a checked column changes, not when others do', async () => {
    const p = project({
      'snapshots/users.yml': "snapshots:\n  - name: users_snapshot\n    relation: source('raw', 'users')\n    config:\n      unique_key: id\n      strategy: check\n      check_cols: [status]\n",
    });
    await seedUsers(p.raw);
    await p.snapshot();
    await q(`update ${p.raw} set updated_at = '2024-05-05' where id = 2`); // not a checked column
    await q(`update ${p.raw} set status = 'a2' where id = 1`);
    await p.snapshot();
    expect(await q(`select id, status, dbt_valid_to is null as current from ${p.schema}.users_snapshot order by id, dbt_valid_from`)).toEqual([
      { id: 1, status: 'a', current: false },
      { id: 1, status: 'a2', current: true },
      { id: 2, status: 'b', current: true },
    ]);
  });
});

// dbt's snapshot_check_strategy: check_cols name the query's columns in any case, updated_at (when
// configured) dates the versions, and a column the source gained marks every current row changed.
describe('check strategy as dbt writes it', () => {
  const CHECK_SNAPSHOT = `{% snapshot users_snapshot %}
{{ config(unique_key='id', strategy='check', check_cols=var('cols'), updated_at=var('updated_at', none)) }}
select * from {{ source('raw', 'users') }}
{% endsnapshot %}
`;

  it('reads check_cols in another case and dates versions by updated_at', async () => {
    const p = project({ 'snapshots/users.sql': CHECK_SNAPSHOT });
    const vars = "{cols: ['STATUS'], updated_at: updated_at}";
    await seedUsers(p.raw);
    await p.snapshot(vars);
    await q(`update ${p.raw} set status = 'a2', updated_at = '2024-01-02' where id = 1`);
    await p.snapshot(vars);
    expect(await q(`select id, status, to_char(dbt_valid_from, 'MM-DD') as valid_from, to_char(dbt_valid_to, 'MM-DD') as valid_to from ${p.schema}.users_snapshot order by id, dbt_valid_from`)).toEqual([
      { id: 1, status: 'a', valid_from: '01-01', valid_to: '01-02' },
      { id: 1, status: 'a2', valid_from: '01-02', valid_to: null },
      { id: 2, status: 'b', valid_from: '01-01', valid_to: null },
    ]);
  });

  it('records a new version of every row when the source gains a checked column', async () => {
    const p = project({ 'snapshots/users.sql': CHECK_SNAPSHOT });
    await seedUsers(p.raw);
    await p.snapshot("{cols: 'all'}");
    await q(`alter table ${p.raw} add column plan text`);
    await p.snapshot("{cols: 'all'}");
    expect(await q(`select id, plan, dbt_valid_to is null as current from ${p.schema}.users_snapshot order by id, dbt_valid_from`)).toEqual([
      { id: 1, plan: null, current: false },
      { id: 1, plan: null, current: true },
      { id: 2, plan: null, current: false },
      { id: 2, plan: null, current: true },
    ]);
  });
});

// dbt's strategy_dispatch: `strategy: <name>` runs the macro `snapshot_<name>_strategy` in the
// snapshot's context (`<package>.<name>`: in that package), whose dict gives the SQL.
describe('strategies named by config', () => {
  const VERSION_STRATEGY = `{% macro snapshot_version_strategy(node, snapshotted_rel, current_rel, config, target_exists) %}
  {% do return({
    "unique_key": config['unique_key'],
    "updated_at": "updated_at",
    "row_changed": snapshotted_rel ~ ".version < " ~ current_rel ~ ".version",
    "scd_id": snapshot_hash_arguments([config['unique_key'], 'version'])
  }) %}
{% endmacro %}
`;
  const SNAPSHOT = `{% snapshot users_snapshot %}
{{ config(unique_key='id', strategy=var('strategy')) }}
select * from {{ source('raw', 'users') }}
{% endsnapshot %}
`;

  it.each(['version', 'demo.version'])('strategy %s records a new version only when its row_changed says so', async (strategy) => {
    const p = project({ 'snapshots/users.sql': SNAPSHOT, 'macros/version_strategy.sql': VERSION_STRATEGY });
    await q(`create schema if not exists ${p.schema}_raw`);
    await q(`create table ${p.raw} (id int, status text, version int, updated_at timestamp)`);
    await q(`insert into ${p.raw} values (1, 'a', 1, '2024-01-01'), (2, 'b', 1, '2024-01-01')`);
    await p.snapshot(`{strategy: '${strategy}'}`);
    await q(`update ${p.raw} set status = 'a2', version = 2, updated_at = '2024-01-02' where id = 1`);
    await q(`update ${p.raw} set status = 'b2', updated_at = '2024-01-02' where id = 2`); // same version: no change
    await p.snapshot(`{strategy: '${strategy}'}`);
    expect(await q(`select id, status, to_char(dbt_valid_from, 'MM-DD') as valid_from, to_char(dbt_valid_to, 'MM-DD') as valid_to, dbt_scd_id = md5(id::text || '|' || version::text) as scd from ${p.schema}.users_snapshot order by id, dbt_valid_from`)).toEqual([
      { id: 1, status: 'a', valid_from: '01-01', valid_to: '01-02', scd: true },
      { id: 1, status: 'a2', valid_from: '01-02', valid_to: null, scd: true },
      { id: 2, status: 'b', valid_from: '01-01', valid_to: null, scd: true },
    ]);
  });

  it.each([
    ['nope', "The specified strategy macro 'nope' was not found in package 'None'"],
    ['nowhere.version', "Could not find package 'nowhere', called with 'nowhere.version'"],
  ])('strategy %s without its macro fails the snapshot with dbt\'s message', async (strategy, message) => {
    const p = project({ 'snapshots/users.sql': SNAPSHOT, 'macros/version_strategy.sql': VERSION_STRATEGY });
    await seedUsers(p.raw);
    expect(await p.snapshot(`{strategy: '${strategy}'}`, 1)).toContain(message);
  });

  // dbt writes updated_at into its SQL as given: a quoted column name stays one quoted name.
  it('a quoted updated_at names its column once quoted', async () => {
    const p = project({
      'snapshots/users.sql': `{% snapshot users_snapshot %}
{{ config(unique_key='id', strategy='timestamp', updated_at='"Updated At"') }}
select * from {{ source('raw', 'users') }}
{% endsnapshot %}
`,
    });
    await q(`create schema if not exists ${p.schema}_raw`);
    await q(`create table ${p.raw} (id int, status text, "Updated At" timestamp)`);
    await q(`insert into ${p.raw} values (1, 'a', '2024-01-01')`);
    await p.snapshot();
    await q(`update ${p.raw} set status = 'a2', "Updated At" = '2024-01-02'`);
    await p.snapshot();
    expect(await q(`select status, to_char(dbt_valid_from, 'MM-DD') as valid_from, dbt_valid_to is null as current from ${p.schema}.users_snapshot order by dbt_valid_from`)).toEqual([
      { status: 'a', valid_from: '01-01', current: false },
      { status: 'a2', valid_from: '01-02', current: true },
    ]);
  });
});

describe('overlapping runs', () => {
  it('two tsdbt snapshot processes at once never write duplicate current rows', async () => {
    const p = project({ 'snapshots/users.sql': TIMESTAMP_SNAPSHOT });
    await seedUsers(p.raw);
    await p.snapshot();
    await changeUsers(p.raw);
    const runOnce = () =>
      new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, cliArgs(['snapshot', '--project-dir', p.dir]), { cwd: REPO_ROOT, stdio: 'ignore' });
        child.on('exit', resolve);
      });
    expect(await Promise.all([runOnce(), runOnce()])).toEqual([0, 0]);
    const current = await q(`select id, count(*)::int as n from ${p.schema}.users_snapshot where dbt_valid_to is null group by id order by id`);
    expect(current).toEqual([{ id: 1, n: 1 }, { id: 2, n: 1 }, { id: 3, n: 1 }]);
    expect(await q(`select count(*)::int as n from ${p.schema}.users_snapshot`)).toEqual([{ n: 4 }]);
  }, 300_000);
});

describe('meta column names and dbt_valid_to_current', () => {
  it('uses the configured names and marks current rows with the configured value', async () => {
    const p = project({
      'snapshots/users.sql': `{% snapshot users_snapshot %}
{{ config(unique_key='id', strategy='timestamp', updated_at='updated_at', dbt_valid_to_current="cast('9999-12-31' as timestamp)",
          snapshot_meta_column_names={'dbt_valid_from': 'valid_from', 'dbt_valid_to': 'valid_to', 'dbt_scd_id': 'scd_id', 'dbt_updated_at': 'changed_at'}) }}
select * from {{ source('raw', 'users') }}
{% endsnapshot %}
`,
    });
    await seedUsers(p.raw);
    await p.snapshot();
    await changeUsers(p.raw);
    await p.snapshot();
    const columns = await q(`select column_name from information_schema.columns where table_schema = '${p.schema}' and table_name = 'users_snapshot' order by ordinal_position`);
    expect(columns.map((c) => c.column_name)).toEqual(['id', 'status', 'updated_at', 'scd_id', 'changed_at', 'valid_from', 'valid_to']);
    expect(await q(`select id, status, to_char(valid_to, 'YYYY-MM-DD') as valid_to from ${p.schema}.users_snapshot order by id, valid_from`)).toEqual([
      { id: 1, status: 'a', valid_to: '2024-01-02' },
      { id: 1, status: 'a2', valid_to: '9999-12-31' },
      { id: 2, status: 'b', valid_to: '9999-12-31' },
      { id: 3, status: 'c', valid_to: '9999-12-31' },
    ]);
  });

  // dbt's get_dbt_valid_to_current coalesces the value with updated_at's null, so dbt_valid_to is a
  // timestamp like updated_at, also for `date('9999-12-31')` (dbt-core's TestSnapshotDbtValidToCurrent).
  it('types dbt_valid_to as updated_at when the value is a date', async () => {
    const p = project({
      'snapshots/users.sql': `{% snapshot users_snapshot %}
{{ config(unique_key='id', strategy='timestamp', updated_at='updated_at', dbt_valid_to_current="date('2099-12-31')") }}
select * from {{ source('raw', 'users') }}
{% endsnapshot %}
`,
    });
    await seedUsers(p.raw);
    await p.snapshot();
    const types = await q(`select column_name, data_type from information_schema.columns where table_schema = '${p.schema}' and table_name = 'users_snapshot' and column_name in ('updated_at', 'dbt_valid_to') order by column_name`);
    expect(types.map((t) => t.data_type)).toEqual([types[1]?.data_type, types[1]?.data_type]);
    expect(types[0]?.data_type).toMatch(/^timestamp/);
    expect(await q(`select distinct to_char(dbt_valid_to, 'YYYY-MM-DD HH24:MI') as valid_to from ${p.schema}.users_snapshot`)).toEqual([{ valid_to: '2099-12-31 00:00' }]);
  });
});

describe("dbt's checks of an existing snapshot table and of its timestamps", () => {
  it('fails with dbt\'s SnapshotTargetNotSnapshotTableError when the table lacks the configured meta columns', async () => {
    const p = project({
      'snapshots/users.sql': `{% snapshot users_snapshot %}
{{ config(unique_key='id', strategy='timestamp', updated_at='updated_at', snapshot_meta_column_names=var('names', {})) }}
select * from {{ source('raw', 'users') }}
{% endsnapshot %}
`,
    });
    await seedUsers(p.raw);
    await p.snapshot();
    await changeUsers(p.raw);
    const out = await p.snapshot("{names: {dbt_valid_to: test_valid_to, dbt_scd_id: test_scd_id}}", 1);
    expect(out).toContain('Snapshot target is missing configured columns (missing "test_scd_id", "test_valid_to"). See https://docs.getdbt.com/docs/build/snapshots#snapshot-meta-fields for more information.');
    // Nothing was written: the history is the first run's.
    expect(await q(`select count(*)::int as n from ${p.schema}.users_snapshot`)).toEqual([{ n: 2 }]);
  });

  it("warns (dbt's SnapshotTimestampWarning) when updated_at is a timestamptz and the snapshot's time a timestamp", async () => {
    const p = project({ 'snapshots/users.sql': TIMESTAMP_SNAPSHOT });
    await q(`create schema if not exists ${p.raw.split('.')[0]}`);
    await q(`create table ${p.raw} (id int, status text, updated_at timestamptz)`);
    await q(`insert into ${p.raw} values (1, 'a', '2024-01-01 00:00+00')`);
    const warned = "Data type of snapshot table timestamp columns (timestamp without time zone) doesn't match derived column 'updated_at' (timestamp with time zone). Please update snapshot config 'updated_at'.";
    expect(await p.snapshot()).toContain(warned);
    expect(await p.snapshot()).toContain(warned);
    const same = project({ 'snapshots/users.sql': TIMESTAMP_SNAPSHOT });
    await seedUsers(same.raw);
    expect(await same.snapshot()).not.toContain('Data type of snapshot table timestamp columns');
  });
});

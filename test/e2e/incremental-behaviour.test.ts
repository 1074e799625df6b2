// Incremental model behaviour on the PostgreSQL server: on_schema_change in its four modes (a type
// change included), the duplicate-key error for merge, `full_refresh: false`, --full-refresh, and
// a SIGKILL during the incremental apply leaving the table at its previous contents.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/app/commands.js';
import { createInvocation } from '../../src/app/invocation.js';
import { dropTestSchema, profilesYaml, serverTarget, uniqueSchema } from '../support/postgres-targets.js';
import { useServerSession } from '../support/server-session.js';
import { cliArgs, REPO_ROOT } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const { q, cleanups } = useServerSession();

/** A project on the server whose single model is `sql`; returns helpers to change it and run. */
function project(sql: string) {
  const schema = uniqueSchema('incb');
  const target = serverTarget(schema, 1);
  const dir = testdir({ 'dbt_project.yml': 'name: demo\nprofile: demo\n', 'models/m.sql': sql, 'profiles.yml': profilesYaml('demo', target) });
  cleanups.push(() => removeDir(dir), () => dropTestSchema(target));
  return {
    schema,
    dir,
    write: (text: string) => writeFileSync(path.join(dir, 'models/m.sql'), text),
    run: async (fullRefresh = false) => {
      const lines: string[] = [];
      const inv = createInvocation({ projectDir: dir, fullRefresh, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '' } });
      const code = await runCommand(inv, 'run');
      return { code, output: lines.join('\n') };
    },
  };
}

const model = (config: string, select: string) => `{{ config(materialized='incremental', unique_key='id', ${config}) }}\n${select}\n`;

describe('on_schema_change', () => {
  const v1 = "select 1 as id, 'a'::text as name, 10 as amount";
  const v2 = "select 2 as id, 'b'::text as name, 20.5::numeric as amount, true as flag {% if is_incremental() %}{% endif %}";

  it('ignore keeps the table\'s columns', async () => {
    const p = project(model("on_schema_change='ignore'", v1));
    expect((await p.run()).code).toBe(0);
    p.write(model("on_schema_change='ignore'", "select 2 as id, 'b'::text as name, true as flag"));
    expect((await p.run()).code).toBe(0);
    expect(await q(`select id, name, amount from ${p.schema}.m order by id`)).toEqual([{ id: 1, name: 'a', amount: 10 }, { id: 2, name: 'b', amount: null }]);
    expect((await q(`select column_name from information_schema.columns where table_schema = '${p.schema}' and table_name = 'm' order by ordinal_position`)).map((r) => r.column_name)).toEqual(['id', 'name', 'amount']);
  });

  it('fail stops with the difference and leaves the table alone', async () => {
    const p = project(model("on_schema_change='fail'", v1));
    expect((await p.run()).code).toBe(0);
    p.write(model("on_schema_change='fail'", v2));
    const second = await p.run();
    expect(second.code).toBe(1);
    expect(second.output).toMatch(/no longer match the table's columns \(new columns: flag boolean; changed types: amount integer -> numeric\)/);
    expect(await q(`select id from ${p.schema}.m`)).toEqual([{ id: 1 }]);
  });

  it('append_new_columns adds columns, keeps types', async () => {
    const p = project(model("on_schema_change='append_new_columns'", v1));
    expect((await p.run()).code).toBe(0);
    p.write(model("on_schema_change='append_new_columns'", "select 2 as id, 'b'::text as name, 20 as amount, true as flag"));
    expect((await p.run()).code).toBe(0);
    expect(await q(`select id, name, amount, flag from ${p.schema}.m order by id`)).toEqual([
      { id: 1, name: 'a', amount: 10, flag: null },
      { id: 2, name: 'b', amount: 20, flag: true },
    ]);
  });

  it('sync_all_columns adds, drops and retypes columns (the type change dbt-adapters#319 gets wrong)', async () => {
    const p = project(model("on_schema_change='sync_all_columns'", v1));
    expect((await p.run()).code).toBe(0);
    p.write(model("on_schema_change='sync_all_columns'", "select 2 as id, 20.5::numeric as amount, true as flag"));
    expect((await p.run()).code).toBe(0);
    const columns = await q(`select column_name, data_type from information_schema.columns where table_schema = '${p.schema}' and table_name = 'm' order by ordinal_position`);
    expect(columns).toEqual([
      { column_name: 'id', data_type: 'integer' },
      { column_name: 'amount', data_type: 'numeric' },
      { column_name: 'flag', data_type: 'boolean' },
    ]);
    expect(await q(`select id, amount::text, flag from ${p.schema}.m order by id`)).toEqual([
      { id: 1, amount: '10', flag: null },
      { id: 2, amount: '20.5', flag: true },
    ]);
  });

  it("a string the table's column is wider than is no type change (dbt's can_expand_to), for fail and sync_all_columns", async () => {
    for (const policy of ['fail', 'sync_all_columns']) {
      const p = project(model(`on_schema_change='${policy}'`, "select 1 as id, 'pending'::text as status, 'ab'::varchar(20) as code"));
      expect((await p.run()).code).toBe(0);
      p.write(model(`on_schema_change='${policy}'`, "select 2 as id, 'shipped'::varchar(10) as status, 'cd'::varchar(5) as code"));
      const second = await p.run();
      expect(second.code, second.output).toBe(0);
      expect(await q(`select id, status, code from ${p.schema}.m order by id`)).toEqual([
        { id: 1, status: 'pending', code: 'ab' },
        { id: 2, status: 'shipped', code: 'cd' },
      ]);
      const columns = await q(`select column_name, data_type, character_maximum_length from information_schema.columns where table_schema = '${p.schema}' and table_name = 'm' order by ordinal_position`);
      expect(columns).toEqual([
        { column_name: 'id', data_type: 'integer', character_maximum_length: null },
        { column_name: 'status', data_type: 'text', character_maximum_length: null },
        { column_name: 'code', data_type: 'character varying', character_maximum_length: 20 },
      ]);
    }
  });
});

describe('keys and refresh', () => {
  it('merge names the duplicated key in the new rows instead of a database error', async () => {
    const p = project(model("incremental_strategy='merge'", 'select 1 as id'));
    expect((await p.run()).code).toBe(0);
    p.write(model("incremental_strategy='merge'", "select 7 as id union all select 7 union all select 8"));
    const second = await p.run();
    expect(second.code).toBe(1);
    expect(second.output).toMatch(/repeat the unique_key \(id\): id=7 appears 2 times/);
    expect(await q(`select id from ${p.schema}.m`)).toEqual([{ id: 1 }]);
  });

  it('merge uses insert ... on conflict when a unique index covers the key, MERGE otherwise', async () => {
    const indexed = "unique_key=['a', 'b'], incremental_strategy='merge', indexes=[{'columns': ['b', 'a'], 'unique': true}]";
    const p = project(`{{ config(materialized='incremental', ${indexed}) }}\nselect 1 as a, 1 as b, 'x' as v\n`);
    expect((await p.run()).code).toBe(0);
    p.write(`{{ config(materialized='incremental', ${indexed}) }}\nselect 1 as a, 1 as b, 'y' as v union all select 1, 2, 'z'\n`);
    const upserted = await p.run();
    expect(upserted.code, upserted.output).toBe(0);
    expect(upserted.output).toMatch(/\[INSERT 0 2 in /);
    expect(readFileSync(path.join(p.dir, 'target/run/demo/models/m.sql'), 'utf8')).toMatch(/on conflict \("a", "b"\) do update set "v" = excluded\."v"/);
    expect(await q(`select a, b, v from ${p.schema}.m order by a, b`)).toEqual([{ a: 1, b: 1, v: 'y' }, { a: 1, b: 2, v: 'z' }]);
    // With incremental_predicates the match is narrower than the index: MERGE keeps its meaning.
    const narrowed = `${indexed}, incremental_predicates=['dbt_internal_dest.v <> \\'frozen\\'']`;
    p.write(`{{ config(materialized='incremental', ${narrowed}) }}\nselect 1 as a, 2 as b, 'w' as v\n`);
    const merged = await p.run();
    expect(merged.code, merged.output).toBe(0);
    expect(merged.output).toMatch(/\[MERGE 1 in /);
    expect(await q(`select a, b, v from ${p.schema}.m order by a, b`)).toEqual([{ a: 1, b: 1, v: 'y' }, { a: 1, b: 2, v: 'w' }]);
  });

  it('a deferrable unique constraint is no arbiter: merge stays a MERGE (PostgreSQL refuses ON CONFLICT on it)', async () => {
    const cfg = "unique_key='id', incremental_strategy='merge'";
    const p = project(`{{ config(materialized='incremental', ${cfg}) }}\nselect 1 as id, 'x' as v\n`);
    expect((await p.run()).code).toBe(0);
    await q(`alter table ${p.schema}.m add constraint m_id_unique unique (id) deferrable initially deferred`);
    p.write(`{{ config(materialized='incremental', ${cfg}) }}\nselect 1 as id, 'y' as v union all select 2, 'z'\n`);
    const second = await p.run();
    expect(second.code, second.output).toBe(0);
    expect(readFileSync(path.join(p.dir, 'target/run/demo/models/m.sql'), 'utf8')).not.toMatch(/on conflict/);
    expect(await q(`select id, v from ${p.schema}.m order by id`)).toEqual([{ id: 1, v: 'y' }, { id: 2, v: 'z' }]);
  });

  it('legacy rewrites the table with the batch and swaps it in, keeping views on it', async () => {
    const cfg = "unique_key=['a', 'b'], incremental_strategy='legacy'";
    const p = project(`{{ config(materialized='incremental', ${cfg}) }}\nselect 1 as a, 1 as b, 'x' as v union all select 2, 2, 'keep'\n`);
    expect((await p.run()).code).toBe(0);
    await q(`create view ${p.schema}.m_view as select * from ${p.schema}.m`);
    p.write(`{{ config(materialized='incremental', ${cfg}) }}\nselect 1 as a, 1 as b, 'y' as v union all select 3, 3, 'new'\n`);
    const second = await p.run();
    expect(second.code, second.output).toBe(0);
    expect(second.output).toMatch(/\[INSERT 0 2 in /);
    expect(await q(`select a, b, v from ${p.schema}.m_view order by a`)).toEqual([{ a: 1, b: 1, v: 'y' }, { a: 2, b: 2, v: 'keep' }, { a: 3, b: 3, v: 'new' }]);
  });

  it('composite keys, --full-refresh, and full_refresh: false', async () => {
    const cfg = "unique_key=['a', 'b'], incremental_strategy='merge'";
    const p = project(`{{ config(materialized='incremental', ${cfg}) }}\nselect 1 as a, 1 as b, 'x' as v\n`);
    expect((await p.run()).code).toBe(0);
    p.write(`{{ config(materialized='incremental', ${cfg}) }}\nselect 1 as a, 1 as b, 'y' as v union all select 1, 2, 'z'\n`);
    expect((await p.run()).code).toBe(0);
    expect(await q(`select a, b, v from ${p.schema}.m order by a, b`)).toEqual([{ a: 1, b: 1, v: 'y' }, { a: 1, b: 2, v: 'z' }]);
    p.write(`{{ config(materialized='incremental', ${cfg}) }}\nselect 5 as a, 5 as b, 'only' as v\n`);
    expect((await p.run(true)).code).toBe(0);
    expect(await q(`select a, b, v from ${p.schema}.m`)).toEqual([{ a: 5, b: 5, v: 'only' }]);
    p.write(`{{ config(materialized='incremental', full_refresh=false, ${cfg}) }}\nselect 6 as a, 6 as b, 'kept' as v\n`);
    expect((await p.run(true)).code).toBe(0);
    expect(await q(`select a, v from ${p.schema}.m order by a`)).toEqual([{ a: 5, v: 'only' }, { a: 6, v: 'kept' }]);
  });
});

describe('a killed incremental apply', () => {
  it('leaves the table at its previous contents', async () => {
    const p = project(model("incremental_strategy='delete+insert'", 'select g as id from generate_series(1, 5) g'));
    expect((await p.run()).code).toBe(0);
    p.write(model("incremental_strategy='delete+insert'", 'select g as id from generate_series(1, 10) g, (select pg_sleep(30)) s'));
    const child = spawn(process.execPath, cliArgs(['run', '--project-dir', p.dir]), { cwd: REPO_ROOT, stdio: 'ignore' });
    const active = "select pid from pg_stat_activity where query like '%pg_sleep(30)%' and query not like '%pg_stat_activity%' and state = 'active'";
    const deadline = Date.now() + 30_000;
    while ((await q(active)).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect((await q(active)).length, 'the incremental apply never started').toBeGreaterThan(0);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    await q(`select pg_terminate_backend(pid) from (${active}) a`);
    expect(await q(`select count(*)::int as n, max(id) as top from ${p.schema}.m`)).toEqual([{ n: 5, top: 5 }]);
  }, 300_000);
});

describe('Ctrl-C during a run', () => {
  it('cancels the running statement at once, skips what has not started, and keeps the table', async () => {
    const p = project(model("incremental_strategy='delete+insert'", 'select g as id from generate_series(1, 5) g'));
    expect((await p.run()).code).toBe(0);
    writeFileSync(path.join(p.dir, 'models/after.sql'), "select * from {{ ref('m') }}\n");
    p.write(model("incremental_strategy='delete+insert'", 'select g as id from generate_series(1, 10) g, (select pg_sleep(60)) s'));
    const child = spawn(process.execPath, cliArgs(['run', '--project-dir', p.dir]), { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const active = "select pid from pg_stat_activity where query like '%pg_sleep(60)%' and query not like '%pg_stat_activity%' and state = 'active'";
    const deadline = Date.now() + 30_000;
    while ((await q(active)).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect((await q(active)).length, 'the statement never started').toBeGreaterThan(0);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    // The server cancelled the statement (its own message), rather than the process waiting it out.
    expect(code).toBe(1);
    expect(output).toMatch(/Interrupted \(Ctrl-C\): cancelling running statements/);
    expect(output).toMatch(/canceling statement due to user request/);
    expect(output).toMatch(/SKIP sql view model \S+\.after/);
    expect(await q(active)).toEqual([]);
    expect(await q(`select count(*)::int as n, max(id) as top from ${p.schema}.m`)).toEqual([{ n: 5, top: 5 }]);
  }, 300_000);
});

describe('incremental_predicates', () => {
  it('limit which existing rows a delete+insert may touch', async () => {
    const cfg = "incremental_strategy='delete+insert', incremental_predicates=['dbt_internal_dest.day >= 2']";
    const p = project(model(cfg, "select 1 as id, 1 as day, 'old' as v union all select 2, 2, 'old'"));
    expect((await p.run()).code).toBe(0);
    // Both keys come again; only rows with day >= 2 may be deleted, so id 1 keeps its old row too.
    p.write(model(cfg, "select 1 as id, 1 as day, 'new' as v union all select 2, 2, 'new'"));
    expect((await p.run()).code).toBe(0);
    expect(await q(`select id, v from ${p.schema}.m order by id, v`)).toEqual([
      { id: 1, v: 'new' },
      { id: 1, v: 'old' },
      { id: 2, v: 'new' },
    ]);
  });

  it("are read as dbt's materialization reads them: `predicates` (the older name) or one string", async () => {
    for (const cfg of ["incremental_strategy='merge', predicates=['dbt_internal_dest.day >= 2']", "incremental_strategy='merge', incremental_predicates='dbt_internal_dest.day >= 2'"]) {
      const p = project(model(cfg, "select 1 as id, 1 as day, 'old' as v union all select 2, 2, 'old'"));
      expect((await p.run()).code).toBe(0);
      // id 1's old row lies outside the predicate: the merge does not match it and inserts a second row.
      p.write(model(cfg, "select 1 as id, 1 as day, 'new' as v union all select 2, 2, 'new'"));
      const second = await p.run();
      expect(second.code, second.output).toBe(0);
      expect(await q(`select id, v from ${p.schema}.m order by id, v`)).toEqual([
        { id: 1, v: 'new' },
        { id: 1, v: 'old' },
        { id: 2, v: 'new' },
      ]);
    }
  });
});

describe('indexes (dbt-postgres config)', () => {
  it('creates the configured indexes on the built table, again after a full refresh', async () => {
    const cfg = "indexes=[{'columns': ['id'], 'unique': True}, {'columns': ['day', 'id']}]";
    const p = project(model(cfg, 'select 1 as id, 1 as day'));
    const indexes = async () =>
      (await q(`select indexdef from pg_indexes where schemaname = '${p.schema}' and tablename = 'm' order by indexdef`)).map((r) => String(r.indexdef).replace(/INDEX m_[0-9a-f]{8}_idx ON/, 'INDEX ON'));
    expect((await p.run()).code).toBe(0);
    const expected = [`CREATE INDEX ON ${p.schema}.m USING btree (day, id)`, `CREATE UNIQUE INDEX ON ${p.schema}.m USING btree (id)`];
    expect(await indexes()).toEqual(expected);
    expect((await p.run(true)).code).toBe(0);
    expect(await indexes()).toEqual(expected);
  });
});

describe('unique_key as dbt writes it into the SQL', () => {
  // dbt puts the key into its delete+insert / merge as written: a bare `Id` is the column the
  // warehouse folds it to (id), a quoted '"Code"' is exactly that column.
  const sql = (key: string, v: number) => `{{ config(materialized='incremental', unique_key=${key}) }}\nselect 1 as id, 'x' as "Code", ${v} as v\n`;

  it.each([
    ['a bare mixed-case key', "'Id'"],
    ['a quoted mixed-case key', `'"Code"'`],
    ['a list of both', `['Id', '"Code"']`],
  ])('%s matches its column', async (_label, key) => {
    const p = project(sql(key, 1));
    expect((await p.run()).code).toBe(0);
    p.write(sql(key, 2));
    const second = await p.run();
    expect(second.code, second.output).toBe(0);
    expect(await q(`select id, "Code", v from ${p.schema}.m`)).toEqual([{ id: 1, Code: 'x', v: 2 }]);
  });
});

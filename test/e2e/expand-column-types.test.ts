// dbt's adapter.expand_target_column_types on the PostgreSQL server: once an incremental model's
// new rows or a snapshot's staged rows are built, each of the table's string columns narrower than
// the new rows' column of its name is widened (dbt-core's tests/functional/basic/test_varchar_widening.py),
// whatever on_schema_change says; without it the insert fails with "value too long".
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/app/commands.js';
import { createInvocation } from '../../src/app/invocation.js';
import { dropTestSchema, profilesYaml, serverTarget, uniqueSchema } from '../support/postgres-targets.js';
import { useServerSession } from '../support/server-session.js';
import { removeDir, testdir } from '../support/testdir.js';

const { q, cleanups } = useServerSession();

function project(files: Record<string, string>) {
  const schema = uniqueSchema('expand');
  const target = serverTarget(schema, 1);
  const dir = testdir({ 'dbt_project.yml': 'name: demo\nprofile: demo\n', 'profiles.yml': profilesYaml('demo', target), ...files });
  cleanups.push(() => removeDir(dir), () => dropTestSchema(target));
  return {
    schema,
    write: (rel: string, text: string) => writeFileSync(path.join(dir, rel), text),
    run: async (command: 'run' | 'snapshot') => {
      const lines: string[] = [];
      const inv = createInvocation({ projectDir: dir, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '' } });
      const code = await runCommand(inv, command);
      return { code, output: lines.join('\n') };
    },
  };
}

const columnType = (schema: string, table: string, column: string) =>
  q(`select data_type, character_maximum_length from information_schema.columns where table_schema = '${schema}' and table_name = '${table}' and column_name = '${column}'`);

describe('expand_target_column_types', () => {
  it('widens an incremental model\'s varchar column to the new rows\' size', async () => {
    const model = (size: number, value: string) => `{{ config(materialized='incremental') }}\nselect ${size === 10 ? 1 : 2} as id, '${value}'::varchar(${size}) as name\n`;
    const p = project({ 'models/m.sql': model(10, 'short') });
    expect((await p.run('run')).code).toBe(0);
    const long = 'x'.repeat(250);
    p.write('models/m.sql', model(300, long));
    const second = await p.run('run');
    expect(second.output).not.toMatch(/value too long/);
    expect(second.code).toBe(0);
    expect(await columnType(p.schema, 'm', 'name')).toEqual([{ data_type: 'character varying', character_maximum_length: 300 }]);
    expect(await q(`select id, name from ${p.schema}.m order by id`)).toEqual([{ id: 1, name: 'short' }, { id: 2, name: long }]);
  });

  // dbt's incremental materialization widens only without an enforced contract (dbt-core's
  // tests/functional/materializations/test_incremental_with_contract.py): the declared type stays.
  it('keeps a contracted incremental model\'s declared varchar(10)', async () => {
    const model = "{{ config(materialized='incremental', on_schema_change='append_new_columns') }}\nselect 1 as id, {{ var('name') }}::varchar(256) as name\n";
    const yml = 'models:\n  - name: m\n    config:\n      contract: {enforced: true}\n    columns:\n      - name: id\n        data_type: int\n      - name: name\n        data_type: character varying(10)\n';
    const p = project({ 'models/m.sql': model.replace("{{ var('name') }}", "'short'"), 'models/m.yml': yml });
    expect((await p.run('run')).code).toBe(0);
    p.write('models/m.sql', model.replace("{{ var('name') }}", "'other'"));
    const second = await p.run('run');
    expect(second.code, second.output).toBe(0);
    expect(await columnType(p.schema, 'm', 'name')).toEqual([{ data_type: 'character varying', character_maximum_length: 10 }]);
    expect(await q(`select name from ${p.schema}.m order by name`)).toEqual([{ name: 'other' }, { name: 'short' }]);
  });

  it('widens a snapshot table\'s varchar column to the source\'s', async () => {
    const snapshot = "{% snapshot snap %}\n{{ config(unique_key='id', strategy='check', check_cols='all', target_schema=schema) }}\nselect * from {{ source('raw', 'people') }}\n{% endsnapshot %}\n";
    const p = project({
      'snapshots/snap.sql': snapshot,
      'models/sources.yml': 'sources:\n  - name: raw\n    schema: "{{ target.schema }}"\n    tables:\n      - name: people\n',
    });
    await q(`create schema if not exists ${p.schema}`);
    await q(`create table ${p.schema}.people (id int, name varchar(10))`);
    await q(`insert into ${p.schema}.people values (1, 'short')`);
    expect((await p.run('snapshot')).code).toBe(0);
    const long = 'y'.repeat(40);
    await q(`alter table ${p.schema}.people alter column name type varchar(50)`);
    await q(`insert into ${p.schema}.people values (2, '${long}')`);
    const second = await p.run('snapshot');
    expect(second.output).not.toMatch(/value too long/);
    expect(second.code).toBe(0);
    expect(await columnType(p.schema, 'snap', 'name')).toEqual([{ data_type: 'character varying', character_maximum_length: 50 }]);
    expect(await q(`select id, name from ${p.schema}.snap order by id`)).toEqual([{ id: 1, name: 'short' }, { id: 2, name: long }]);
  });
});

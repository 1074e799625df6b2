// `tsdbt clone` on ClickHouse (chDB), as dbt-clickhouse does it: a MergeTree table of production is
// cloned (`CREATE OR REPLACE TABLE ... CLONE AS`, its parts shared), a table of another engine and a
// view become views selecting from production's relation. And --defer on ClickHouse: a model built
// into an empty database reads production's parent.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneCommand } from '../../src/app/clone-command.js';
import { createInvocation } from '../../src/app/invocation.js';
import { chdbDataDir, warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

describe('clone on ClickHouse (chDB)', () => {
  let p: WarehouseProject;
  let ci: string;
  let output = '';
  let code = -1;
  beforeAll(async () => {
    p = warehouseProject('chdb', {
      'seeds/codes.csv': 'code,label\n1,one\n2,two\n',
      'models/merge_table.sql': "{{ config(materialized='table', order_by='code') }}\nselect code, label from {{ ref('codes') }}\n",
      'models/log_table.sql': "{{ config(materialized='table', engine='Log') }}\nselect code from {{ ref('codes') }}\n",
      'models/plain_view.sql': "select label from {{ ref('merge_table') }}\n",
    });
    ci = `${p.schema}_ci`;
    const prod = await p.run('build');
    expect(prod.code, prod.output).toBe(0);
    cpSync(path.join(p.dir, 'target'), path.join(p.dir, 'prod-artifacts'), { recursive: true });
    const outputFor = (schema: string) => ({ type: 'clickhouse', driver: 'chdb', path: chdbDataDir(), schema, threads: 1 });
    writeFileSync(path.join(p.dir, 'profiles.yml'), JSON.stringify({ demo: { target: 'test', outputs: { test: outputFor(p.schema), ci: outputFor(ci), ci2: outputFor(`${ci}2`) } } }));
    const lines: string[] = [];
    const inv = createInvocation({ projectDir: p.dir, target: 'ci', state: 'prod-artifacts', write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: p.dir } });
    code = await cloneCommand(inv);
    output = lines.join('\n');
  }, 300_000);
  afterAll(async () => {
    await p.sql(`drop database if exists \`${ci}\` sync`);
    await p.sql(`drop database if exists \`${ci}2\` sync`);
    await p.cleanup();
  });

  it('clones MergeTree tables and makes views of the rest, with production\'s rows', async () => {
    expect(code, output).toBe(0);
    expect(await p.sql(`select name, engine from system.tables where database = '${ci}' order by name`)).toEqual([
      { name: 'codes', engine: 'MergeTree' },
      { name: 'log_table', engine: 'View' },
      { name: 'merge_table', engine: 'MergeTree' },
      { name: 'plain_view', engine: 'View' },
    ]);
    expect(await p.sql(`select code, label from \`${ci}\`.merge_table order by code`)).toEqual([
      { code: 1, label: 'one' },
      { code: 2, label: 'two' },
    ]);
    expect(await p.sql(`select count() as n from \`${ci}\`.log_table`)).toEqual([{ n: 2 }]);
    // dbt's CloneRunner prints no line per node; the clone is shown by the engines and rows above.
    expect(output).not.toMatch(/\d+ of \d+ OK clone/);
    expect(output).toContain('Done. PASS=4');
  });

  it('--defer: a model built into an empty database reads production\'s parent', async () => {
    const built = await p.run('run', { target: 'ci2', select: ['plain_view'], defer: true, state: 'prod-artifacts' });
    expect(built.code, built.output).toBe(0);
    expect(readFileSync(path.join(p.dir, 'target', 'compiled', 'demo', 'models', 'plain_view.sql'), 'utf8')).toContain(`\`${p.schema}\`.\`merge_table\``);
    expect(await p.sql(`select label from \`${ci}2\`.plain_view order by label`)).toEqual([{ label: 'one' }, { label: 'two' }]);
  });
});

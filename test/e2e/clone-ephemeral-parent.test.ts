// `tsdbt clone` of a model that reads an ephemeral model, on the PostgreSQL server. dbt's clone
// materialization makes a view `select * from <the state's relation>` where the warehouse cannot
// clone the table (dbt-postgres); it never compiles the node, so no ephemeral parent is put in
// front of that SQL as a CTE. With the CTE, the view named this target's relations, which need not
// exist (dbt-core's tests/functional/adapter/dbt_clone, TestPostgresCloneNotPossible).
import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/app/commands.js';
import { cloneCommand } from '../../src/app/clone-command.js';
import { createInvocation, type InvocationOptions } from '../../src/app/invocation.js';
import { dropTestSchema, queryServer as query, serverTarget, uniqueSchema } from '../support/postgres-targets.js';
import { removeDir, testdir } from '../support/testdir.js';

const prodSchema = uniqueSchema('prod');
const cloneSchema = uniqueSchema('clone');

function profiles(): string {
  const { name: _prod, ...prod } = serverTarget(prodSchema, 1);
  const { name: _clone, ...clone } = serverTarget(cloneSchema, 1);
  return `${JSON.stringify({ demo: { target: 'prod', outputs: { prod, clone } } }, null, 2)}\n`;
}

const FILES: Record<string, string> = {
  'dbt_project.yml': 'name: demo\nprofile: demo\n',
  'seeds/people.csv': 'id,name\n1,ann\n2,bob\n',
  'models/base_view.sql': "select * from {{ ref('people') }}\n",
  'models/passthrough.sql': "{{ config(materialized='ephemeral') }}\nselect * from {{ ref('base_view') }}\n",
  'models/final_table.sql': "{{ config(materialized='table') }}\nselect * from {{ ref('passthrough') }}\n",
};

let dir: string;

async function tsdbt(command: 'build' | 'clone', options: Partial<InvocationOptions>): Promise<{ code: number; output: string; results: { unique_id: string; status: string }[] }> {
  const lines: string[] = [];
  const inv = createInvocation({ projectDir: dir, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: dir }, ...options });
  const code = command === 'clone' ? await cloneCommand(inv) : await runCommand(inv, command);
  const results = (JSON.parse(readFileSync(path.join(dir, 'target', 'run_results.json'), 'utf8')) as { results: { unique_id: string; status: string }[] }).results;
  return { code, output: lines.join('\n'), results };
}

describe('clone of a model with an ephemeral parent', () => {
  beforeAll(async () => {
    dir = testdir({ ...FILES, 'profiles.yml': profiles() });
    const prod = await tsdbt('build', { target: 'prod' });
    expect(prod.code, prod.output).toBe(0);
    cpSync(path.join(dir, 'target'), path.join(dir, 'state'), { recursive: true });
  }, 120_000);
  afterAll(async () => {
    removeDir(dir);
    for (const schema of [prodSchema, cloneSchema]) await dropTestSchema(serverTarget(schema));
  });

  it('makes a view of the state relation alone, though the ephemeral parent\'s relations are not in the target', async () => {
    // Only the table model: base_view is never made in the clone schema.
    const cloned = await tsdbt('clone', { target: 'clone', state: 'state', select: ['final_table'] });
    expect(cloned.code, cloned.output).toBe(0);
    expect(cloned.results.map((r) => [r.unique_id, r.status])).toEqual([['model.demo.final_table', 'success']]);
    const [view] = await query(`select pg_get_viewdef('"${cloneSchema}".final_table'::regclass) as def`);
    expect(String(view?.def)).not.toContain('__dbt__cte__');
    expect(await query(`select id, name from "${cloneSchema}".final_table order by id`)).toEqual([
      { id: 1, name: 'ann' },
      { id: 2, name: 'bob' },
    ]);
  });
});

// "Slim CI" end to end on the PostgreSQL server, as dbt documents it (About state, Defer): a
// production build whose artifacts are kept, then changes (one model's SQL, one macro, one column
// description with persist_docs on and one without, one config), then
// `build --select state:modified+ --defer --state prod-artifacts` into a fresh CI schema builds
// exactly the changed nodes and their children (run_results.json), and those read the unchanged
// parents from the production schema (compiled SQL and rows). Also --favor-state, tests deferring,
// and `tsdbt clone` giving the CI schema views of production's relations.
import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/app/commands.js';
import { compileCommand } from '../../src/app/compile-command.js';
import { cloneCommand } from '../../src/app/clone-command.js';
import { retryCommand } from '../../src/app/retry-command.js';
import { createInvocation, type InvocationOptions } from '../../src/app/invocation.js';
import { dropTestSchema, pgServer, queryServer as query, serverTarget, uniqueSchema } from '../support/postgres-targets.js';
import { removeDir, testdir, writeFiles } from '../support/testdir.js';

const prodSchema = uniqueSchema('prod');
const ciSchema = uniqueSchema('ci');
const cloneSchema = uniqueSchema('clone');

function profiles(): string {
  const { name: _prod, ...prod } = serverTarget(prodSchema, 2);
  const { name: _ci, ...ci } = serverTarget(ciSchema, 2);
  const { name: _clone, ...clone } = serverTarget(cloneSchema, 2);
  return `${JSON.stringify({ demo: { target: 'prod', outputs: { prod, ci, clone } } }, null, 2)}\n`;
}

const FILES: Record<string, string> = {
  'dbt_project.yml': 'name: demo\nprofile: demo\n',
  'seeds/raw_customers.csv': 'id,name\n1,ann\n2,bob\n3,cy\n',
  'seeds/raw_orders.csv': 'order_id,customer_id,amount\n10,1,5\n11,1,7\n12,2,3\n',
  'macros/cents.sql': '{% macro to_cents(x) %}({{ x }} * 100){% endmacro %}\n',
  'models/stg_customers.sql': "select id, name from {{ ref('raw_customers') }}\n",
  'models/stg_orders.sql': "select order_id, customer_id, amount from {{ ref('raw_orders') }}\n",
  'models/order_cents.sql': "select order_id, {{ to_cents('amount') }} as cents from {{ ref('stg_orders') }}\n",
  'models/customer_orders.sql': "select c.id as customer_id, c.name, sum(o.amount) as total\nfrom {{ ref('stg_customers') }} c join {{ ref('stg_orders') }} o on o.customer_id = c.id\ngroup by 1, 2\n",
  'models/customer_names.sql': "select name from {{ ref('stg_customers') }}\n",
  'models/documented.sql': 'select 1 as id\n',
  'models/undocumented.sql': 'select 1 as id\n',
  'models/configured.sql': 'select 1 as id\n',
  'models/schema.yml': `version: 2
models:
  - name: stg_customers
    columns:
      - name: id
        data_tests: [unique]
  - name: customer_orders
    columns:
      - name: customer_id
        data_tests: [not_null]
  - name: documented
    config:
      persist_docs: {relation: true, columns: true}
    columns:
      - name: id
        description: the id
  - name: undocumented
    columns:
      - name: id
        description: the id
  - name: configured
    config:
      materialized: view
unit_tests:
  - name: totals_per_customer
    model: customer_orders
    given:
      - input: ref('stg_customers')
        rows: [{id: 1}]
      - input: ref('stg_orders')
        rows: [{customer_id: 1, amount: 5}, {customer_id: 1, amount: 2}]
    expect:
      rows: [{customer_id: 1, total: 7}]
`,
};

interface Outcome {
  code: number;
  output: string;
  results: { unique_id: string; status: string; message: string | null }[];
}

let dir: string;

async function tsdbt(command: Parameters<typeof runCommand>[1] | 'clone' | 'retry', options: Partial<InvocationOptions>): Promise<Outcome> {
  const lines: string[] = [];
  const inv = createInvocation({ projectDir: dir, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: dir }, ...options });
  const code = command === 'clone' ? await cloneCommand(inv) : command === 'retry' ? await retryCommand(inv) : await runCommand(inv, command);
  const results = (JSON.parse(readFileSync(path.join(dir, 'target', 'run_results.json'), 'utf8')) as { results: Outcome['results'] }).results;
  return { code, output: lines.join('\n'), results };
}


/** A result's node without a generic test's hash suffix: `test.demo.not_null_customer_orders_customer_id`. */
const nodeName = (id: string) => (id.startsWith('test.') ? id.replace(/\.[0-9a-f]{10}$/, '') : id);
const compiled = (model: string) => readFileSync(path.join(dir, 'target', 'compiled', 'demo', 'models', `${model}.sql`), 'utf8');

describe('slim CI: build state:modified+ with --defer against production artifacts', () => {
  let ci: Outcome;
  beforeAll(async () => {
    dir = testdir({ ...FILES, 'profiles.yml': profiles() });
    const prod = await tsdbt('build', { target: 'prod' });
    expect(prod.code, prod.output).toBe(0);
    cpSync(path.join(dir, 'target'), path.join(dir, 'prod-artifacts'), { recursive: true });
    writeFiles(dir, {
      // One model's SQL, one macro (used by order_cents), one config, one description with persist_docs on and one without.
      'models/stg_orders.sql': "select order_id, customer_id, amount * 2 as amount from {{ ref('raw_orders') }}\n",
      'macros/cents.sql': '{% macro to_cents(x) %}({{ x }} * 1000){% endmacro %}\n',
      'models/schema.yml': (FILES['models/schema.yml'] as string)
        .replace('      - name: id\n        description: the id\n  - name: undocumented', '      - name: id\n        description: the identifier\n  - name: undocumented')
        .replace('  - name: undocumented\n    columns:\n      - name: id\n        description: the id', '  - name: undocumented\n    columns:\n      - name: id\n        description: the identifier')
        .replace('materialized: view', 'materialized: table'),
    });
    ci = await tsdbt('build', { target: 'ci', select: ['state:modified+'], defer: true, state: 'prod-artifacts' });
  }, 300_000);
  afterAll(async () => {
    removeDir(dir);
    for (const schema of [prodSchema, ciSchema, cloneSchema]) {
      await dropTestSchema({ ...serverTarget(schema), schema: `${schema}_dbt_test__audit` });
      await dropTestSchema(serverTarget(schema));
    }
  });

  it('builds exactly the modified nodes, their children and their tests', () => {
    expect(ci.code, ci.output).toBe(0);
    expect(ci.results.map((r) => nodeName(r.unique_id)).sort()).toEqual([
      'model.demo.configured', // a config
      'model.demo.customer_orders', // a child of stg_orders
      'model.demo.documented', // a persisted column description
      'model.demo.order_cents', // the macro it calls, and a child of stg_orders
      'model.demo.stg_orders', // its SQL
      'test.demo.not_null_customer_orders_customer_id', // the test of a selected node
      // Its unit test: the fixture of stg_customers (only `id` given) takes its columns from production's relation.
      'unit_test.demo.customer_orders.totals_per_customer',
    ]);
    expect(ci.results.every((r) => r.status === 'success' || r.status === 'pass')).toBe(true);
  });

  it('the children read the unchanged parents from the production schema', async () => {
    const sql = compiled('customer_orders');
    expect(sql).toContain(`"${prodSchema}"."stg_customers"`);
    expect(sql).toContain(`"${ciSchema}"."stg_orders"`);
    expect(compiled('stg_orders')).toContain(`"${prodSchema}"."raw_orders"`);
    // Production's names joined with CI's doubled amounts.
    expect(await query(`select customer_id, name, total::int as total from "${ciSchema}".customer_orders order by 1`)).toEqual([
      { customer_id: 1, name: 'ann', total: 24 },
      { customer_id: 2, name: 'bob', total: 6 },
    ]);
    expect(await query(`select cents::int as cents from "${ciSchema}".order_cents order by order_id`)).toEqual([{ cents: 10000 }, { cents: 14000 }, { cents: 6000 }]);
    expect(await query(`select table_name from information_schema.tables where table_schema = '${ciSchema}' order by 1`)).toEqual(
      ['configured', 'customer_orders', 'documented', 'order_cents', 'stg_orders'].map((table_name) => ({ table_name })),
    );
    // Production is untouched.
    expect(await query(`select total::int as total from "${prodSchema}".customer_orders order by customer_id`)).toEqual([{ total: 12 }, { total: 3 }]);
  });

  it('--favor-state reads production even where the CI schema has the relation; without it, CI\'s own', async () => {
    const own = await tsdbt('run', { target: 'ci', select: ['customer_orders'], defer: true, state: 'prod-artifacts' });
    expect(own.code, own.output).toBe(0);
    expect(compiled('customer_orders')).toContain(`"${ciSchema}"."stg_orders"`);
    const favored = await tsdbt('run', { target: 'ci', select: ['customer_orders'], defer: true, state: 'prod-artifacts', favorState: true });
    expect(favored.code, favored.output).toBe(0);
    expect(compiled('customer_orders')).toContain(`"${prodSchema}"."stg_orders"`);
    expect(await query(`select total::int as total from "${ciSchema}".customer_orders order by customer_id`)).toEqual([{ total: 12 }, { total: 3 }]);
  });

  it('tests defer too: a test of a model CI did not build reads production', async () => {
    const tested = await tsdbt('test', { target: 'ci', select: ['stg_customers'], defer: true, state: 'prod-artifacts' });
    expect(tested.code, tested.output).toBe(0);
    expect(tested.results.map((r) => [nodeName(r.unique_id), r.status])).toEqual([['test.demo.unique_stg_customers_id', 'pass']]);
    const testSql = readFileSync(path.join(dir, 'target', 'compiled', 'demo', 'models', 'schema.yml', 'unique_stg_customers_id.sql'), 'utf8');
    expect(testSql).toContain(`"${prodSchema}"."stg_customers"`);
    // Without --defer the same test fails: CI has no stg_customers.
    const plain = await tsdbt('test', { target: 'ci', select: ['stg_customers'] });
    expect(plain.code).toBe(1);
  });

  it('compile --defer renders refs to what CI lacks as production\'s relations', async () => {
    const compile = async (options: Partial<InvocationOptions>) => {
      const inv = createInvocation({ projectDir: dir, target: 'ci', select: ['customer_names'], write: () => undefined, writeError: () => undefined, env: { ...process.env, TSDBT_PROFILES_DIR: '', HOME: dir }, ...options });
      expect(await compileCommand(inv)).toBe(0);
      return compiled('customer_names');
    };
    expect(await compile({ defer: true, state: 'prod-artifacts' })).toContain(`"${prodSchema}"."stg_customers"`);
    expect(await compile({})).toContain(`"${ciSchema}"."stg_customers"`);
  });

  it('--defer without --state is a usage error (exit 2)', async () => {
    const lines: string[] = [];
    const inv = createInvocation({ projectDir: dir, target: 'ci', defer: true, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', HOME: dir } });
    await expect(runCommand(inv, 'run')).rejects.toThrow('--defer needs the artifacts of the run to defer to');
  });

  it('clone makes every model and seed of production a view in a fresh schema, with production\'s rows', async () => {
    const cloned = await tsdbt('clone', { target: 'clone', state: 'prod-artifacts' });
    expect(cloned.code, cloned.output).toBe(0);
    expect(cloned.results.map((r) => [r.unique_id, r.status]).sort()).toEqual(
      ['configured', 'customer_names', 'customer_orders', 'documented', 'order_cents', 'stg_customers', 'stg_orders', 'undocumented'].map((m) => [`model.demo.${m}`, 'success']).concat([['seed.demo.raw_customers', 'success'], ['seed.demo.raw_orders', 'success']]).sort(),
    );
    // PostgreSQL cannot clone tables without copying them: dbt-postgres makes views of production's relations.
    const kinds = await query(`select table_name, table_type from information_schema.tables where table_schema = '${cloneSchema}' order by 1`);
    expect(kinds.map((k) => k.table_type)).toEqual(Array(10).fill('VIEW'));
    // target/run holds the clone's statement without the query comment, as run and build write it (dbt writes it before adding the comment).
    const runFile = readFileSync(path.join(dir, 'target', 'run', 'demo', 'models', 'customer_orders.sql'), 'utf8');
    expect(runFile).toContain(`${prodSchema}`);
    expect(runFile).not.toContain('"app": "tsdbt"');
    expect(await query(`select pg_get_viewdef('"${cloneSchema}".customer_orders'::regclass) as def`)).toEqual([{ def: expect.stringContaining(`${prodSchema}.customer_orders`) as unknown }]);
    expect(await query(`select customer_id, name, total::int as total from "${cloneSchema}".customer_orders order by customer_id`)).toEqual([
      { customer_id: 1, name: 'ann', total: 12 },
      { customer_id: 2, name: 'bob', total: 3 },
    ]);
    expect(await query(`select count(*)::int as n from "${cloneSchema}".raw_orders`)).toEqual([{ n: 3 }]);
    // target/run has the statements, as for any build: a view selecting from production's relation.
    const run = readFileSync(path.join(dir, 'target', 'run', 'demo', 'models', 'customer_orders.sql'), 'utf8');
    expect(run).toContain(`select * from "${pgServer().database}"."${prodSchema}"."customer_orders"`);
    // run_results.json records the clone's flags as every command's are (dbt's args keys).
    const args = (JSON.parse(readFileSync(path.join(dir, 'target', 'run_results.json'), 'utf8')) as { args: Record<string, unknown> }).args;
    expect(args).toMatchObject({ which: 'clone', target: 'clone', state: 'prod-artifacts', full_refresh: false, defer: false });
  });

  it('clone leaves relations that exist alone unless --full-refresh; a project\'s can_clone_table / create_or_replace_clone are used', async () => {
    const again = await tsdbt('clone', { target: 'clone', state: 'prod-artifacts', select: ['stg_orders', 'raw_customers'] });
    expect(again.code, again.output).toBe(0);
    expect(again.results.map((r) => r.message)).toEqual(['No-op', 'No-op']);
    expect(again.output).toContain(`Relation "${pgServer().database}"."${cloneSchema}"."stg_orders" already exists`);
    // The project says this warehouse can clone tables, and how: a copy. Seeds are tables in production.
    writeFiles(dir, {
      'macros/clone_as_copy.sql':
        '{% macro postgres__can_clone_table() %}{{ return(true) }}{% endmacro %}\n{% macro postgres__create_or_replace_clone(this_relation, defer_relation) %}create table {{ this_relation }} as select * from {{ defer_relation }}{% endmacro %}\n',
    });
    const replaced = await tsdbt('clone', { target: 'clone', state: 'prod-artifacts', select: ['stg_orders', 'raw_customers'], fullRefresh: true });
    expect(replaced.code, replaced.output).toBe(0);
    expect(await query(`select table_name, table_type from information_schema.tables where table_schema = '${cloneSchema}' and table_name in ('raw_customers', 'stg_orders') order by 1`)).toEqual([
      { table_name: 'raw_customers', table_type: 'BASE TABLE' }, // cloned by the project's macro (production's seed is a table)
      { table_name: 'stg_orders', table_type: 'VIEW' }, // production's stg_orders is a view: a view of it
    ]);
    expect(await query(`select name from "${cloneSchema}".raw_customers order by id`)).toEqual([{ name: 'ann' }, { name: 'bob' }, { name: 'cy' }]);
  });

  it('retry of a clone clones again only what failed, from the recorded --state', async () => {
    writeFiles(dir, {
      'macros/clone_as_copy.sql':
        "{% macro postgres__can_clone_table() %}{{ return(true) }}{% endmacro %}\n{% macro postgres__create_or_replace_clone(this_relation, defer_relation) %}{% if not var('clone_ok', false) %}{{ exceptions.raise_compiler_error('not now') }}{% endif %}create table {{ this_relation }} as select * from {{ defer_relation }}{% endmacro %}\n",
    });
    const failed = await tsdbt('clone', { target: 'clone', state: 'prod-artifacts', select: ['stg_orders', 'raw_orders'], fullRefresh: true });
    expect(failed.code).toBe(1);
    expect(failed.results.map((r) => [r.unique_id, r.status]).sort()).toEqual([['model.demo.stg_orders', 'success'], ['seed.demo.raw_orders', 'error']]);
    const retried = await tsdbt('retry', { vars: '{clone_ok: true}' });
    expect(retried.code, retried.output).toBe(0);
    expect(retried.results.map((r) => [r.unique_id, r.status])).toEqual([['seed.demo.raw_orders', 'success']]);
    expect(await query(`select table_type from information_schema.tables where table_schema = '${cloneSchema}' and table_name = 'raw_orders'`)).toEqual([{ table_type: 'BASE TABLE' }]);
    expect(await query(`select count(*)::int as n from "${cloneSchema}".raw_orders`)).toEqual([{ n: 3 }]);
  }, 300_000);

  it('retry of a failed slim-CI build defers as the build did: the fixed model reads production\'s unchanged parents', async () => {
    const good = readFileSync(path.join(dir, 'models', 'customer_orders.sql'), 'utf8');
    writeFiles(dir, { 'models/customer_orders.sql': good.replace('sum(o.amount)', 'sum(o.no_such_column)') });
    const failed = await tsdbt('build', { target: 'ci', select: ['customer_orders'], defer: true, state: 'prod-artifacts' });
    expect(failed.code).toBe(1);
    // Its unit test errors first, so the model is skipped, as dbt's build does.
    expect(failed.results.find((r) => r.unique_id === 'unit_test.demo.customer_orders.totals_per_customer')?.status).toBe('error');
    expect(failed.results.find((r) => r.unique_id === 'model.demo.customer_orders')?.status).toBe('skipped');
    writeFiles(dir, { 'models/customer_orders.sql': good });
    // stg_customers is unchanged, so CI never built it: only --defer, recorded in run_results.json, finds it.
    expect(await query(`select 1 from information_schema.tables where table_schema = '${ciSchema}' and table_name = 'stg_customers'`)).toEqual([]);
    const retried = await tsdbt('retry', {});
    expect(retried.code, JSON.stringify(retried.results)).toBe(0);
    expect(retried.results.map((r) => nodeName(r.unique_id)).sort()).toEqual(['model.demo.customer_orders', 'test.demo.not_null_customer_orders_customer_id', 'unit_test.demo.customer_orders.totals_per_customer']);
    expect(compiled('customer_orders')).toContain(`"${prodSchema}"."stg_customers"`);
    expect(await query(`select customer_id, total::int as total from "${ciSchema}".customer_orders order by 1`)).toEqual([
      { customer_id: 1, total: 24 },
      { customer_id: 2, total: 6 },
    ]);
  }, 300_000);

  it("--favor-state defers a selected node `run` does not build (a seed), as dbt's SELECTED_RESOURCES holds only the run's models", async () => {
    const seeded = await tsdbt('seed', { target: 'ci', select: ['raw_customers'] });
    expect(seeded.code, seeded.output).toBe(0);
    // raw_customers+ names the seed too, but a run builds only stg_customers and its children.
    const favored = await tsdbt('run', { target: 'ci', select: ['raw_customers+'], exclude: ['customer_orders'], defer: true, state: 'prod-artifacts', favorState: true });
    expect(favored.code, favored.output).toBe(0);
    expect(compiled('stg_customers')).toContain(`"${prodSchema}"."raw_customers"`);
    // The models it builds are read from CI's own schema.
    expect(compiled('customer_names')).toContain(`"${ciSchema}"."stg_customers"`);
  });

  it('clone without --state is a usage error (exit 2)', async () => {
    const inv = createInvocation({ projectDir: dir, target: 'clone', write: () => undefined, writeError: () => undefined, env: { ...process.env, TSDBT_PROFILES_DIR: '', HOME: dir } });
    await expect(cloneCommand(inv)).rejects.toThrow('clone copies the relations of an earlier run, so it needs --state');
  });
});

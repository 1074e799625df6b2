// Materializations written in Jinja (docs.getdbt.com/guides/create-new-materializations): a
// `{% materialization name, default %}` in the project or in a package, chosen by
// `config(materialized=...)`, runs with dbt's materialization context; its `statement('main')` is
// the node's status line and run_results adapter_response; a failure before `adapter.commit()`
// leaves the previous relation and its rows exactly as they were (PostgreSQL: the transaction
// statement's auto_begin opened is rolled back).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { warehouseProject, type WarehouseKind, type WarehouseProject } from '../support/warehouse-project.js';

/** dbt's documentation pattern: build into an intermediate relation, swap it in, hooks, commit, return. */
const SWAP_MATERIALIZATION = (name: string) => `
{% materialization ${name}, default %}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type='table') -%}
  {%- set intermediate_relation = make_intermediate_relation(target_relation) -%}
  {%- set backup_relation = make_backup_relation(target_relation, 'table') -%}
  {%- set grant_config = config.get('grants') -%}
  {{ drop_relation_if_exists(load_cached_relation(intermediate_relation)) }}
  {{ drop_relation_if_exists(load_cached_relation(backup_relation)) }}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {% call statement('main') -%}
    {{ get_create_table_as_sql(False, intermediate_relation, sql) }}
  {%- endcall %}

  {% if config.get('fail_after_build') %}
    {% do exceptions.raise_compiler_error('stopped after building ' ~ intermediate_relation) %}
  {% endif %}

  {% if existing_relation is not none %}
    {{ adapter.rename_relation(existing_relation, backup_relation) }}
  {% endif %}
  {{ adapter.rename_relation(intermediate_relation, target_relation) }}

  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {% do apply_grants(target_relation, grant_config, should_revoke=should_revoke(existing_relation, full_refresh_mode=True)) %}
  {% do persist_docs(target_relation, model) %}

  {{ adapter.commit() }}

  {{ drop_relation_if_exists(backup_relation) }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
`;

interface RunResult {
  unique_id: string;
  status: string;
  message: string | null;
  adapter_response: Record<string, unknown>;
}

function runResults(p: WarehouseProject): RunResult[] {
  return (JSON.parse(readFileSync(path.join(p.dir, 'target', 'run_results.json'), 'utf8')) as { results: RunResult[] }).results;
}

function resultOf(p: WarehouseProject, name: string): RunResult | undefined {
  return runResults(p).find((r) => r.unique_id.endsWith(`.${name}`));
}

/**
 * The statements the last invocation ran, as logs/dbt.log shows them (target/run/ holds only the
 * node's main statement, as dbt's; `pkg` and `file` name the node's, for the reader).
 */
function runStatements(p: WarehouseProject, pkg: string, file: string): string {
  void [pkg, file];
  const log = readFileSync(path.join(p.dir, 'logs', 'dbt.log'), 'utf8');
  // Each line without its `<time> [debug] [<thread>]: ` prefix: the statements' own text.
  return log.slice(log.lastIndexOf('\n==============================')).replace(/^\S+ \[\w+\s*\] \[[^\]]*\]: /gm, '');
}

const q = (kind: WarehouseKind, schema: string, table: string) => (kind === 'chdb' ? `\`${schema}\`.${table}` : `"${schema}".${table}`);

const PROJECT: Record<string, string> = {
  'dbt_project.yml': 'name: demo\nprofile: demo\nmodels:\n  demo:\n    audited:\n      +pre-hook: ["{{ log(\'pre \' ~ this.identifier, info=True) }}"]\n',
  'macros/my_materialization.sql': SWAP_MATERIALIZATION('my_materialization_name'),
  'dbt_packages/mat_pkg/dbt_project.yml': "name: mat_pkg\nversion: '1.0.0'\nconfig-version: 2\n",
  'dbt_packages/mat_pkg/macros/swap.sql': SWAP_MATERIALIZATION('package_swap'),
  'models/orders.sql': "{{ config(materialized='my_materialization_name') }}\nselect 1 as id, 'a' as label\nunion all select 2, 'b'\nunion all select 3, 'c'\n",
  'models/audited/from_package.sql': "{{ config(materialized='package_swap', post_hook=\"insert into {{ this.schema }}.hook_log select '{{ this.identifier }}'\") }}\n-- depends_on: {{ ref('hook_log') }}\nselect id * 10 as id from {{ ref('orders') }}\n",
  'models/hook_log.sql': "{{ config(materialized='table') }}\nselect cast('x' as varchar(50)) as seen where 1 = 0\n",
  'models/_models.yml': 'version: 2\nmodels:\n  - name: orders\n    description: Orders, swapped in whole\n    config:\n      persist_docs: {relation: true}\n',
};

describe.each(['pglite', 'server', 'chdb'] as WarehouseKind[])('a materialization written in Jinja on %s', (kind) => {
  const projects: WarehouseProject[] = [];
  afterAll(async () => {
    for (const p of projects) await p.cleanup();
  });

  it("from the project and from a package, chosen by config(materialized=...): the data, the status line and run_results' adapter_response come from statement('main')", async () => {
    const files = { ...PROJECT };
    if (kind === 'chdb') files['models/hook_log.sql'] = "{{ config(materialized='table') }}\nselect 'x' as seen where 1 = 0\n";
    const p = warehouseProject(kind, files);
    projects.push(p);
    const out = await p.run('build');
    expect(out.code, out.output).toBe(0);
    expect(await p.sql(`select id, label from ${q(kind, p.schema, 'orders')} order by id`)).toEqual([
      { id: 1, label: 'a' },
      { id: 2, label: 'b' },
      { id: 3, label: 'c' },
    ]);
    expect(await p.sql(`select id from ${q(kind, p.schema, 'from_package')} order by id`)).toEqual([{ id: 10 }, { id: 20 }, { id: 30 }]);
    // persist_docs(target_relation, model) wrote the description.
    const comment = kind === 'chdb' ? await p.sql(`select comment from system.tables where database = '${p.schema}' and name = 'orders'`) : await p.sql(`select obj_description('"${p.schema}".orders'::regclass) as comment`);
    expect(comment).toEqual([{ comment: 'Orders, swapped in whole' }]);
    // The package's post-hook ran (rendered in the model's context), the pre-hook logged.
    expect(await p.sql(`select seen from ${q(kind, p.schema, 'hook_log')}`)).toEqual([{ seen: 'from_package' }]);
    expect(out.output).toContain('pre from_package');
    // Nothing left behind by the swap.
    const leftovers = kind === 'chdb' ? await p.sql(`select name from system.tables where database = '${p.schema}' and name like '%__dbt_%'`) : await p.sql(`select table_name from information_schema.tables where table_schema = '${p.schema}' and table_name like '%__dbt_%'`);
    expect(leftovers).toEqual([]);
    if (kind !== 'chdb') {
      expect(out.output).toMatch(/OK created sql my_materialization_name model [^\n]*orders \.+ \[SELECT 3 in \d+\.\d+s\]/);
      expect(out.output).toMatch(/OK created sql package_swap model [^\n]*from_package \.+ \[SELECT 3 in \d+\.\d+s\]/);
      expect(resultOf(p, 'orders')).toMatchObject({ status: 'success', message: 'SELECT 3', adapter_response: { _message: 'SELECT 3', code: 'SELECT', rows_affected: 3 } });
      // The statements went to target/run/ in order: build the intermediate, swap, commit.
      const statements = runStatements(p, 'demo', 'models/orders.sql');
      expect(statements).toMatch(/create\s+table [^\n]*"orders__dbt_tmp"[\s\S]*alter table [^\n]*"orders__dbt_tmp" rename to "orders"/i);
    } else {
      expect(resultOf(p, 'orders')?.status).toBe('success');
    }

    // A second build swaps the new version in through the backup relation.
    p.write('models/orders.sql', "{{ config(materialized='my_materialization_name') }}\nselect 7 as id, 'z' as label\n");
    const second = await p.run('run', { select: ['orders'] });
    expect(second.code, second.output).toBe(0);
    expect(await p.sql(`select id, label from ${q(kind, p.schema, 'orders')}`)).toEqual([{ id: 7, label: 'z' }]);
    if (kind !== 'chdb') expect(second.output).toMatch(/\[SELECT 1 in /);
  });
});

describe.each(['pglite', 'server'] as WarehouseKind[])('a failing materialization written in Jinja on %s', (kind) => {
  const projects: WarehouseProject[] = [];
  afterAll(async () => {
    for (const p of projects) await p.cleanup();
  });

  const V1 = "{{ config(materialized='my_materialization_name') }}\nselect 1 as id, 'old' as label\nunion all select 2, 'old'\n";
  const objects = (p: WarehouseProject) => p.sql(`select table_name from information_schema.tables where table_schema = '${p.schema}' order by table_name`);

  it('an error after the intermediate was built, before the swap: the previous table and rows stay, the intermediate is rolled back', async () => {
    const p = warehouseProject(kind, { 'dbt_project.yml': 'name: demo\nprofile: demo\n', 'macros/my_materialization.sql': SWAP_MATERIALIZATION('my_materialization_name'), 'models/orders.sql': V1 });
    projects.push(p);
    expect((await p.run('run')).code).toBe(0);
    p.write('models/orders.sql', "{{ config(materialized='my_materialization_name', fail_after_build=true) }}\nselect 9 as id, 'new' as label\n");
    const failed = await p.run('run');
    expect(failed.code, failed.output).toBe(1);
    expect(failed.output).toContain('stopped after building');
    expect(await p.sql(`select id, label from "${p.schema}".orders order by id`)).toEqual([
      { id: 1, label: 'old' },
      { id: 2, label: 'old' },
    ]);
    expect(await objects(p)).toEqual([{ table_name: 'orders' }]);
  });

  it('a post-hook failing inside the transaction, after both renames and before the commit: everything is rolled back', async () => {
    const p = warehouseProject(kind, { 'dbt_project.yml': 'name: demo\nprofile: demo\n', 'macros/my_materialization.sql': SWAP_MATERIALIZATION('my_materialization_name'), 'models/orders.sql': V1 });
    projects.push(p);
    expect((await p.run('run')).code).toBe(0);
    p.write('models/orders.sql', "{{ config(materialized='my_materialization_name', post_hook='select 1 / (select count(*) - 1 from {{ this }})') }}\nselect 9 as id, 'new' as label\n");
    const failed = await p.run('run', { debug: true });
    expect(failed.code, failed.output).toBe(1);
    expect(failed.output).toMatch(/division by zero/);
    // The post-hook ran after `orders` became the backup and the intermediate became `orders`.
    expect(failed.output).toMatch(/rename to "orders__dbt_backup"[\s\S]*rename to "orders"[\s\S]*select 1 \/ \(select count[\s\S]*rollback/);
    expect(await p.sql(`select id, label from "${p.schema}".orders order by id`)).toEqual([
      { id: 1, label: 'old' },
      { id: 2, label: 'old' },
    ]);
    expect(await objects(p)).toEqual([{ table_name: 'orders' }]);
    // The connection is clean for the next run: the same model without the hook builds.
    p.write('models/orders.sql', "{{ config(materialized='my_materialization_name') }}\nselect 9 as id, 'new' as label\n");
    expect((await p.run('run')).code).toBe(0);
    expect(await p.sql(`select id, label from "${p.schema}".orders`)).toEqual([{ id: 9, label: 'new' }]);
  });
});

/**
 * In the manner of dbt-labs' experimental insert_by_period: the first run creates the table empty,
 * then every run inserts one period per statement (committing each), resuming after the latest
 * period already loaded.
 */
const INSERT_BY_PERIOD = `
{% materialization insert_by_period, default %}
  {%- set timestamp_field = config.require('timestamp_field') -%}
  {%- set start_date = config.require('start_date') -%}
  {%- set stop_date = config.require('stop_date') -%}
  {%- if '__PERIOD_FILTER__' not in sql -%}
    {{ exceptions.raise_compiler_error("Model '" ~ model.unique_id ~ "' does not include __PERIOD_FILTER__ in its sql") }}
  {%- endif -%}
  {%- set target_relation = this.incorporate(type='table') -%}
  {%- set existing_relation = load_relation(this) -%}
  {%- set datetime = modules.datetime.datetime -%}
  {%- set state = namespace(start=datetime.strptime(start_date, '%Y-%m-%d'), total=0) -%}
  {%- set stop = datetime.strptime(stop_date, '%Y-%m-%d') -%}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {%- if existing_relation is none or should_full_refresh() -%}
    {{ drop_relation_if_exists(existing_relation) }}
    {% call statement('create_empty') -%}
      {{ get_create_table_as_sql(False, target_relation, sql | replace('__PERIOD_FILTER__', '1 = 0')) }}
    {%- endcall %}
    {{ adapter.commit() }}
  {%- else -%}
    {%- set latest = run_query('select max(cast(' ~ timestamp_field ~ ' as text)) as latest from ' ~ target_relation).columns[0].values()[0] -%}
    {%- if latest -%}
      {%- set resume = datetime.strptime(latest[:10], '%Y-%m-%d') + modules.datetime.timedelta(days=1) -%}
      {%- if resume > state.start -%}{%- set state.start = resume -%}{%- endif -%}
    {%- endif -%}
  {%- endif -%}

  {%- set periods = (stop - state.start).days -%}
  {%- for i in range(periods) -%}
    {%- set window_start = (state.start + modules.datetime.timedelta(days=i)).strftime('%Y-%m-%d') -%}
    {%- set window_end = (state.start + modules.datetime.timedelta(days=i + 1)).strftime('%Y-%m-%d') -%}
    {%- set filter = timestamp_field ~ " >= cast('" ~ window_start ~ "' as date) and " ~ timestamp_field ~ " < cast('" ~ window_end ~ "' as date)" -%}
    {{ log('period ' ~ (i + 1) ~ ' of ' ~ periods ~ ': ' ~ window_start, info=True) }}
    {% call statement('main') -%}
      insert into {{ target_relation }} select * from ({{ sql | replace('__PERIOD_FILTER__', filter) }}) as period_rows
    {%- endcall %}
    {%- set state.total = state.total + (load_result('main').response.rows_affected or 0) -%}
    {{ adapter.commit() }}
  {%- endfor -%}

  {% call noop_statement('main', 'INSERT ' ~ state.total, 'INSERT', state.total) -%}
    -- the periods' inserts are done
  {%- endcall %}

  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
`;

const EVENTS_V1 = [
  "{{ config(materialized='view') }}",
  "select cast('2024-01-01' as date) as d, 10 as amount",
  "union all select cast('2024-01-02' as date), 20",
  "union all select cast('2024-01-02' as date), 5",
  "union all select cast('2024-01-04' as date), 7",
  '',
].join('\n');

describe.each(['pglite', 'server', 'chdb'] as WarehouseKind[])('an insert-by-period materialization on %s', (kind) => {
  const projects: WarehouseProject[] = [];
  afterAll(async () => {
    for (const p of projects) await p.cleanup();
  });

  it('creates the table empty, then inserts one period per statement; the next run resumes after the latest period', async () => {
    const p = warehouseProject(kind, {
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'macros/insert_by_period.sql': INSERT_BY_PERIOD,
      'models/events.sql': EVENTS_V1,
      'models/daily.sql': "{{ config(materialized='insert_by_period', timestamp_field='d', start_date='2024-01-01', stop_date=var('stop', '2024-01-05')) }}\nselect d, amount from {{ ref('events') }}\nwhere __PERIOD_FILTER__\n",
    });
    projects.push(p);
    const first = await p.run('run');
    expect(first.code, first.output).toBe(0);
    const rows = () => p.sql(`select cast(d as text) as d, amount from ${q(kind, p.schema, 'daily')} order by d, amount`);
    expect(await rows()).toEqual([
      { d: '2024-01-01', amount: 10 },
      { d: '2024-01-02', amount: 5 },
      { d: '2024-01-02', amount: 20 },
      { d: '2024-01-04', amount: 7 },
    ]);
    // One create (empty) and one insert per period, in order. `sql` is the compiled code as dbt's:
    // it keeps the newline the config() line leaves.
    const statements = runStatements(p, 'demo', 'models/daily.sql');
    const inserts = [...statements.matchAll(/insert into [^\n]*daily[^\n]* select \* from \(\s*select d, amount from [\s\S]*?d >= cast\('(\d{4}-\d\d-\d\d)' as date\)/g)].map((m) => m[1]);
    expect(inserts).toEqual(['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04']);
    expect(statements.indexOf('1 = 0')).toBeLessThan(statements.indexOf('insert into'));
    expect(first.output).toContain('period 4 of 4: 2024-01-04');
    // The status is the final noop_statement('main')'s; chDB reports no row count for insert ... select.
    const inserted = kind === 'chdb' ? 0 : 4;
    expect(resultOf(p, 'daily')).toMatchObject({ status: 'success', message: `INSERT ${inserted}`, adapter_response: { _message: `INSERT ${inserted}`, code: 'INSERT', rows_affected: inserted } });
    expect(first.output).toMatch(new RegExp(`OK created sql insert_by_period model [^\\n]*daily \\.+ \\[INSERT ${inserted} in `));

    // New events for two more days: only those periods are inserted.
    p.write('models/events.sql', `${EVENTS_V1.trimEnd()}\nunion all select cast('2024-01-05' as date), 3\n`);
    const second = await p.run('run', { vars: '{stop: "2024-01-07"}' });
    expect(second.code, second.output).toBe(0);
    const resumed = [...runStatements(p, 'demo', 'models/daily.sql').matchAll(/d >= cast\('(\d{4}-\d\d-\d\d)' as date\)/g)].map((m) => m[1]);
    expect(resumed).toEqual(['2024-01-05', '2024-01-06']);
    expect((await rows()).map((r) => `${String(r.d)}:${String(r.amount)}`)).toEqual(['2024-01-01:10', '2024-01-02:5', '2024-01-02:20', '2024-01-04:7', '2024-01-05:3']);
    expect(resultOf(p, 'daily')?.message).toBe(kind === 'chdb' ? 'INSERT 0' : 'INSERT 1');

    // --full-refresh: should_full_refresh() is true, so the table is created empty again and every period reloads.
    const refreshed = await p.run('run', { vars: '{stop: "2024-01-07"}', fullRefresh: true });
    expect(refreshed.code, refreshed.output).toBe(0);
    const reloaded = runStatements(p, 'demo', 'models/daily.sql');
    expect(reloaded).toContain('1 = 0');
    expect([...reloaded.matchAll(/d >= cast\('(\d{4}-\d\d-\d\d)' as date\)/g)].map((m) => m[1])).toEqual(['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-06']);
    expect(await rows()).toHaveLength(5);
  });
});

/** A `table` materialization that says it ran, builds directly, and returns its relation. */
const LOGGING_TABLE = (name: string, who: string, adapter = 'default') => `
{% materialization ${name}, ${adapter === 'default' ? 'default' : `adapter='${adapter}'`} %}
  {{ log('${who} built ' ~ this.identifier, info=True) }}
  {%- set target_relation = this.incorporate(type='table') -%}
  {{ drop_relation_if_exists(load_relation(this)) }}
  {% call statement('main') -%}
    {{ get_create_table_as_sql(False, target_relation, sql) }}
  {%- endcall %}
  {{ adapter.commit() }}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
`;

describe('which materialization runs (dbt: adapter-specific beats default, project beats package beats built-in)', () => {
  const projects: WarehouseProject[] = [];
  afterAll(async () => {
    for (const p of projects) await p.cleanup();
  });
  const pkg = (flags = '') => ({
    'dbt_project.yml': `name: demo\nprofile: demo\n${flags}`,
    'dbt_packages/mat_pkg/dbt_project.yml': "name: mat_pkg\nversion: '1.0.0'\nconfig-version: 2\n",
    'dbt_packages/mat_pkg/macros/view.sql': LOGGING_TABLE('view', 'the package'),
    'models/v.sql': "{{ config(materialized='view') }}\nselect 1 as id\n",
  });

  it("PostgreSQL: the project's {% materialization table, default %} replaces the built-in; its adapter='postgres' one wins over it", async () => {
    const p = warehouseProject('pglite', {
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'macros/table.sql': LOGGING_TABLE('table', 'the project'),
      'models/t.sql': "{{ config(materialized='table') }}\nselect 1 as id\n",
    });
    projects.push(p);
    const out = await p.run('run');
    expect(out.code, out.output).toBe(0);
    expect(out.output).toContain('the project built t');
    expect(await p.sql(`select id from "${p.schema}".t`)).toEqual([{ id: 1 }]);
    p.write('macros/table_pg.sql', LOGGING_TABLE('table', 'the postgres one', 'postgres'));
    const specific = await p.run('run');
    expect(specific.code, specific.output).toBe(0);
    expect(specific.output).toContain('the postgres one built t');
    expect(specific.output).not.toContain('the project built t');
  });

  // dbt 1.11's find_materialization_macro_by_name: with the flag on (its default) the package's is
  // passed over silently (tsdbt says why in dbt.log only), so --warn-error does not stop the model;
  // with it off the package's runs after PackageMaterializationOverrideDeprecation (D016).
  it("a package's materialization named like a built-in is not used unless the project sets the flag, silently; with the flag off it warns as dbt", async () => {
    const p = warehouseProject('pglite', pkg());
    projects.push(p);
    const out = await p.run('run', { warnError: true });
    expect(out.code, out.output).toBe(0);
    expect(out.output).not.toContain('the package built v');
    expect(out.output).not.toContain("package 'mat_pkg' defines the built-in materialization 'view'");
    expect(readFileSync(path.join(p.dir, 'logs/dbt.log'), 'utf8')).toContain("package 'mat_pkg' defines the built-in materialization 'view'");
    expect(await p.sql(`select table_type from information_schema.tables where table_schema = '${p.schema}' and table_name = 'v'`)).toEqual([{ table_type: 'VIEW' }]);

    const legacy = warehouseProject('pglite', pkg('flags:\n  require_explicit_package_overrides_for_builtin_materializations: false\n'));
    projects.push(legacy);
    const overridden = await legacy.run('run');
    expect(overridden.code, overridden.output).toBe(0);
    expect(overridden.output).toContain('the package built v');
    expect(overridden.output).toContain(
      "Installed package 'mat_pkg' is overriding the built-in materialization 'view'. Overrides of built-in materializations from installed packages will be deprecated in future versions of dbt. For more information: https://docs.getdbt.com/reference/global-configs/legacy-behaviors",
    );
    expect(await legacy.sql(`select table_type from information_schema.tables where table_schema = '${legacy.schema}' and table_name = 'v'`)).toEqual([{ table_type: 'BASE TABLE' }]);
  });

  it("ClickHouse implements table itself (dbt-clickhouse's adapter='clickhouse'): a project default does not replace it", async () => {
    const p = warehouseProject('chdb', {
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'macros/table.sql': LOGGING_TABLE('table', 'the project'),
      'models/t.sql': "{{ config(materialized='table', order_by='id') }}\nselect 1 as id\n",
    });
    projects.push(p);
    const out = await p.run('run');
    expect(out.code, out.output).toBe(0);
    expect(out.output).not.toContain('the project built t');
    expect(await p.sql(`select sorting_key from system.tables where database = '${p.schema}' and name = 't'`)).toEqual([{ sorting_key: 'id' }]);
  });

  it("the project's table can wrap the built-in (dbt.materialization_table_default()), and can opt in to a package's view explicitly", async () => {
    const p = warehouseProject('pglite', {
      ...pkg(),
      'macros/table.sql': [
        '{% materialization table, default %}',
        "  {{ log('wrapping the built-in for ' ~ this.identifier, info=True) }}",
        '  {%- set result = dbt.materialization_table_default() -%}',
        "  {% do run_query('comment on table ' ~ this ~ \" is 'wrapped'\") %}",
        '  {{ return(result) }}',
        '{% endmaterialization %}',
        '{% materialization view, default %}',
        '  {{ return(mat_pkg.materialization_view_default()) }}',
        '{% endmaterialization %}',
      ].join('\n'),
      'models/t.sql': "{{ config(materialized='table') }}\nselect 1 as id union all select 2\n",
    });
    projects.push(p);
    const out = await p.run('run');
    expect(out.code, out.output).toBe(0);
    expect(out.output).toContain('wrapping the built-in for t');
    expect(out.output).toMatch(/OK created sql table model [^\n]*\.t \.+ \[SELECT 2 in /);
    expect(await p.sql(`select obj_description('"${p.schema}".t'::regclass) as comment, (select count(*)::int from "${p.schema}".t) as n`)).toEqual([{ comment: 'wrapped', n: 2 }]);
    expect(out.output).toContain('the package built v');
    expect(await p.sql(`select table_type from information_schema.tables where table_schema = '${p.schema}' and table_name = 'v'`)).toEqual([{ table_type: 'BASE TABLE' }]);
  });

  it("a seed materialization written in Jinja runs for seeds (as dbt's), and may wrap the built-in as dbt.materialization_seed_default()", async () => {
    const p = warehouseProject('pglite', {
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'macros/seed.sql': `{% materialization seed, default %}
  {{ log('the project seeds ' ~ this.identifier, info=True) }}
  {{ return(dbt.materialization_seed_default()) }}
{% endmaterialization %}
`,
      'seeds/people.csv': 'id,name\n1,ana\n',
    });
    projects.push(p);
    const out = await p.run('seed');
    expect(out.code, out.output).toBe(0);
    expect(out.output).toContain('the project seeds people');
    expect(out.output).toMatch(/OK loaded seed file [^\n]*\.people \.+ \[INSERT 1 in /);
    expect(await p.sql(`select id, name from "${p.schema}".people`)).toEqual([{ id: 1, name: 'ana' }]);
  });

  it('clear errors: an unknown materialization when its model runs (dbt parses it), no return value, no statement main', async () => {
    const p = warehouseProject('pglite', {
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'macros/bad.sql': [
        '{% materialization no_return, default %}',
        "  {% call statement('main') %}select 1{% endcall %}",
        '{% endmaterialization %}',
        '{% materialization no_main, default %}',
        "  {{ return({'relations': [this]}) }}",
        '{% endmaterialization %}',
      ].join('\n'),
      'models/a.sql': "{{ config(materialized='no_return') }}\nselect 1 as id\n",
      'models/b.sql': "{{ config(materialized='no_main') }}\nselect 1 as id\n",
      'models/c.sql': "{{ config(materialized='no_such_thing') }}\nselect 1 as id\n",
    });
    projects.push(p);
    const parse = await runTsdbt(['parse', '--project-dir', p.dir]);
    expect(parse.code, parse.stderr + parse.stdout).toBe(0);
    const out = await p.run('run');
    expect(out.code).toBe(1);
    expect(out.output).toMatch(/models\/c\.sql:1: No materialization 'no_such_thing' was found for adapter postgres!/);
    expect(out.output).toMatch(/use one of: [^\n]*no_main/);
    expect(out.output).toContain('macros/bad.sql:1: The materialization ("no_return") did not explicitly return a list of relations to add to the cache.');
    expect(out.output).toContain('macros/bad.sql:4: main is not being called during running model');
    expect(out.output).not.toMatch(/\n\s+at /); // no JavaScript stack
  });
});

const KEEP_TABLE = `
{% materialization keep_table, default %}
  {%- set existing = load_relation(this) -%}
  {%- set target_relation = this.incorporate(type='table') -%}
  {% if existing is none %}
    {% call statement('main') -%}{{ get_create_table_as_sql(False, target_relation, sql) }}{%- endcall %}
  {% else %}
    {% call statement('main') -%}insert into {{ target_relation }} {{ sql }}{%- endcall %}
  {% endif %}
  {% do apply_grants(target_relation, config.get('grants'), should_revoke=should_revoke(existing, full_refresh_mode=False)) %}
  {{ adapter.commit() }}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
`;

describe.each(['pglite', 'server'] as WarehouseKind[])('apply_grants in a materialization on %s', (kind) => {
  // Predefined roles every PostgreSQL has: the test user may not create roles on the server.
  const roles = ['pg_monitor', 'pg_read_all_stats'];
  let p: WarehouseProject;
  afterAll(async () => {
    await p.cleanup();
  });

  it("grants what config.grants lists; on a kept table, revokes the grantees it no longer lists (dbt's diff of show grants)", async () => {
    p = warehouseProject(kind, {
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'macros/keep_table.sql': KEEP_TABLE,
      'models/kept.sql': "{{ config(materialized='keep_table', grants={'select': [var('grantee')]}) }}\nselect 1 as id\n",
    });
    const grants = () => p.sql(`select grantee, privilege_type from information_schema.role_table_grants where table_schema = '${p.schema}' and table_name = 'kept' and grantee in ('${roles[0]}', '${roles[1]}')`);
    const first = await p.run('run', { vars: `{grantee: ${roles[0]}}` });
    expect(first.code, first.output).toBe(0);
    expect(await grants()).toEqual([{ grantee: roles[0], privilege_type: 'SELECT' }]);
    const second = await p.run('run', { vars: `{grantee: ${roles[1]}}` });
    expect(second.code, second.output).toBe(0);
    expect(await grants()).toEqual([{ grantee: roles[1], privilege_type: 'SELECT' }]);
    expect(await p.sql(`select count(*)::int as n from "${p.schema}".kept`)).toEqual([{ n: 2 }]);
  });
});

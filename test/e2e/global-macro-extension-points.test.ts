// dbt's global macros a project overrides or calls where dbt calls them, on PGlite:
// - get_where_subquery dispatches (dbt-adapters' tests/where_subquery.sql), so a project's
//   `<adapter>__get_where_subquery` builds every generic test's `model`, and `dbt.default__get_where_subquery`
//   is callable (dbt's docs on `where` document both);
// - dbt's index and column helpers (get_show_indexes_sql, get_drop_index_sql with dbt-postgres's SQL,
//   sql_convert_columns_in_relation) are shipped and callable;
// - drop_schema_named dispatches (a project's `<adapter>__drop_schema_named` replaces it);
// - dbt-adapters' validate_sql (explain), diff_column_data_types dispatching, and the get_incremental_insert_overwrite_sql /
//   get_incremental_microbatch_sql dispatchers are shipped, with dbt-postgres's postgres__ microbatch;
// - dbt's unit-test fixture helpers (get_fixture_sql.sql: get_expected_sql, format_row) are shipped and callable;
// - `docs generate` reads the catalog through a project's `get_catalog_relations` (compiled, at most
//   100 relations, as dbt-postgres's SchemaMetadataByRelations) or `get_catalog` (`--no-compile`),
//   as dbt's adapter runs them by name; the rows become catalog.json's tables, columns and stats as
//   dbt-core reads them; dbt-postgres's own postgres__get_catalog_relations (shipped) is callable.
//
// Each fails without its change: get_where_subquery did not dispatch (nor had default__), the fixture helpers were missing, docs
// generate never rendered a catalog macro, and dbt-postgres's catalog macros were missing.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docsGenerateCommand } from '../../src/app/docs-command.js';
import { runOperationCommand } from '../../src/app/run-operation.js';
import { testInvocation } from '../support/test-invocation.js';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

interface CatalogJson {
  nodes: Record<string, { metadata: { type: string; name: string; owner: string | null; comment: string | null }; columns: Record<string, { type: string; index: number; name: string }>; stats: Record<string, { value: unknown; include: boolean }> }>;
  sources: Record<string, { metadata: { name: string; owner: string | null } }>;
}

const FILES = {
  'models/nums.sql': "{{ config(materialized='table') }}\nselect 1 as id, 'a'::text as x union all select 2, 'b' union all select 3, null\n",
  'models/nums_view.sql': "select id from {{ ref('nums') }}\n",
  // dbt's unit-test fixture helpers (shipped), called as a project would: rows with a name in another
  // case, a quote and a null, cast to the types (a varchar's length dropped for strings).
  'models/fixture_rows.sql': `{{ config(materialized='table') }}
{{ get_expected_sql([{'ID': 1, 'name': "o'k"}, {'id': 2, 'name': none}], {'id': 'integer', 'name': 'character varying(1)'}, {'id': 'id', 'name': '"name"'}) }}
`,
  // dbt's index and column helpers (shipped; dbt-postgres's implementations), called from models.
  'models/indexed.sql': "{{ config(materialized='table', indexes=[{'columns': ['id'], 'unique': True}]) }}\nselect 1 as id\n",
  'models/index_info.sql': "{{ get_show_indexes_sql(ref('indexed')) }}\n",
  'models/helper_sql.sql': `{%- set columns = sql_convert_columns_in_relation(run_query("select 'amount' as name, 'numeric' as dtype")) if execute else [] -%}
select '{{ get_drop_index_sql(this, 'ix') }}' as drop_index,
  '{% for c in columns %}{{ c.name }} {{ c.data_type }}{% endfor %}' as converted
`,
  'models/schema.yml': `version: 2
models:
  - name: nums
    columns:
      - name: x
        tests:
          - not_null:
              name: x_below_limit
              config: {where: "id < __limit__"}
          - not_null:
              name: x_from_two
              config: {where: "id >= 2"}
sources:
  - name: raw
    schema: "{{ target.schema }}"
    tables:
      - name: nums
`,
  // A project's test filter with a placeholder of its own, else dbt's default (the pattern dbt's docs show).
  'macros/where.sql': `{% macro postgres__get_where_subquery(relation) -%}
  {%- set where = config.get('where', '') -%}
  {%- if '__limit__' in where -%}
    {% do return("(select * from " ~ relation ~ " where " ~ where | replace('__limit__', '3') ~ ") dbt_subquery") %}
  {%- else -%}
    {% do return(dbt.default__get_where_subquery(relation)) %}
  {%- endif -%}
{%- endmacro %}
`,
  // dbt-adapters' validate_sql and the microbatch / insert_overwrite strategy dispatchers (dbt-postgres's microbatch is a merge).
  'macros/strategies.sql': `{% macro show_strategy_sql(unique_key) -%}
  {%- set rel = api.Relation.create(database=target.database, schema=target.schema, identifier='nums') -%}
  {%- set args = {'target_relation': rel, 'temp_relation': rel, 'dest_columns': adapter.get_columns_in_relation(rel), 'incremental_predicates': none, 'unique_key': unique_key} -%}
  {% do log('insert_overwrite: ' ~ (get_incremental_insert_overwrite_sql(args) | replace('\\n', ' ')), info=True) %}
  {% do log('validate_sql: ' ~ validate_sql('select 1 as x').response.code, info=True) %}
  {% do log('microbatch: ' ~ (get_incremental_microbatch_sql(args) | replace('\\n', ' ')), info=True) %}
  {%- set cols = adapter.get_columns_in_relation(rel) -%}
  {% do log('type changes: ' ~ diff_column_data_types(cols, cols), info=True) %}
{%- endmacro %}
{#- A project's implementation of dbt's dispatching diff_column_data_types, over dbt's own. -#}
{% macro postgres__diff_column_data_types(source_columns, target_columns) -%}
  {{ return(dbt.default__diff_column_data_types(source_columns, target_columns) + [{'column_name': 'from', 'new_type': 'the project'}]) }}
{%- endmacro %}
`,
  'macros/drop_schema.sql': `{% macro postgres__drop_schema_named(schema_name) -%}
  {% do log('project drop_schema_named ' ~ schema_name, info=True) %}
{%- endmacro %}
`,
  // By relations: its own query with an owner and a stat of its own; by schemas: dbt-postgres's
  // macro over the schemas (as dbt-postgres's postgres__get_catalog does).
  'macros/catalog.sql': `{% macro postgres__get_catalog_relations(information_schema, relations) -%}
  {%- call statement('catalog', fetch_result=True) -%}
    select '{{ information_schema.database }}' as table_database, c.table_schema, c.table_name,
      'BASE TABLE' as table_type, 'by relations' as table_owner, null as table_comment,
      c.column_name, c.ordinal_position as column_index, c.data_type as column_type, null as column_comment,
      'Relations asked' as "stats:asked:label", {{ relations | length }} as "stats:asked:value",
      'how many relations the macro got' as "stats:asked:description", true as "stats:asked:include"
    from information_schema.columns c
    where {% for r in relations %}(c.table_schema = '{{ r.schema }}' and c.table_name = '{{ r.identifier }}'){% if not loop.last %} or {% endif %}{% endfor %}
  {%- endcall -%}
  {{ return(load_result('catalog').table) }}
{%- endmacro %}
{% macro postgres__get_catalog(information_schema, schemas) -%}
  {%- set relations = [] -%}
  {%- for schema in schemas -%}{%- do relations.append({'schema': schema}) -%}{%- endfor -%}
  {%- do log('project get_catalog over ' ~ (schemas | list | join(',')), info=True) -%}
  {{ return(dbt.postgres__get_catalog_relations(information_schema, relations)) }}
{%- endmacro %}
`,
};

function readCatalogJson(dir: string): CatalogJson {
  return JSON.parse(readFileSync(path.join(dir, 'target', 'catalog.json'), 'utf8')) as CatalogJson;
}

describe("dbt's global macros a project overrides (PGlite)", () => {
  let p: WarehouseProject;
  beforeAll(async () => {
    p = warehouseProject('pglite', FILES);
    const out = await p.run('run');
    expect(out.code, out.output).toBe(0);
  }, 300_000);
  afterAll(() => p.cleanup());

  it("generic tests' model goes through the project's postgres__get_where_subquery and dbt.default__get_where_subquery", async () => {
    const out = await p.run('test');
    const byName: Record<string, (typeof out.results)[number]> = Object.fromEntries(out.results.map((r) => [r.unique_id.split('.')[2] ?? '', r]));
    // ids 1 and 2 (below the project's __limit__ of 3) have an x; id 3 (from 2 on) has none.
    expect(byName.x_below_limit).toMatchObject({ status: 'pass', failures: 0 });
    expect(byName.x_from_two).toMatchObject({ status: 'fail', failures: 1 });
    const compiled = readFileSync(path.join(p.dir, 'target', 'compiled', 'demo', 'models', 'schema.yml', 'x_below_limit.sql'), 'utf8');
    expect(compiled).toContain(`where id < 3) dbt_subquery`);
  });

  it("dbt's unit-test fixture helpers (get_expected_sql, format_row) are callable", async () => {
    expect(await p.sql(`select id, name from ${p.schema}.fixture_rows order by id`)).toEqual([
      { id: 1, name: "o'k" },
      { id: 2, name: null },
    ]);
  });

  it("dbt's get_show_indexes_sql, get_drop_index_sql and sql_convert_columns_in_relation are callable (dbt-postgres's SQL)", async () => {
    expect(await p.sql(`select method, "unique", column_names from ${p.schema}.index_info`)).toEqual([{ method: 'btree', unique: true, column_names: 'id' }]);
    expect(await p.sql(`select drop_index, converted from ${p.schema}.helper_sql`)).toEqual([{ drop_index: `drop index if exists "${p.schema}"."ix"`, converted: 'amount numeric' }]);
  });

  it("drop_schema_named dispatches, so the project's postgres__drop_schema_named runs", async () => {
    const { inv, lines } = testInvocation(p.dir);
    expect(await runOperationCommand(inv, { macro: 'drop_schema_named', args: '{schema_name: kept}' })).toBe(0);
    expect(lines.join('\n')).toContain('project drop_schema_named kept');
  });

  it("dbt's validate_sql, diff_column_data_types and get_incremental_insert_overwrite_sql / get_incremental_microbatch_sql dispatch (dbt-postgres's microbatch)", async () => {
    const { inv, lines } = testInvocation(p.dir);
    expect(await runOperationCommand(inv, { macro: 'show_strategy_sql', args: '{unique_key: id}' })).toBe(0);
    const out = lines.join('\n');
    expect(out).toMatch(/insert_overwrite: +merge into "[^"]+"\."[^"]+"\."nums" as DBT_INTERNAL_DEST/);
    expect(out).toContain('validate_sql: EXPLAIN');
    expect(out).toContain("type changes: [{'column_name': 'from', 'new_type': 'the project'}]");
    expect(out).toMatch(/microbatch: +merge into "[^"]+"\."[^"]+"\."nums" as DBT_INTERNAL_DEST/);
    const refused = testInvocation(p.dir);
    expect(await runOperationCommand(refused.inv, { macro: 'show_strategy_sql', args: '{unique_key: null}' })).toBe(1);
    expect(refused.lines.join('\n')).toContain("dbt-postgres 'microbatch' requires a `unique_key` config");
  });

  it("docs generate reads the catalog through the project's get_catalog_relations, its rows as dbt reads them", async () => {
    const { inv } = testInvocation(p.dir);
    expect(await docsGenerateCommand(inv, { compile: true, emptyCatalog: false })).toBe(0);
    const catalog = readCatalogJson(p.dir);
    const nums = catalog.nodes[`model.demo.nums`];
    expect(nums?.metadata).toMatchObject({ type: 'BASE TABLE', name: 'nums', owner: 'by relations', comment: null });
    expect(nums?.columns).toEqual({ id: { type: 'integer', index: 1, name: 'id', comment: null }, x: { type: 'text', index: 2, name: 'x', comment: null } });
    // 6 models and 1 source asked (dbt hands over the documented relations); the stat is included, so has_stats is true.
    expect(nums?.stats.asked).toMatchObject({ value: 7, include: true });
    expect(nums?.stats.has_stats).toMatchObject({ value: true, include: false });
    expect(catalog.sources[`source.demo.raw.nums`]?.metadata).toMatchObject({ name: 'nums', owner: 'by relations' });
  });

  it("docs generate --no-compile reads it through the project's get_catalog, here dbt-postgres's own macro over the schemas", async () => {
    const { inv, lines } = testInvocation(p.dir);
    expect(await docsGenerateCommand(inv, { compile: false, emptyCatalog: false })).toBe(0);
    expect(lines.join('\n')).toContain(`project get_catalog over ${p.schema.toLowerCase()}`);
    const catalog = readCatalogJson(p.dir);
    const project = 'demo';
    expect(catalog.nodes[`model.${project}.nums`]?.metadata).toMatchObject({ type: 'BASE TABLE', name: 'nums', owner: 'postgres' });
    expect(catalog.nodes[`model.${project}.nums_view`]?.metadata).toMatchObject({ type: 'VIEW', name: 'nums_view' });
    expect(catalog.nodes[`model.${project}.nums_view`]?.columns).toEqual({ id: { type: 'integer', index: 1, name: 'id', comment: null } });
    // dbt-postgres's query has no stats columns: only has_stats, false.
    expect(catalog.nodes[`model.${project}.nums`]?.stats).toEqual({ has_stats: { id: 'has_stats', label: 'Has Stats?', value: false, include: false, description: 'Indicates whether there are statistics for this table' } });
  });
});

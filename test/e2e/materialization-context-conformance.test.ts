// What real packages' materializations (insert-by-period, event-analytics incrementals) ask of dbt's
// materialization context, beyond the documentation pattern: `config.get(name, default=...)` with
// the default given by keyword (dbt's `Config.get(name, default=None, validator=None)`), and
// `create_indexes(target_relation)` (dbt-postgres: one `get_create_index_sql` per entry of the
// `indexes` config), which must name its indexes the same way on every render of the node.
import { afterAll, describe, expect, it } from 'vitest';
import { WAREHOUSES, warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

/** dbt's table pattern, reduced: build, create the config's indexes, commit, return. */
const INDEXED_TABLE = `
{% materialization indexed_table, default %}
  {%- set target_relation = this.incorporate(type='table') -%}
  {{ drop_relation_if_exists(load_relation(this)) }}
  {{ log('indexes: ' ~ config.get('indexes', default=[]) | length, info=True) }}
  {{ log('fallback: ' ~ config.get('not_configured', default='kw-default') ~ ' / ' ~ config.get('not_configured', 'positional-default') ~ ' / ' ~ config.get('label', default='unused'), info=True) }}
  {{ log('meta: ' ~ config.meta_get('owner', default='nobody'), info=True) }}
  {% call statement('main') -%}
    {{ get_create_table_as_sql(False, target_relation, sql) }}
  {%- endcall %}
  {% do create_indexes(target_relation) %}
  {{ adapter.commit() }}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
`;

describe.each(WAREHOUSES)("the materialization context as packages use it, on %s", (kind) => {
  const projects: WarehouseProject[] = [];
  afterAll(async () => {
    for (const p of projects) await p.cleanup();
  });

  it("config.get(name, default=...) answers the keyword default when the config is unset; create_indexes creates exactly the configured indexes, again on a rebuild", async () => {
    const p = warehouseProject(kind, {
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'macros/indexed_table.sql': INDEXED_TABLE,
      'models/plain.sql': "{{ config(materialized='indexed_table', label='set') }}\nselect 1 as id\n",
      'models/indexed.sql': "{{ config(materialized='indexed_table', indexes=[{'columns': ['id'], 'unique': True}, {'columns': ['id', 'name']}]) }}\nselect 1 as id, 'a' as name\n",
    });
    projects.push(p);
    const indexes = async () =>
      (await p.sql(`select tablename, indexdef from pg_indexes where schemaname = '${p.schema}' order by tablename, indexdef`)).map((r) => `${String(r.tablename)}: ${String(r.indexdef).replace(/ INDEX \S+ ON \S+/, ' INDEX ON')}`);
    for (let build = 1; build <= 2; build++) {
      const out = await p.run('run');
      expect(out.code, out.output).toBe(0);
      expect(out.output).toContain('indexes: 0');
      expect(out.output).toContain('indexes: 2');
      expect(out.output).toContain('fallback: kw-default / positional-default / set');
      expect(out.output).toContain('meta: nobody');
      expect(await indexes()).toEqual(['indexed: CREATE INDEX ON USING btree (id, name)', 'indexed: CREATE UNIQUE INDEX ON USING btree (id)']);
    }
    expect(await p.sql(`select id, name from "${p.schema}".indexed`)).toEqual([{ id: 1, name: 'a' }]);
  });
});

/** dbt's documented pattern with hooks: pre-hooks in the transaction, build, indexes, commit. */
const HOOKED_TABLE = `
{% materialization hooked_table, default %}
  {%- set target_relation = this.incorporate(type='table') -%}
  {{ drop_relation_if_exists(load_relation(this)) }}
  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}
  {% call statement('main') -%}
    {{ get_create_table_as_sql(False, target_relation, sql) }}
  {%- endcall %}
  {% do create_indexes(target_relation) %}
  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
`;

describe.each(WAREHOUSES)('a hook whose SQL ends the transaction itself, on %s', (kind) => {
  const projects: WarehouseProject[] = [];
  afterAll(async () => {
    for (const p of projects) await p.cleanup();
  });

  // Packages write `begin; ...; commit;` in hooks so Redshift commits; on PostgreSQL the statement
  // commits the transaction the materialization opened. dbt goes on (psycopg2 runs the rest);
  // so must tsdbt: the hook's work is committed, and the model is built.
  it("a pre-hook's run_query('begin; delete ...; commit;') inside a view's and a Jinja materialization's transaction: the delete is kept, the models build", async () => {
    const p = warehouseProject(kind, {
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'macros/delete_rows.sql': "{% macro delete_rows(rel, id) %}{% if execute %}{% set s %}begin;\ndelete from {{ rel }} where id = {{ id }};\ncommit;{% endset %}{% do run_query(s) %}{% endif %}{% endmacro %}\n",
      'macros/hooked_table.sql': HOOKED_TABLE,
      'models/manifest.sql': "{{ config(materialized='table') }}\nselect 1 as id union all select 2 union all select 3\n",
      'models/after_view.sql': "{{ config(materialized='view', pre_hook=\"{{ delete_rows(ref('manifest'), 1) }}\") }}\nselect * from {{ ref('manifest') }}\n",
      'models/after_jinja.sql': "{{ config(materialized='hooked_table', pre_hook=\"{{ delete_rows(ref('manifest'), 2) }}\", indexes=[{'columns': ['id']}]) }}\nselect * from {{ ref('after_view') }}\n",
    });
    projects.push(p);
    const out = await p.run('run');
    expect(out.code, out.output).toBe(0);
    expect(await p.sql(`select id from "${p.schema}".manifest order by id`)).toEqual([{ id: 3 }]);
    expect(await p.sql(`select id from "${p.schema}".after_view order by id`)).toEqual([{ id: 3 }]);
    expect(await p.sql(`select id from "${p.schema}".after_jinja order by id`)).toEqual([{ id: 3 }]);
    expect(await p.sql(`select count(*)::int as n from pg_indexes where schemaname = '${p.schema}' and tablename = 'after_jinja'`)).toEqual([{ n: 1 }]);
  });
});

/**
 * The loop of period materializations (AutomateDV's vault_insert_by_period, dbt-labs' insert_by_period):
 * each period a new make_temp_relation(this), created temporary, read back with
 * `tmp.include(schema=True)`, committed, and the next period's temporary table beside it.
 */
const PERIOD_LOOP = `
{% materialization period_loop, default %}
  {%- set target_relation = this.incorporate(type='table') -%}
  {{ drop_relation_if_exists(load_relation(this)) }}
  {% call statement('create_empty') -%}
    {{ get_create_table_as_sql(False, target_relation, 'select * from (' ~ sql ~ ') s where 1 = 0') }}
  {%- endcall %}
  {% do adapter.commit() %}
  {% set names = [] %}
  {% for i in range(3) %}
    {% set tmp_relation = make_temp_relation(target_relation) %}
    {% do names.append(tmp_relation.identifier) %}
    {% call statement() -%}
      {{ create_table_as(True, tmp_relation, 'select * from (' ~ sql ~ ') s where n = ' ~ i) }}
    {%- endcall %}
    {% call statement('main') -%}
      insert into {{ target_relation }} select * from {{ tmp_relation.include(schema=True) }}
    {%- endcall %}
    {% do adapter.commit() %}
  {% endfor %}
  {{ log('temp names: ' ~ (names | unique | list | length) ~ ' distinct, schema ' ~ make_temp_relation(this).schema, info=True) }}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
`;

describe.each(WAREHOUSES)("make_temp_relation as dbt-postgres makes it, on %s", (kind) => {
  const projects: WarehouseProject[] = [];
  afterAll(async () => {
    for (const p of projects) await p.cleanup();
  });

  it('a temporary relation has no schema (include(schema=True) renders the bare name), and each call names a new one, so a loop can create one per period', async () => {
    const p = warehouseProject(kind, {
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'macros/period_loop.sql': PERIOD_LOOP,
      'models/periods.sql': "{{ config(materialized='period_loop') }}\nselect 0 as n, 'a' as v union all select 1, 'b' union all select 2, 'c' union all select 2, 'd'\n",
    });
    projects.push(p);
    const out = await p.run('run');
    expect(out.code, out.output).toBe(0);
    expect(out.output).toContain('temp names: 3 distinct, schema None');
    expect(await p.sql(`select n, v from "${p.schema}".periods order by n, v`)).toEqual([
      { n: 0, v: 'a' },
      { n: 1, v: 'b' },
      { n: 2, v: 'c' },
      { n: 2, v: 'd' },
    ]);
  });
});

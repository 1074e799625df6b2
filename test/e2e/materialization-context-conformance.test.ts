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

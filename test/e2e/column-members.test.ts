// The columns adapter.get_columns_in_relation gives on PostgreSQL are dbt-postgres's PostgresColumn
// (dbt-adapters' base/column.py, dbt-postgres's column.py): their repr is the dataclass's, with the
// numeric_precision / numeric_scale information_schema gives fixed-width numbers (integer: 32, 0;
// double precision: 53, None), and `expanded_data_type` (dbt-adapters 1.21) is `data_type`.
// dbt's alter_relation_add_remove_columns adds `column.quoted column.expanded_data_type` (`alter
// <relation.type>`: a relation from get_relation, as `this` has no type in dbt).
import { afterAll, describe, expect, it } from 'vitest';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const MODEL = `{{ config(materialized='table', post_hook=[
  "{% for c in adapter.get_columns_in_relation(this) %}{% do log('col: ' ~ c ~ ' -> ' ~ c.expanded_data_type, info=True) %}{% endfor %}",
  "{% do alter_relation_add_remove_columns(adapter.get_relation(this.database, this.schema, this.identifier), [api.Column('New Col', 'character varying', 12)], [api.Column('t', 'text')]) %}",
]) }}
select 1::integer as id, 2.5::numeric(10,2) as amount, 'a'::varchar(20) as name, 1.5::double precision as f, 'x'::text as t
`;

describe("PostgreSQL's columns as dbt-postgres's PostgresColumn", () => {
  const projects: WarehouseProject[] = [];
  afterAll(async () => {
    for (const p of projects) await p.cleanup();
  });

  it('repr, precision and expanded_data_type of get_columns_in_relation; quoted names in alter_relation_add_remove_columns', async () => {
    const p = warehouseProject('pglite', { 'models/m.sql': MODEL });
    projects.push(p);
    const out = await p.run('run');
    expect(out.code, out.output).toBe(0);
    const logged = out.output.split('\n').flatMap((l) => (l.includes('col: ') ? [l.slice(l.indexOf('col: ') + 5)] : []));
    expect(logged).toEqual([
      "PostgresColumn(column='id', dtype='integer', char_size=None, numeric_precision=32, numeric_scale=0) -> integer",
      "PostgresColumn(column='amount', dtype='numeric', char_size=None, numeric_precision=10, numeric_scale=2) -> numeric(10,2)",
      "PostgresColumn(column='name', dtype='character varying', char_size=20, numeric_precision=None, numeric_scale=None) -> character varying(20)",
      "PostgresColumn(column='f', dtype='double precision', char_size=None, numeric_precision=53, numeric_scale=None) -> double precision",
      "PostgresColumn(column='t', dtype='text', char_size=None, numeric_precision=None, numeric_scale=None) -> text",
    ]);
    const columns = await p.sql(
      `select column_name as name, data_type as type, character_maximum_length as size from information_schema.columns where table_schema = '${p.schema}' and table_name = 'm' order by ordinal_position`,
    );
    expect(columns).toEqual([
      { name: 'id', type: 'integer', size: null },
      { name: 'amount', type: 'numeric', size: null },
      { name: 'name', type: 'character varying', size: 20 },
      { name: 'f', type: 'double precision', size: null },
      { name: 'New Col', type: 'character varying', size: 12 },
    ]);
  });
});

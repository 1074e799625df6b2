// dbt-clickhouse's contract constraints (its render_raw_columns_constraints and CONSTRAINT_SUPPORT):
// a column's constraints are never written into the table, each column that has some gets one
// ConstraintNotSupported warning ("The constraint type column is not supported by clickhouse"),
// and a model-level key (not_null, unique, primary_key, foreign_key) is left out with that warning
// for its type unless it sets `warn_unsupported: false`; a model-level CHECK is written. Built on chDB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const SCHEMA = `version: 2
models:
  - name: col_check
    config:
      contract: {enforced: true}
    columns:
      - name: id
        data_type: Int32
        constraints:
          - type: check
            expression: '> 0'
      - name: color
        data_type: String
  - name: model_keys
    config:
      contract: {enforced: true}
    constraints:
      - type: foreign_key
        columns: [id]
        expression: 'other (id)'
      - type: primary_key
        columns: [id]
        warn_unsupported: false
      - type: check
        name: positive_id
        expression: 'id > 0'
    columns:
      - name: id
        data_type: Int32
`;

describe("unsupported contract constraints on ClickHouse, as dbt-clickhouse's", () => {
  let ch: WarehouseProject;
  beforeAll(() => {
    ch = warehouseProject('chdb', {
      'models/col_check.sql': "{{ config(materialized='table') }} select toInt32(5) as id, 'black' as color",
      'models/model_keys.sql': "{{ config(materialized='table') }} select toInt32(1) as id",
      'models/schema.yml': SCHEMA,
    });
  });
  afterAll(async () => {
    await ch.cleanup();
  });

  it('builds the table without its columns\' constraints and warns once per such column', async () => {
    const out = await ch.run('run', { select: ['col_check'] });
    expect(out.code, out.output).toBe(0);
    expect(out.output.match(/The constraint type column is not supported by clickhouse, and will be ignored/g)).toHaveLength(1);
    expect(await ch.sql(`select id, color from \`${ch.schema}\`.col_check`)).toEqual([{ id: 5, color: 'black' }]);
  });

  it('leaves model-level keys out with a warning (none with warn_unsupported: false) and keeps the CHECK', async () => {
    const out = await ch.run('run', { select: ['model_keys'] });
    expect(out.code, out.output).toBe(0);
    expect(out.output).toContain('The constraint type foreign_key is not supported by clickhouse');
    expect(out.output).not.toContain('The constraint type primary_key');
    const [ddl] = await ch.sql(`select create_table_query as q from system.tables where database = '${ch.schema}' and name = 'model_keys'`);
    expect(String(ddl?.q)).toContain('CONSTRAINT positive_id CHECK id > 0');
  });
});

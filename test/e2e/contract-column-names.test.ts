// A contracted table's columns are named as dbt-postgres names them: the YAML's name written bare
// in the DDL as dbt writes it (PostgreSQL folds it to lower case), quoted only with `quote: true`
// (and, where dbt's bare text would be a syntax error, a reserved word or no identifier); its constraints
// unnamed unless the YAML names them (PostgreSQL names the rest). dbt-adapters'
// render_raw_columns_constraints and get_column_names; dbt-core tests/functional/adapter/constraints.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { warehouseProject } from '../support/warehouse-project.js';

const PROPERTIES = `models:
  - name: m
    config:
      contract: {enforced: true}
    columns:
      - name: Id
        data_type: integer
        constraints: [{type: not_null}, {type: primary_key}]
      - name: from
        data_type: text
        quote: true
      - name: Order
        data_type: text
`;

describe('contracted table column names', () => {
  const p = warehouseProject('pglite', {
    'dbt_project.yml': "name: demo\nprofile: demo\nmodels:\n  +materialized: table\n",
    'models/m.sql': 'select 1 as id, \'blue\' as "from", \'x\' as "order"\n',
    'models/m.yml': PROPERTIES,
  });
  afterAll(() => p.cleanup());

  it('folds an unquoted name as PostgreSQL does, keeps a quoted one, and lets PostgreSQL name the key', async () => {
    const run = await p.run('run');
    expect(run.code, run.output).toBe(0);
    expect(await p.sql(`select column_name from information_schema.columns where table_schema = '${p.schema}' and table_name = 'm' order by ordinal_position`)).toEqual([
      { column_name: 'id' },
      { column_name: 'from' },
      { column_name: 'order' },
    ]);
    expect(await p.sql(`select id, "from", "order" from "${p.schema}".m`)).toEqual([{ id: 1, from: 'blue', order: 'x' }]);
    // Built in place or beside the old table, the key's name is PostgreSQL's own `<table>_pkey`.
    const keys = await p.sql(`select conname from pg_constraint c join pg_namespace n on n.oid = c.connamespace where n.nspname = '${p.schema}' and c.contype = 'p'`);
    expect(keys.map((k) => String(k.conname))).toEqual([expect.stringMatching(/^m(__dbt_tmp)?_pkey\d*$/)]);
    // target/run holds dbt-postgres's text: `Id` as written (dbt quotes only `quote: true`), the
    // insert's column list the same (dbt-tests-adapter's BaseConstraintQuotedColumn); `Order`, a
    // reserved word that dbt's bare text would make a syntax error, quoted as PostgreSQL folds it.
    const ddl = readFileSync(path.join(p.dir, 'target', 'run', 'demo', 'models', 'm.sql'), 'utf8').replace(/\s+/g, ' ');
    expect(ddl).toMatch(/^create table "[^"]+"\."[^"]+"\."m(__dbt_tmp)?" \( Id integer not null primary key, "from" text, "order" text \) ?; insert into "[^"]+"\."[^"]+"\."m(__dbt_tmp)?" \( Id, "from", "order" \) \( select Id, "from", "order" from \( select 1 as id, 'blue' as "from", 'x' as "order" \) as model_subq \)/);
  });
});

// persist_docs.columns and the columns a model's properties list that its relation lacks, as
// dbt-adapters' validate_doc_columns (called by default__persist_docs, which dbt-postgres uses)
// reports them: one warning, "In relation <relation>: The following columns are specified in the
// schema but are not present in the database: ...", naming every listed column missing, described
// or not; an unquoted name matches the relation's column whatever its case, a quoted one
// (`quote: true`) only exactly. The run succeeds and the present column keeps its comment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAREHOUSES, warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

describe.each(WAREHOUSES)('persist_docs.columns with columns the relation lacks (%s)', (kind) => {
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject(kind, {
      'dbt_project.yml': 'name: demo\nprofile: demo\nmodels:\n  +persist_docs:\n    columns: true\n',
      'models/t.sql': "{{ config(materialized='table') }}\nselect 1 as id, 2 as amount\n",
      'models/schema.yml': [
        'models:',
        '  - name: t',
        '    columns:',
        '      - name: id',
        '        description: the id',
        '      - name: AMOUNT',
        '      - name: Id',
        '        quote: true',
        '      - name: not_described_gone',
        '      - name: described_gone',
        '        description: not there',
        '',
      ].join('\n'),
    });
  });
  afterAll(async () => {
    await p.cleanup();
  });

  it('names every listed column missing, after the relation, in one warning', async () => {
    const out = await p.run('run');
    expect(out.code, out.output).toBe(0);
    const warnings = out.output.split('\n').filter((line) => line.includes('are not present in the database'));
    expect(warnings, out.output).toHaveLength(1);
    expect(warnings[0]).toMatch(
      new RegExp(`In relation "[^"]+"\\."${p.schema}"\\."t": The following columns are specified in the schema but are not present in the database: Id, not_described_gone, described_gone$`),
    );
    const [row] = await p.sql(`select col_description('"${p.schema}".t'::regclass, 1) as c`);
    expect(row?.c).toBe('the id');
  });
});

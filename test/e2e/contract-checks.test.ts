// What dbt checks of a model contract and its constraints, in dbt's words (docs: "Model contracts",
// "Constraints"): at parse, a primary key lives on one column or at the model level, never both and
// never on several columns; an enforced contract declares its columns; an incremental contracted
// model sets on_schema_change to append_new_columns or fail; constraints a view cannot enforce are
// a warning unless `warn_unsupported: false`. At run, a contract's `data_type: string` is the
// portable label dbt translates (alias_types, on by default), and a contract without columns or
// with an untyped column fails the model with dbt's message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFiles } from '../support/parse-files.js';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const MODEL = "select 1 as id, 'blue' as color\n";

function properties(body: string): string {
  return `models:\n  - name: my_model\n${body}`;
}

describe('contract and constraint checks at parse', () => {
  it('refuses primary keys on two columns, naming them as a Python list', async () => {
    const { code, out } = await parseFiles({
      'models/my_model.sql': MODEL,
      'models/schema.yml': properties('    columns:\n      - {name: id, constraints: [{type: primary_key}]}\n      - {name: color, constraints: [{type: primary_key}]}\n'),
    });
    expect(code).toBe(2);
    expect(out).toContain("Primary key constraint error: (models/my_model.sql)");
    expect(out).toContain("Found 2 columns (['id', 'color']) with primary key constraints defined. Primary keys for multiple columns must be defined as a model level constraint.");
  });

  it('refuses a primary key at both the model and a column level', async () => {
    const { code, out } = await parseFiles({
      'models/my_model.sql': MODEL,
      'models/schema.yml': properties('    constraints: [{type: primary_key, columns: [id]}]\n    columns:\n      - {name: id, constraints: [{type: primary_key}]}\n'),
    });
    expect(code).toBe(2);
    expect(out).toContain('Primary key constraints defined at the model level and the columns level');
    expect(out).not.toContain('Found 1 columns');
  });

  it('refuses an enforced contract whose property entry declares no columns', async () => {
    const { code, out } = await parseFiles({
      'models/my_model.sql': MODEL,
      'models/schema.yml': properties('    config: {contract: {enforced: true}}\n'),
    });
    expect(code).toBe(2);
    expect(out).toContain('Contract enforcement failed for: (models/my_model.sql)');
    expect(out).toContain('Constraints must be defined in a `yml` schema configuration file like `schema.yml`.');
  });

  it("refuses an enforced contract on a Python model (which tsdbt skips), as dbt's parse does", async () => {
    const python = 'def model(dbt, _):\n    return dbt.ref("other")\n';
    const refused = await parseFiles({
      'models/my_model.py': python,
      'models/schema.yml': properties('    config: {contract: {enforced: true}}\n    columns: [{name: id, data_type: int}]\n'),
    });
    expect(refused.code).toBe(2);
    expect(refused.out).toContain('Parsing Error');
    expect(refused.out).toMatch(/Contract enforcement failed for: \(models\/my_model\.py\)\n\s*Language Error: Expected 'sql' but found 'python'/);
    // Without the contract the model is only skipped.
    const skipped = await parseFiles({ 'models/my_model.py': python, 'models/schema.yml': properties('    columns: [{name: id}]\n') });
    expect(skipped.code, skipped.out).toBe(0);
  });

  it('refuses a contracted incremental model that would ignore schema changes', async () => {
    const files = {
      'models/my_model.sql': "{{ config(materialized='incremental') }}\n" + MODEL,
      'models/schema.yml': properties('    config: {contract: {enforced: true}}\n    columns: [{name: id, data_type: int}, {name: color, data_type: text}]\n'),
    };
    const refused = await parseFiles(files);
    expect(refused.code).toBe(2);
    expect(refused.out).toContain("Invalid value for on_schema_change: ignore. Models materialized as incremental with contracts enabled must set on_schema_change to 'append_new_columns' or 'fail'");
    const accepted = await parseFiles({ ...files, 'models/my_model.sql': "{{ config(materialized='incremental', on_schema_change='fail') }}\n" + MODEL });
    expect(accepted.code, accepted.out).toBe(0);
  });

  it('warns of constraints a view cannot enforce, unless warn_unsupported is false', async () => {
    const yml = (extra: string) =>
      properties(`    config: {contract: {enforced: true}, materialized: view}\n    columns:\n      - {name: id, data_type: int, constraints: [{type: not_null${extra}}]}\n      - {name: color, data_type: text}\n`);
    const warned = await parseFiles({ 'models/my_model.sql': MODEL, 'models/schema.yml': yml('') });
    expect(warned.code, warned.out).toBe(0);
    expect(warned.out).toContain("Constraint types are not supported for view materializations and will be ignored.  Set 'warn_unsupported: false' on this constraint to ignore this warning.");
    const quiet = await parseFiles({ 'models/my_model.sql': MODEL, 'models/schema.yml': yml(', warn_unsupported: false') });
    expect(quiet.code, quiet.out).toBe(0);
    expect(quiet.out).not.toContain('Constraint types are not supported');
  });
});

describe('contracts at run', () => {
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject('pglite', {
      'models/labelled.sql': "{{ config(materialized='table') }}\nselect 1 as id, 'blue'::text as color\n",
      'models/no_columns.sql': "{{ config(materialized='table', contract={'enforced': true}) }}\n" + MODEL,
      'models/untyped.sql': "{{ config(materialized='table') }}\n" + MODEL,
      'models/schema.yml': `models:
  - name: labelled
    config: {contract: {enforced: true}}
    columns: [{name: id, data_type: integer}, {name: color, data_type: string}]
  - name: untyped
    config: {contract: {enforced: true}}
    columns: [{name: id, data_type: integer}, {name: color}]
`,
    });
  });
  afterAll(() => p.cleanup());

  it("translates the type labels (string is text) and fails contracts without columns or types in dbt's words", async () => {
    const out = await p.run('run');
    expect(out.code).toBe(1);
    const byModel = Object.fromEntries(out.results.map((r) => [r.unique_id.split('.').pop() ?? '', r] as const));
    expect(byModel.labelled?.status, out.output).toBe('success');
    const columns = await p.sql(`select column_name, data_type from information_schema.columns where table_schema = '${p.schema}' and table_name = 'labelled' order by ordinal_position`);
    expect(columns).toEqual([
      { column_name: 'id', data_type: 'integer' },
      { column_name: 'color', data_type: 'text' },
    ]);
    expect(byModel.no_columns?.message).toContain("This model has an enforced contract, and its 'columns' specification is missing");
    expect(byModel.untyped?.message).toContain("Please ensure that the column name and data_type are defined within the YAML configuration for the ['color'] column(s).");
  });
});

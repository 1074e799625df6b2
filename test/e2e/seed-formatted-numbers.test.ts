// A seed's numbers written with group commas, currency or percent signs load as dbt loads them:
// dbt's type tester casts with agate's Number (locale en_US), which strips `%` and currency signs
// around the value and drops the group symbol `,`, so `"38,148"` is the number 38148, the column an
// integer, and the value inserted is the Decimal agate parsed. A column named in `column_types` is
// read as text (load_agate_table's text_columns), so its values load as written.
// kzzzr/mybi-dbt-core's integration tests seed `general_accounts.csv` with `"38,148"` among plain
// account ids, and join the column to integer ids of other seeds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAREHOUSES, warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

describe.each(WAREHOUSES)('seed numbers written with commas, currency and percent signs on %s', (kind) => {
  let p: WarehouseProject;
  let out: RunOutcome;

  beforeAll(async () => {
    p = warehouseProject(kind, {
      'dbt_project.yml': 'name: demo\nprofile: demo\nseeds:\n  demo:\n    accounts:\n      +column_types:\n        kept: text\n',
    });
    p.write('seeds/accounts.csv', 'id,account_id,price,share,label,kept\n1,18378,"$1,200.50",45%,"1,000","2,5"\n2,"38,148",-$3,7%,n/a,"1,000"\n');
    out = await p.run('seed');
  }, 300_000);
  afterAll(() => p?.cleanup());

  it('types such a column as a number and loads the number agate reads', async () => {
    expect(out.code, out.output).toBe(0);
    const columns = await p.sql(`select column_name, data_type from information_schema.columns where table_schema = '${p.schema}' and table_name = 'accounts' order by ordinal_position`);
    expect(columns.map((c) => [c.column_name, c.data_type])).toEqual([
      ['id', 'integer'],
      ['account_id', 'integer'],
      ['price', 'double precision'],
      ['share', 'integer'],
      ['label', 'text'],
      ['kept', 'text'],
    ]);
    expect(await p.sql(`select account_id, price, share, label, kept from "${p.schema}".accounts order by id`)).toEqual([
      { account_id: 18378, price: 1200.5, share: 45, label: '1,000', kept: '2,5' },
      { account_id: 38148, price: -3, share: 7, label: 'n/a', kept: '1,000' },
    ]);
  });
});

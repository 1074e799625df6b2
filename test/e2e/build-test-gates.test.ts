// `tsdbt build` skips what is built on a failing test's models, as dbt's build does (dbt docs,
// build: "Tests on upstream resources will block downstream resources from running"): also
// through an ephemeral model; and a test of several models (relationships) skips only what reads
// all of them. On PGlite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const FILES = {
  'models/stg.sql': 'select 1 as id union all select null\n',
  'models/eph.sql': "{{ config(materialized='ephemeral') }}\nselect id from {{ ref('stg') }}\n",
  'models/mart.sql': "{{ config(materialized='table') }}\nselect id from {{ ref('eph') }}\n",
  'models/customers.sql': 'select 1 as customer_id\n',
  'models/orders.sql': 'select 10 as order_id, 2 as customer_id\n',
  'models/customer_stats.sql': "select count(*) as customers from {{ ref('customers') }}\n",
  'models/order_totals.sql': "select count(*) as orders from {{ ref('orders') }}\n",
  'models/customer_orders.sql': "select c.customer_id, o.order_id from {{ ref('customers') }} c left join {{ ref('orders') }} o using (customer_id)\n",
  'models/schema.yml': `version: 2
models:
  - name: stg
    columns:
      - name: id
        data_tests: [not_null]
  - name: orders
    columns:
      - name: customer_id
        data_tests:
          - relationships:
              arguments: {to: ref('customers'), field: customer_id}
`,
};

describe('build test gates on PGlite', () => {
  let p: WarehouseProject;
  let out: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject('pglite', FILES);
    out = await p.run('build');
  }, 300_000);
  afterAll(() => p.cleanup());

  /** The status of the result whose unique_id starts with `id` (generic tests end in a hash). */
  const status = (id: string) => out.results.find((r) => r.unique_id === id || r.unique_id.startsWith(`${id}.`))?.status;

  it('skips a table built on a failing test’s model through an ephemeral model', () => {
    expect(out.code).toBe(1);
    expect(status('test.demo.not_null_stg_id')).toBe('fail');
    expect(status('model.demo.mart')).toBe('skipped');
  });

  it('a failing relationships test skips what reads both models, not what reads one of them', () => {
    expect(status('test.demo.relationships_orders_customer_id__customer_id__ref_customers_')).toBe('fail');
    expect(status('model.demo.customer_orders')).toBe('skipped');
    expect(status('model.demo.customer_stats')).toBe('success');
    expect(status('model.demo.order_totals')).toBe('success');
  });
});

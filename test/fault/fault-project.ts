// The fixture project of the kill -9 suite, in two versions. v1 is built first; v2 changes data
// (seeds), SQL (a view, two tables) and the shape of one seed (a new column), so every relation has a
// known "old" (v1) and "new" (v2) content. The oracle is written out by hand below from the CSV
// rows (ORACLE), not read from a tsdbt run.
//
// Relations (schema = the target's):
//   customers        seed, same columns in v1 and v2 (truncate + refill inside the transaction)
//   orders           seed, v2 adds a column (staging table swapped in, dependent views re-created)
//   stg_orders       view on orders
//   customer_totals  table on customers + stg_orders
//   orders_merge     incremental, merge on id, new rows filtered by updated_at
//   orders_di        incremental, delete+insert on id, same filter
//   orders_append    incremental, append, new rows filtered by id (exactly-once shows as no duplicate id)
//   customers_snap   snapshot of customers, timestamp strategy
//   customer_report  table on customer_totals, customers_snap, orders_merge, orders_di
//   report_view      view on customer_report
// plus data tests (unique / not_null / a singular "one current version per key" test).
import { MINIMAL_PROJECT_YML } from '../support/testdir.js';

export type Row = Record<string, string | number | boolean | null>;

const PROJECT_YML = MINIMAL_PROJECT_YML.replace('name: demo', 'name: fault').replace('profile: demo', 'profile: fault');

const CUSTOMERS_V1 = ['id,name,tier,updated_at', '1,Ada,gold,2024-01-01 00:00:00', '2,Bob,silver,2024-01-01 00:00:00', '3,Cy,bronze,2024-01-01 00:00:00', ''].join('\n');
const CUSTOMERS_V2 = ['id,name,tier,updated_at', '1,Ada,gold,2024-01-01 00:00:00', '2,Bob,gold,2024-02-01 00:00:00', '3,Cy,bronze,2024-01-01 00:00:00', '4,Dee,silver,2024-02-01 00:00:00', ''].join('\n');
const ORDERS_V1 = ['id,customer_id,amount,updated_at', '1,1,10,2024-01-01 00:00:00', '2,2,20,2024-01-01 00:00:00', '3,1,30,2024-01-01 00:00:00', '4,3,40,2024-01-01 00:00:00', ''].join('\n');
const ORDERS_V2 = [
  'id,customer_id,amount,channel,updated_at',
  '1,1,10,web,2024-01-01 00:00:00',
  '2,2,25,shop,2024-02-01 00:00:00',
  '3,1,30,web,2024-01-01 00:00:00',
  '4,3,40,web,2024-01-01 00:00:00',
  '5,4,50,shop,2024-02-01 00:00:00',
  '6,2,60,web,2024-02-02 00:00:00',
  '',
].join('\n');

/** The SELECT of each view, per version, over plain relation names (the check runs them itself). */
export const VIEW_SQL = {
  stg_orders: {
    v1: (orders: string) => `select id, customer_id, amount, updated_at from ${orders}`,
    v2: (orders: string) => `select id, customer_id, amount, channel, updated_at from ${orders} where amount > 0`,
  },
  report_view: {
    v1: (report: string) => `select id, name, total from ${report}`,
    v2: (report: string) => `select id, name, total, snap_tier from ${report} where total > 0`,
  },
} as const;

const incremental = (config: string, filter: string) =>
  [
    `{{ config(materialized='incremental', ${config}) }}`,
    "select id, customer_id, amount, updated_at from {{ ref('stg_orders') }}",
    '{% if is_incremental() %}',
    `where ${filter}`,
    '{% endif %}',
    '',
  ].join('\n');

const COMMON: Record<string, string> = {
  'dbt_project.yml': PROJECT_YML,
  'models/orders_merge.sql': incremental("incremental_strategy='merge', unique_key='id'", "updated_at > (select max(updated_at) from {{ this }})"),
  'models/orders_di.sql': incremental("incremental_strategy='delete+insert', unique_key='id'", "updated_at > (select max(updated_at) from {{ this }})"),
  'models/orders_append.sql': incremental("incremental_strategy='append'", 'id > (select max(id) from {{ this }})'),
  'snapshots/customers_snap.sql': [
    '{% snapshot customers_snap %}',
    "{{ config(target_schema=target.schema, unique_key='id', strategy='timestamp', updated_at='updated_at') }}",
    "select id, name, tier, updated_at from {{ ref('customers') }}",
    '{% endsnapshot %}',
    '',
  ].join('\n'),
  'models/customer_report.sql': [
    "{{ config(materialized='table') }}",
    'select t.id, t.name, t.n_orders, t.total, s.tier as snap_tier,',
    "  (select count(*) from {{ ref('orders_merge') }} m where m.customer_id = t.id)::int as merged_orders,",
    "  (select coalesce(sum(d.amount), 0) from {{ ref('orders_di') }} d where d.customer_id = t.id)::int as di_total",
    "from {{ ref('customer_totals') }} t",
    "left join {{ ref('customers_snap') }} s on s.id = t.id and s.dbt_valid_to is null",
    '',
  ].join('\n'),
  'models/schema.yml': [
    'version: 2',
    'models:',
    '  - name: orders_merge',
    '    columns:',
    '      - name: id',
    '        data_tests: [unique, not_null]',
    '  - name: orders_di',
    '    columns:',
    '      - name: id',
    '        data_tests: [unique, not_null]',
    '  - name: orders_append',
    '    columns:',
    '      - name: id',
    '        data_tests: [unique]',
    '  - name: customer_report',
    '    columns:',
    '      - name: id',
    '        data_tests: [unique, not_null]',
    '',
  ].join('\n'),
  'tests/one_current_version.sql': "select id from {{ ref('customers_snap') }} where dbt_valid_to is null group by id having count(*) > 1\n",
};

/** The project files of each version. */
export const VERSIONS: Record<'v1' | 'v2', Record<string, string>> = {
  v1: {
    ...COMMON,
    'seeds/customers.csv': CUSTOMERS_V1,
    'seeds/orders.csv': ORDERS_V1,
    'models/stg_orders.sql': `${VIEW_SQL.stg_orders.v1("{{ ref('orders') }}")}\n`,
    'models/customer_totals.sql': [
      "{{ config(materialized='table') }}",
      'select c.id, c.name, count(o.id)::int as n_orders, coalesce(sum(o.amount), 0)::int as total',
      "from {{ ref('customers') }} c left join {{ ref('stg_orders') }} o on o.customer_id = c.id",
      'group by c.id, c.name',
      '',
    ].join('\n'),
    'models/report_view.sql': `${VIEW_SQL.report_view.v1("{{ ref('customer_report') }}")}\n`,
  },
  v2: {
    ...COMMON,
    'seeds/customers.csv': CUSTOMERS_V2,
    'seeds/orders.csv': ORDERS_V2,
    'models/stg_orders.sql': `${VIEW_SQL.stg_orders.v2("{{ ref('orders') }}")}\n`,
    'models/customer_totals.sql': [
      "{{ config(materialized='table') }}",
      "select c.id, c.name, count(o.id)::int as n_orders, coalesce(sum(o.amount), 0)::int as total, count(*) filter (where o.channel = 'web')::int as web_orders",
      "from {{ ref('customers') }} c left join {{ ref('stg_orders') }} o on o.customer_id = c.id",
      'group by c.id, c.name',
      '',
    ].join('\n'),
    'models/report_view.sql': `${VIEW_SQL.report_view.v2("{{ ref('customer_report') }}")}\n`,
  },
};

/** Every relation the project builds, with its kind. */
export const RELATIONS = {
  customers: 'table',
  orders: 'table',
  stg_orders: 'view',
  customer_totals: 'table',
  orders_merge: 'table',
  orders_di: 'table',
  orders_append: 'table',
  customers_snap: 'table',
  customer_report: 'table',
  report_view: 'view',
} as const;
export type RelationName = keyof typeof RELATIONS;
export type TableName = { [K in RelationName]: (typeof RELATIONS)[K] extends 'table' ? K : never }[RelationName];

/**
 * Every table is read as `row_to_json` objects (timestamps as `2024-01-01T00:00:00`) and compared as
 * a sorted list. The snapshot's columns are all deterministic under the timestamp strategy
 * (valid_from / valid_to come from updated_at) except `dbt_scd_id`, a hash checked separately.
 */
export const IGNORED_COLUMNS: Partial<Record<TableName, string[]>> = { customers_snap: ['dbt_scd_id'] };

const order = (id: number, customer_id: number, amount: number, updated: string): Row => ({ id, customer_id, amount, updated_at: day(updated) });
const day = (d: string) => `${d}T00:00:00`;

/** The expected rows of every table after v1 and after v2 (the v1 build followed by the v2 build). */
export const ORACLE: Record<'v1' | 'v2', Record<TableName, Row[]>> = {
  v1: {
    customers: [
      { id: 1, name: 'Ada', tier: 'gold', updated_at: day('2024-01-01') },
      { id: 2, name: 'Bob', tier: 'silver', updated_at: day('2024-01-01') },
      { id: 3, name: 'Cy', tier: 'bronze', updated_at: day('2024-01-01') },
    ],
    orders: [
      { id: 1, customer_id: 1, amount: 10, updated_at: day('2024-01-01') },
      { id: 2, customer_id: 2, amount: 20, updated_at: day('2024-01-01') },
      { id: 3, customer_id: 1, amount: 30, updated_at: day('2024-01-01') },
      { id: 4, customer_id: 3, amount: 40, updated_at: day('2024-01-01') },
    ],
    customer_totals: [
      { id: 1, name: 'Ada', n_orders: 2, total: 40 },
      { id: 2, name: 'Bob', n_orders: 1, total: 20 },
      { id: 3, name: 'Cy', n_orders: 1, total: 40 },
    ],
    orders_merge: [order(1, 1, 10, '2024-01-01'), order(2, 2, 20, '2024-01-01'), order(3, 1, 30, '2024-01-01'), order(4, 3, 40, '2024-01-01')],
    orders_di: [order(1, 1, 10, '2024-01-01'), order(2, 2, 20, '2024-01-01'), order(3, 1, 30, '2024-01-01'), order(4, 3, 40, '2024-01-01')],
    orders_append: [order(1, 1, 10, '2024-01-01'), order(2, 2, 20, '2024-01-01'), order(3, 1, 30, '2024-01-01'), order(4, 3, 40, '2024-01-01')],
    customers_snap: [
      { id: 1, name: 'Ada', tier: 'gold', updated_at: day('2024-01-01'), dbt_updated_at: day('2024-01-01'), dbt_valid_from: day('2024-01-01'), dbt_valid_to: null },
      { id: 2, name: 'Bob', tier: 'silver', updated_at: day('2024-01-01'), dbt_updated_at: day('2024-01-01'), dbt_valid_from: day('2024-01-01'), dbt_valid_to: null },
      { id: 3, name: 'Cy', tier: 'bronze', updated_at: day('2024-01-01'), dbt_updated_at: day('2024-01-01'), dbt_valid_from: day('2024-01-01'), dbt_valid_to: null },
    ],
    customer_report: [
      { id: 1, name: 'Ada', n_orders: 2, total: 40, snap_tier: 'gold', merged_orders: 2, di_total: 40 },
      { id: 2, name: 'Bob', n_orders: 1, total: 20, snap_tier: 'silver', merged_orders: 1, di_total: 20 },
      { id: 3, name: 'Cy', n_orders: 1, total: 40, snap_tier: 'bronze', merged_orders: 1, di_total: 40 },
    ],
  },
  v2: {
    customers: [
      { id: 1, name: 'Ada', tier: 'gold', updated_at: day('2024-01-01') },
      { id: 2, name: 'Bob', tier: 'gold', updated_at: day('2024-02-01') },
      { id: 3, name: 'Cy', tier: 'bronze', updated_at: day('2024-01-01') },
      { id: 4, name: 'Dee', tier: 'silver', updated_at: day('2024-02-01') },
    ],
    orders: [
      { id: 1, customer_id: 1, amount: 10, channel: 'web', updated_at: day('2024-01-01') },
      { id: 2, customer_id: 2, amount: 25, channel: 'shop', updated_at: day('2024-02-01') },
      { id: 3, customer_id: 1, amount: 30, channel: 'web', updated_at: day('2024-01-01') },
      { id: 4, customer_id: 3, amount: 40, channel: 'web', updated_at: day('2024-01-01') },
      { id: 5, customer_id: 4, amount: 50, channel: 'shop', updated_at: day('2024-02-01') },
      { id: 6, customer_id: 2, amount: 60, channel: 'web', updated_at: day('2024-02-02') },
    ],
    customer_totals: [
      { id: 1, name: 'Ada', n_orders: 2, total: 40, web_orders: 2 },
      { id: 2, name: 'Bob', n_orders: 2, total: 85, web_orders: 1 },
      { id: 3, name: 'Cy', n_orders: 1, total: 40, web_orders: 1 },
      { id: 4, name: 'Dee', n_orders: 1, total: 50, web_orders: 0 },
    ],
    // updated_at > max(v1) = 2024-01-01: orders 2 (changed), 5 and 6 are applied.
    orders_merge: [order(1, 1, 10, '2024-01-01'), order(2, 2, 25, '2024-02-01'), order(3, 1, 30, '2024-01-01'), order(4, 3, 40, '2024-01-01'), order(5, 4, 50, '2024-02-01'), order(6, 2, 60, '2024-02-02')],
    orders_di: [order(1, 1, 10, '2024-01-01'), order(2, 2, 25, '2024-02-01'), order(3, 1, 30, '2024-01-01'), order(4, 3, 40, '2024-01-01'), order(5, 4, 50, '2024-02-01'), order(6, 2, 60, '2024-02-02')],
    // id > max(v1) = 4: orders 5 and 6 are appended, once; order 2's change is not seen (append).
    orders_append: [order(1, 1, 10, '2024-01-01'), order(2, 2, 20, '2024-01-01'), order(3, 1, 30, '2024-01-01'), order(4, 3, 40, '2024-01-01'), order(5, 4, 50, '2024-02-01'), order(6, 2, 60, '2024-02-02')],
    customers_snap: [
      { id: 1, name: 'Ada', tier: 'gold', updated_at: day('2024-01-01'), dbt_updated_at: day('2024-01-01'), dbt_valid_from: day('2024-01-01'), dbt_valid_to: null },
      { id: 2, name: 'Bob', tier: 'silver', updated_at: day('2024-01-01'), dbt_updated_at: day('2024-01-01'), dbt_valid_from: day('2024-01-01'), dbt_valid_to: day('2024-02-01') },
      { id: 2, name: 'Bob', tier: 'gold', updated_at: day('2024-02-01'), dbt_updated_at: day('2024-02-01'), dbt_valid_from: day('2024-02-01'), dbt_valid_to: null },
      { id: 3, name: 'Cy', tier: 'bronze', updated_at: day('2024-01-01'), dbt_updated_at: day('2024-01-01'), dbt_valid_from: day('2024-01-01'), dbt_valid_to: null },
      { id: 4, name: 'Dee', tier: 'silver', updated_at: day('2024-02-01'), dbt_updated_at: day('2024-02-01'), dbt_valid_from: day('2024-02-01'), dbt_valid_to: null },
    ],
    customer_report: [
      { id: 1, name: 'Ada', n_orders: 2, total: 40, snap_tier: 'gold', merged_orders: 2, di_total: 40 },
      { id: 2, name: 'Bob', n_orders: 2, total: 85, snap_tier: 'gold', merged_orders: 2, di_total: 85 },
      { id: 3, name: 'Cy', n_orders: 1, total: 40, snap_tier: 'bronze', merged_orders: 1, di_total: 40 },
      { id: 4, name: 'Dee', n_orders: 1, total: 50, snap_tier: 'silver', merged_orders: 1, di_total: 50 },
    ],
  },
};

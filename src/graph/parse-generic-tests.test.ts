import { describe, expect, it } from 'vitest';
import { genericTestHash, genericTestName } from './parse-generic-tests.js';
import { PyDate, PyDatetime } from '../jinja/pylib/datetime/index.js';

describe('genericTestName (dbt synthesize_generic_test_names)', () => {
  it('names column tests test_model_column', () => {
    expect(genericTestName('not_null', null, 'stg_events', { column_name: 'event_id' }).name).toBe('not_null_stg_events_event_id');
    expect(genericTestName('unique', null, 'int_sessions', { column_name: 'session_id' }).name).toBe('unique_int_sessions_session_id');
  });

  it('appends sorted argument values joined by double underscores', () => {
    const { name } = genericTestName('accepted_values', null, 'stg_events', { column_name: 'event_type', values: ['page_view', 'purchase'] });
    expect(name).toBe('accepted_values_stg_events_event_type__page_view__purchase');
  });

  it('sanitises ref() arguments and prefixes namespaced tests', () => {
    const { name } = genericTestName('relationships', null, 'orders', { column_name: 'user_id', to: "ref('users')", field: 'id' });
    expect(name).toBe('relationships_orders_user_id__id__ref_users_');
    expect(genericTestName('expression_is_true', 'dbt_utils', 'orders', { expression: 'a > 0' }).name).toBe('dbt_utils_expression_is_true_orders_a_0');
  });

  it('hashes names of 64 characters or more', () => {
    const { name, fullName } = genericTestName('accepted_values', null, 'a_model_with_a_rather_long_name', {
      column_name: 'status_column',
      values: ['first_value', 'second_value', 'third_value'],
    });
    expect(fullName.length).toBeGreaterThanOrEqual(64);
    // dbt keeps the first 30 characters of `<test>_<target>`, then the md5 of the full name.
    expect(name).toBe('accepted_values_a_model_with_a_b5646c74458d7928fd80c841e2df0c02');
  });

  it('keeps the target in a hashed name, as dbt 1.8 names the tests of gouline/dbt-metabase\'s sandbox', () => {
    // From the manifest dbt 1.8.6 wrote for that project (its tests/fixtures/manifest-v12.json).
    const values = ['placed', 'shipped', 'completed', 'return_pending', 'returned'];
    expect(genericTestName('accepted_values', null, 'orders', { values, column_name: 'status' })).toEqual({
      name: 'accepted_values_orders_1ce6ab157c285f7cd2ac656013faf758',
      fullName: 'accepted_values_orders_status__placed__shipped__completed__return_pending__returned',
    });
    expect(genericTestName('accepted_values', null, 'stg_payments', { values: ['credit_card', 'coupon', 'bank_transfer', 'gift_card'], column_name: 'payment_method' }).name).toBe(
      'accepted_values_stg_payments_c7909fb19b1f0177c2bf99c7912f06ef',
    );
  });
});

describe('genericTestHash (the suffix of dbt\'s generic test unique_ids)', () => {
  // Expected values computed with dbt's recipe (schema_generic_tests.py create_test_node) in Python.
  const model = (expr: string) => `{{ get_where_subquery(${expr}) }}`;
  it('hashes the name with the repr of the sorted test metadata', () => {
    expect(genericTestHash('not_null_orders_id', { namespace: null, name: 'not_null', kwargs: { column_name: 'id', model: model("ref('orders')") } })).toBe('84ef11d8fe');
    expect(genericTestHash('source_unique_raw_events_id', { namespace: null, name: 'unique', kwargs: { column_name: 'id', model: model("source('raw', 'events')") } })).toBe('207e922098');
  });

  it('turns scalars into str() and keeps lists, nested mappings and Python quoting', () => {
    const values = { namespace: null, name: 'accepted_values', kwargs: { column_name: 'status', values: ['a', 'b'], quote: false, model: model("ref('orders')") } };
    expect(genericTestHash('accepted_values_orders_status__a__b', values)).toBe('62208087ff');
    const nested = { namespace: 'dbt_utils', name: 'expression_is_true', kwargs: { expression: 'a = \'x\' and b = "y"\n', nested: { z: 1, a: [1.5, null] }, model: model("ref('orders')") } };
    expect(genericTestHash('dbt_utils_expression_is_true_orders_a_x_and_b_y_', nested)).toBe('22297d0969');
  });

  it("takes a datetime.date argument (PyYAML's unquoted `2024-01-01 00:00:00`) by its str(), not as a mapping", () => {
    const day = PyDatetime.create(2024, 1, 1, 0, 0, 0, 0, null);
    const kwargs = { day, column_name: 'y', model: model("ref('a')") };
    expect(genericTestName('after', null, 'a', { day, column_name: 'y' }).fullName).toBe('after_a_y__2024_01_01_00_00_00');
    expect(genericTestHash('after_a_y__2024_01_01_00_00_00', { namespace: null, name: 'after', kwargs })).toBe('b14317591f');
    expect(genericTestName('accepted_values', null, 'a', { values: [new PyDate(2024, 1, 31)], column_name: 'd' }).fullName).toBe('accepted_values_a_d__2024_01_31');
  });

  it('tells apart arguments that differ only in punctuation', () => {
    const a = { namespace: null, name: 'expression_is_true', kwargs: { expression: 'a >= b', model: model("ref('orders')") } };
    const b = { namespace: null, name: 'expression_is_true', kwargs: { expression: 'a <= b', model: model("ref('orders')") } };
    expect(genericTestName('expression_is_true', null, 'orders', a.kwargs).fullName).toBe(genericTestName('expression_is_true', null, 'orders', b.kwargs).fullName);
    expect(genericTestHash('expression_is_true_orders_a_b', a)).not.toBe(genericTestHash('expression_is_true_orders_a_b', b));
  });
});

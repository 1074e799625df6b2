import { describe, expect, it } from 'vitest';
import { genericTestHash, genericTestName } from './parse-generic-tests.js';

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
    expect(name).toMatch(/^accepted_values_[0-9a-f]{32}$/);
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

  it('tells apart arguments that differ only in punctuation', () => {
    const a = { namespace: null, name: 'expression_is_true', kwargs: { expression: 'a >= b', model: model("ref('orders')") } };
    const b = { namespace: null, name: 'expression_is_true', kwargs: { expression: 'a <= b', model: model("ref('orders')") } };
    expect(genericTestName('expression_is_true', null, 'orders', a.kwargs).fullName).toBe(genericTestName('expression_is_true', null, 'orders', b.kwargs).fullName);
    expect(genericTestHash('expression_is_true_orders_a_b', a)).not.toBe(genericTestHash('expression_is_true_orders_a_b', b));
  });
});

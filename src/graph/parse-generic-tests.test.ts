import { describe, expect, it } from 'vitest';
import { genericTestName, isRenderedArgument } from './parse-generic-tests.js';

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

describe('isRenderedArgument', () => {
  it('renders only single ref/source/var/env_var/doc calls', () => {
    expect(isRenderedArgument("ref('x')")).toBe(true);
    expect(isRenderedArgument("{{ source('raw', 'events') }}")).toBe(true);
    expect(isRenderedArgument("var('limit')")).toBe(true);
    expect(isRenderedArgument('col_a + col_b = 1')).toBe(false);
    expect(isRenderedArgument(['a'])).toBe(false);
  });
});

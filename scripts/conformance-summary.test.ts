import { describe, expect, it } from 'vitest';
import { firstError, formatSummary, outcomeOf, resourceTypeOf, summarise, type ManifestLike, type RunResultsLike } from './conformance-summary.js';

const manifest: ManifestLike = {
  nodes: {
    'seed.shop.raw_orders': { resource_type: 'seed' },
    'model.shop.orders': { resource_type: 'model' },
    'model.shop.customers': { resource_type: 'model' },
    'test.shop.not_null_orders_id.abc': { resource_type: 'test' },
    'test.shop.unique_orders_id.def': { resource_type: 'test' },
    'test.shop.accepted_values_orders_status.123': { resource_type: 'test' },
  },
  unit_tests: { 'unit_test.shop.orders.test_totals': { resource_type: 'unit_test' } },
};

const runResults: RunResultsLike = {
  results: [
    { unique_id: 'seed.shop.raw_orders', status: 'success', message: 'INSERT 99' },
    { unique_id: 'model.shop.orders', status: 'success', message: 'SELECT 99' },
    {
      unique_id: 'model.shop.customers',
      status: 'error',
      message: 'Database Error in model customers (models/customers.sql)\n  relation "customerz" does not exist\n  LINE 3: from customerz\n  compiled code at target/run/shop/models/customers.sql',
    },
    { unique_id: 'test.shop.not_null_orders_id.abc', status: 'pass', message: null },
    { unique_id: 'test.shop.unique_orders_id.def', status: 'fail', message: 'Got 3 results, configured to fail if != 0' },
    { unique_id: 'test.shop.accepted_values_orders_status.123', status: 'warn', message: 'Got 1 result, configured to warn if != 0' },
    { unique_id: 'unit_test.shop.orders.test_totals', status: 'skipped', message: null },
    // Not in the manifest: the type comes from the unique_id.
    { unique_id: 'snapshot.shop.orders_snapshot', status: 'no-op', message: null },
  ],
};

describe('conformance summary', () => {
  it('counts outcomes per resource type and in total', () => {
    const s = summarise(runResults, manifest);
    expect(s.byType).toEqual({
      seed: { passed: 1, warned: 0, failed: 0, errored: 0, skipped: 0, total: 1 },
      model: { passed: 1, warned: 0, failed: 0, errored: 1, skipped: 0, total: 2 },
      test: { passed: 1, warned: 1, failed: 1, errored: 0, skipped: 0, total: 3 },
      unit_test: { passed: 0, warned: 0, failed: 0, errored: 0, skipped: 1, total: 1 },
      snapshot: { passed: 1, warned: 0, failed: 0, errored: 0, skipped: 0, total: 1 },
    });
    expect(s.totals).toEqual({ passed: 4, warned: 1, failed: 1, errored: 1, skipped: 1, total: 8 });
    expect(s.ok).toBe(false);
  });

  it('lists each failing or erroring node with the first lines of its message', () => {
    const s = summarise(runResults, manifest);
    expect(s.problems).toEqual([
      { unique_id: 'model.shop.customers', resource_type: 'model', status: 'error', message: 'Database Error in model customers (models/customers.sql) | relation "customerz" does not exist' },
      { unique_id: 'test.shop.unique_orders_id.def', resource_type: 'test', status: 'fail', message: 'Got 3 results, configured to fail if != 0' },
    ]);
    const text = formatSummary(s);
    expect(text).toContain('  error  model.shop.customers: Database Error in model customers (models/customers.sql) | relation "customerz" does not exist');
    expect(text).toContain('  fail   test.shop.unique_orders_id.def: Got 3 results, configured to fail if != 0');
    // Rows in build order: seed, model, snapshot, test, unit_test, then the total.
    expect(text.split('\n').map((l) => l.split(/\s+/)[0])).toEqual(expect.arrayContaining(['type', 'seed', 'model', 'snapshot', 'test', 'unit_test', 'total']));
    expect(text.split('\n')[1]).toMatch(/^seed\s+1\s+0\s+0\s+0\s+0\s+1$/);
  });

  it('is ok when nothing failed or errored (warnings and skips do not count)', () => {
    const s = summarise({ results: [{ unique_id: 'test.a.b', status: 'warn' }, { unique_id: 'model.a.c', status: 'skipped' }] });
    expect(s.ok).toBe(true);
    expect(s.problems).toEqual([]);
    expect(summarise({}).totals.total).toBe(0);
  });

  it('maps statuses and trims messages', () => {
    expect(['success', 'pass', 'no-op', 'warn', 'fail', 'error', 'skipped', 'partial success', 'runtime error'].map(outcomeOf)).toEqual([
      'passed', 'passed', 'passed', 'warned', 'failed', 'errored', 'skipped', 'errored', 'errored',
    ]);
    expect(resourceTypeOf('unit_test.a.m.t', manifest)).toBe('unit_test');
    expect(firstError(null)).toBe('(no message)');
    expect(firstError('\n\n  one   line  \n')).toBe('one line');
    const long = firstError('x'.repeat(1000));
    expect(long).toHaveLength(300);
    expect(long.endsWith('…')).toBe(true);
  });
});

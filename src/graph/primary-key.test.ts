// dbt's primary-key inference (ModelNode.infer_primary_key), case by case from its order of
// preference: constraints first, then not_null + unique tests, then unique tests enabled, then
// disabled; unique_combination_of_columns counts as unique.
import { describe, expect, it } from 'vitest';
import type { ManifestNode } from '../manifest/types.js';
import { inferPrimaryKey } from './primary-key.js';

const model = (extra: Partial<ManifestNode> = {}): ManifestNode => ({ unique_id: 'model.p.m', resource_type: 'model', columns: {}, config: {}, ...extra }) as unknown as ManifestNode;
const test = (name: string, kwargs: Record<string, unknown>, enabled = true): ManifestNode =>
  ({ unique_id: `test.p.${name}`, resource_type: 'test', test_metadata: { name, namespace: null, kwargs }, attached_node: 'model.p.m', config: { enabled } }) as unknown as ManifestNode;

describe('primary key inference', () => {
  it('takes a primary_key constraint of the model, then of a column', () => {
    expect(inferPrimaryKey(model({ constraints: [{ type: 'primary_key', columns: ['b', 'a'] }] }), [test('unique', { column_name: 'x' })])).toEqual(['a', 'b']);
    expect(inferPrimaryKey(model({ columns: { id: { name: 'id', description: '', meta: {}, tags: [], constraints: [{ type: 'primary_key' }] } } }), [])).toEqual(['id']);
  });

  it('prefers columns with both not_null and unique tests, then enabled unique, then disabled unique', () => {
    expect(inferPrimaryKey(model(), [test('unique', { column_name: 'a' }), test('unique', { column_name: 'b' }), test('not_null', { column_name: 'b' })])).toEqual(['b']);
    expect(inferPrimaryKey(model(), [test('unique_combination_of_columns', { combination_of_columns: ['y', 'x'] }), test('unique', { column_name: 'z' }, false)])).toEqual(['x', 'y']);
    expect(inferPrimaryKey(model(), [test('unique', { column_name: 'z' }, false), test('accepted_values', { column_name: 'q', values: [1] })])).toEqual(['z']);
    expect(inferPrimaryKey(model(), [test('not_null', { column_name: 'n' })])).toEqual([]);
  });
});

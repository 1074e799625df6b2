import { describe, expect, it } from 'vitest';
import { normalizeHooks } from './hooks.js';

// dbt's get_hook_dict and Hook: a string is {sql}, a dict is kept as written; `transaction` defaults
// to true and `index` to None (manifest.json's "index": null; dbt-core's list/test_list.py).
describe('normalizeHooks', () => {
  it("gives each hook dbt's Hook shape, index null unless the hook's dict sets one", () => {
    expect(normalizeHooks(['select 1', { sql: 'select 2', transaction: false }, { sql: 'select 3', index: 7 }])).toEqual([
      { sql: 'select 1', transaction: true, index: null },
      { sql: 'select 2', transaction: false, index: null },
      { sql: 'select 3', transaction: true, index: 7 },
    ]);
    expect(normalizeHooks('select 4')).toEqual([{ sql: 'select 4', transaction: true, index: null }]);
    expect(normalizeHooks(null)).toEqual([]);
  });
});

// dbt's breaking contract changes (ModelNode.same_contract): a column's data type changes only when
// its base type does (dbt-core 1.11 compares types without size, precision and scale, case-insensitively:
// docs "contract", "Size, precision, and scale"); the message's tables are dbt's.
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../manifest/types.js';
import { breakingChanges, contractBreaks } from './contract-changes.js';
import type { StateManifest, StateNode } from './state-artifacts.js';

function model(types: Record<string, string>, checksum: string, extra: Partial<StateNode> = {}): StateNode {
  const columns = Object.fromEntries(Object.entries(types).map(([name, dataType]) => [name, { name, data_type: dataType, constraints: [] }]));
  return { unique_id: 'model.p.m', resource_type: 'model', name: 'm', config: { materialized: 'table' }, contract: { enforced: true, checksum }, columns, ...extra };
}

describe('breakingChanges: column types', () => {
  it('takes a wider varchar or numeric, in any case, as no breaking change', () => {
    expect(breakingChanges(model({ name: 'varchar(20)' }, 'b'), model({ name: 'varchar(5)' }, 'a'))).toEqual([]);
    expect(breakingChanges(model({ name: 'varchar(20)' }, 'b'), model({ name: 'VARCHAR(5)' }, 'a'))).toEqual([]);
    expect(breakingChanges(model({ amount: 'numeric(12,4)' }, 'b'), model({ amount: 'numeric(10,2)' }, 'a'))).toEqual([]);
  });

  it('reports a changed base type with both types as written', () => {
    expect(breakingChanges(model({ id: 'bigint', name: 'text' }, 'b'), model({ id: 'integer', name: 'varchar(5)' }, 'a'))).toEqual([
      'Columns with data_type changes: \n    - id (integer -> bigint)\n    - name (varchar(5) -> text)',
    ]);
  });

  it('lists a removed model-level constraint\'s columns as Python prints a list', () => {
    const constraint = { type: 'primary_key', name: null, columns: ['id', 'name'] };
    const before = model({ id: 'integer' }, 'a', { constraints: [constraint] });
    expect(breakingChanges(model({ id: 'integer' }, 'b'), before)).toEqual([
      "Enforced model level constraints were removed: \n    - 'primary_key' constraint on columns ['id', 'name']",
    ]);
  });
});

describe('contractBreaks: a contracted model gone from the project', () => {
  const state = { nodes: { 'model.p.m': model({ id: 'integer' }, 'a', { original_file_path: 'models/m.sql' }) }, sources: {}, macros: {}, unit_tests: {}, declared: {}, writtenByTsdbt: true } as StateManifest;
  const empty = { nodes: {} } as unknown as Manifest;
  it("says disabled for a model this parse disabled, deleted or renamed otherwise (dbt's same_contract_removed)", () => {
    expect(contractBreaks(empty, state, new Set(['model.p.m'])).map((b) => b.changes)).toEqual([["Contracted model 'model.p.m' was disabled."]]);
    expect(contractBreaks(empty, state).map((b) => b.changes)).toEqual([["Contracted model 'model.p.m' was deleted or renamed."]]);
  });
});

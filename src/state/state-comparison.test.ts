import { describe, expect, it } from 'vitest';
import type { Manifest, SourceTable } from '../manifest/types.js';
import { compareWithState } from './state-comparison.js';
import type { StateManifest, StateNode } from './state-artifacts.js';

// dbt's SourceDefinition.same_contents compares SourceConfig objects: a manifest written before a
// config field existed reads it as the field's default, so it is no change.
describe('state:modified on a source', () => {
  const source = (config: Record<string, unknown>) =>
    ({ unique_id: 'source.p.raw.events', resource_type: 'source', name: 'events', source_name: 'raw', database: 'db', schema: 'raw', identifier: 'events', quoting: {}, freshness: null, loaded_at_field: null, external: null, fqn: ['p', 'raw', 'events'], config }) as unknown as SourceTable;
  const compare = (now: Record<string, unknown>, before: Record<string, unknown>) => {
    const current = { nodes: {}, macros: {}, sources: { 'source.p.raw.events': source(now) }, declared: {} } as unknown as Manifest;
    const state: StateManifest = { nodes: {}, sources: { 'source.p.raw.events': source(before) as unknown as StateNode }, macros: {}, unit_tests: {}, declared: {}, writtenByTsdbt: true };
    return compareWithState(current, state).get('source.p.raw.events');
  };
  const base = { enabled: true, event_time: null, loaded_at_field: null, loaded_at_query: null, meta: {}, tags: [] };

  it("is unmodified against a state written before dbt 1.11's static_analysis (missing reads as null)", () => {
    expect(compare({ ...base, static_analysis: null }, base)).toEqual({ old: true, modified: [] });
  });

  it('is modified when a config value really changed', () => {
    expect(compare({ ...base, static_analysis: 'off' }, base)).toEqual({ old: true, modified: ['other'] });
    expect(compare({ ...base, event_time: 'at' }, { ...base, static_analysis: null })).toEqual({ old: true, modified: ['other'] });
  });
});

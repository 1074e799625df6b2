// Deferral's rule, as dbt's RuntimeRefResolver.create_relation and merge_from_artifact have it: a
// ref defers when the state has a non-ephemeral model, seed or snapshot for the node and either
// --favor-state asks for it on an unselected node or the node's relation is missing here.
import { describe, expect, it } from 'vitest';
import type { Adapter } from '../adapters/adapter.js';
import type { Manifest, ManifestNode } from '../manifest/types.js';
import { Deferral } from './deferral.js';
import type { StateManifest } from './state-artifacts.js';

function node(name: string, materialized = 'view', resourceType: ManifestNode['resource_type'] = 'model'): ManifestNode {
  return { unique_id: `${resourceType}.p.${name}`, resource_type: resourceType, name, database: 'db', schema: 'ci', alias: name, config: { materialized } } as unknown as ManifestNode;
}

const current = [node('exists_here'), node('missing_here'), node('ephemeral_here', 'ephemeral'), node('ephemeral_there'), node('new_here'), node('a_seed', 'seed', 'seed')];
const manifest = { nodes: Object.fromEntries(current.map((n) => [n.unique_id, n])) } as unknown as Manifest;

const state: StateManifest = {
  nodes: Object.fromEntries(
    current
      .filter((n) => n.name !== 'new_here')
      .map((n) => [n.unique_id, { unique_id: n.unique_id, resource_type: n.resource_type, name: n.name, database: 'db', schema: 'prod', alias: n.name, config: { materialized: n.name === 'ephemeral_there' ? 'ephemeral' : n.name === 'a_seed' ? 'seed' : 'table' } }]),
  ),
  sources: {},
  macros: {},
  unit_tests: {},
  declared: {},
  writtenByTsdbt: true,
};

/** An adapter whose target schema `ci` holds `exists_here` only. */
const adapter = {
  withConnection: (fn: (conn: unknown) => Promise<unknown>) => fn({}),
  schemaExists: () => Promise.resolve(true),
  listRelations: () => Promise.resolve([{ identifier: 'EXISTS_HERE' }]),
} as unknown as Adapter;

async function deferral(options: { selected?: string[]; builds?: string[]; favorState?: boolean } = {}): Promise<Deferral> {
  const d = new Deferral({ state, selected: new Set(options.selected ?? []), builds: new Set(options.builds ?? []), favorState: options.favorState ?? false });
  await d.scan(adapter, manifest);
  return d;
}

const target = (d: Deferral, name: string) => {
  const parts = d.relationFor(current.find((n) => n.name === name) as ManifestNode);
  return parts ? `${parts.schema}.${parts.identifier} (${parts.type})` : 'own';
};

describe('--defer', () => {
  it('defers a ref to what this target lacks, to the state relation', async () => {
    const d = await deferral();
    expect(target(d, 'missing_here')).toBe('prod.missing_here (table)');
    expect(target(d, 'a_seed')).toBe('prod.a_seed (table)');
    // Found case-insensitively among this target's relations.
    expect(target(d, 'exists_here')).toBe('own');
  });

  it('never defers ephemeral models (here or in the state), nor nodes the state lacks', async () => {
    const d = await deferral();
    expect(target(d, 'ephemeral_here')).toBe('own');
    expect(target(d, 'ephemeral_there')).toBe('own');
    expect(target(d, 'new_here')).toBe('own');
  });

  it('does not defer a node this command builds first', async () => {
    expect(target(await deferral({ selected: ['model.p.missing_here'], builds: ['model.p.missing_here'] }), 'missing_here')).toBe('own');
    // Selected but not built (dbt test): still missing here, so deferred.
    expect(target(await deferral({ selected: ['model.p.missing_here'] }), 'missing_here')).toBe('prod.missing_here (table)');
  });

  it("defers a user-defined function to the state's (dbt's defer_function), unless this command builds it", async () => {
    const fn = node('double_it', 'function', 'function');
    const withFunction: StateManifest = { ...state, functions: { [fn.unique_id]: { unique_id: fn.unique_id, resource_type: 'function', name: 'double_it', database: 'db', schema: 'prod', alias: 'double_it', config: {} } } };
    const d = new Deferral({ state: withFunction, selected: new Set(), builds: new Set(), favorState: false });
    await d.scan(adapter, manifest);
    expect(d.relationFor(fn)).toMatchObject({ database: 'db', schema: 'prod', identifier: 'double_it' });
    expect(new Deferral({ state: withFunction, selected: new Set([fn.unique_id]), builds: new Set([fn.unique_id]), favorState: false }).relationFor(fn)).toBeNull();
    // A state without the function: its own.
    expect(new Deferral({ state, selected: new Set(), builds: new Set(), favorState: false }).relationFor(fn)).toBeNull();
  });

  it('does not defer a function this target has (dbt-postgres 1.11 lists functions in its relation cache); a table of its name is no function', async () => {
    const fn = node('double_it', 'function', 'function');
    const withFunction: StateManifest = { ...state, functions: { [fn.unique_id]: { unique_id: fn.unique_id, resource_type: 'function', name: 'double_it', database: 'db', schema: 'prod', alias: 'double_it', config: {} } } };
    const withNodes = { nodes: { ...manifest.nodes, [fn.unique_id]: fn } } as unknown as Manifest;
    const scanned = async (functions: string[], relations: string[]) => {
      const d = new Deferral({ state: withFunction, selected: new Set(), builds: new Set(), favorState: false });
      await d.scan({ ...adapter, listRelations: () => Promise.resolve(relations.map((identifier) => ({ identifier }))), listFunctions: () => Promise.resolve(functions) } as unknown as Adapter, withNodes);
      const parts = d.relationFor(fn);
      return parts ? `${parts.schema}.${parts.identifier}` : 'own';
    };
    expect(await scanned(['DOUBLE_IT'], [])).toBe('own');
    expect(await scanned([], ['double_it'])).toBe('prod.double_it');
    expect(await scanned([], [])).toBe('prod.double_it');
  });

  it('--favor-state defers unselected nodes even where this target has them, never selected ones', async () => {
    expect(target(await deferral({ favorState: true }), 'exists_here')).toBe('prod.exists_here (table)');
    expect(target(await deferral({ favorState: true, selected: ['model.p.exists_here'] }), 'exists_here')).toBe('own');
  });
});

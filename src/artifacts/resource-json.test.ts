// nodeJsonObject gathers a node's keys and values and makes one object literal of them
// (literal-object.ts) instead of assigning them one by one: the same keys, in the same order, with
// the same values, so manifest.json keeps its bytes. Checked against the assignments themselves
// on nodes whose own keys meet the ones set after them.
import { dirname, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ManifestNode } from '../manifest/types.js';
import { nodeGroup } from '../graph/model-access.js';
import { dbtConfigJson } from './config-defaults.js';
import { literalObject } from './literal-object.js';
import { columnsJson, constraintJson, contractJson, nodeJsonObject } from './resource-json.js';

/** nodeJsonObject as it was written before, key by key (`json[key] = value`): the reference. */
function keyByKey(node: ManifestNode): Record<string, unknown> {
  const INTERNAL = new Set(['seed_file', 'seed_columns', 'line', '_patch', 'group', 'metric_ids']);
  const PLACED = new Set(['metrics', 'functions', 'compiled_path', 'extra_ctes']);
  const MODEL_ONLY = new Set(['access', 'constraints']);
  const SEED_ABSENT = new Set(['language', 'refs', 'sources', 'contract', 'compiled', 'compiled_code']);
  const ABSENT_WHEN_UNDEFINED = new Set(['language', 'refs', 'sources', 'compiled', 'compiled_code']);
  const model = node.resource_type === 'model';
  const seed = node.resource_type === 'seed';
  const json: Record<string, unknown> = {};
  const fields = node as unknown as Record<string, unknown>;
  for (const key in fields) {
    const value = fields[key];
    if (INTERNAL.has(key) || PLACED.has(key) || (!model && MODEL_ONLY.has(key)) || (seed && SEED_ABSENT.has(key)) || (value === undefined && ABSENT_WHEN_UNDEFINED.has(key))) continue;
    json[key] = value;
    if (key === 'sources') {
      json.metrics = node.metrics ?? [];
      json.functions = node.functions ?? [];
    }
  }
  if (!seed) {
    json.compiled_path = node.resource_type === 'snapshot' ? null : (node.compiled_path ?? null);
    if (node.compiled) {
      json.extra_ctes_injected = true;
      json.extra_ctes = node.extra_ctes ?? [];
    }
  } else if (node.seed_file && node.original_file_path) {
    const rel = node.original_file_path.split('/').join(sep);
    json.root_path = node.seed_file.endsWith(sep + rel) ? node.seed_file.slice(0, node.seed_file.length - rel.length - 1) : dirname(node.seed_file);
  }
  json.config = dbtConfigJson(node.resource_type, node.config);
  json.columns = columnsJson(node.columns, node.compiled_foreign_keys);
  json.doc_blocks = node.doc_blocks ?? [];
  json.build_path = null;
  json.unrendered_config = node.unrendered_config ?? {};
  json.created_at = 0;
  if (!seed) json.contract = contractJson(node);
  if (model) {
    json.access = typeof node.config.access === 'string' ? node.config.access : 'protected';
    json.version = node.version ?? null;
    json.latest_version = node.latest_version ?? null;
    json.deprecation_date = node.deprecation_date ?? null;
    json.time_spine = node.time_spine ?? null;
    json.primary_key = node.primary_key ?? [];
  }
  json.group = nodeGroup(node);
  if (model) json.constraints = (node.constraints ?? []).map((c) => constraintJson(c, true, node.compiled_foreign_keys));
  if (seed) json.depends_on = { macros: node.depends_on.macros };
  else if (node.metric_ids?.length) json.depends_on = { ...node.depends_on, nodes: [...node.depends_on.nodes, ...node.metric_ids] };
  return json;
}

const base = (type: string, extra: Record<string, unknown>): ManifestNode =>
  ({
    unique_id: `${type}.p.n`,
    resource_type: type,
    package_name: 'p',
    name: 'n',
    path: 'n.sql',
    original_file_path: 'models/n.sql',
    fqn: ['p', 'n'],
    raw_code: 'select 1',
    language: 'sql',
    refs: [],
    sources: [],
    depends_on: { nodes: ['model.p.a'], macros: ['macro.dbt.x'] },
    config: { materialized: 'view', tags: [], meta: {} },
    columns: { id: { name: 'id', description: '', meta: {}, tags: [], data_type: 'int', constraints: [{ type: 'not_null' }] } },
    ...extra,
  }) as unknown as ManifestNode;

const nodes: [string, ManifestNode][] = [
  ['a plain model', base('model', {})],
  // Own keys that the writer sets again after the loop: each keeps its place, takes the new value.
  ['a model with its own access, constraints, primary_key, version and extra_ctes_injected', base('model', { access: 'private', constraints: [{ type: 'primary_key', columns: ['id'] }], primary_key: ['x'], version: 2, extra_ctes_injected: false, deprecation_date: null, depends_on: { nodes: [], macros: [] } })],
  ['a compiled model with extra CTEs and a foreign key compiled', base('model', { compiled: true, compiled_code: 'select 2', extra_ctes: [{ id: 'model.p.e', sql: 'x' }], compiled_path: 'target/compiled/p/n.sql', compiled_foreign_keys: { "ref('a')": '"db"."s"."a"' }, constraints: [{ type: 'foreign_key', to: "ref('a')", to_columns: ['id'] }] })],
  ['a model whose config comes first and has no sources key', { config: { materialized: 'table', access: 'public', contract: { enforced: true } }, unique_id: 'model.p.m', resource_type: 'model', name: 'm', depends_on: { nodes: [], macros: [] }, columns: {} } as unknown as ManifestNode],
  ['a model with undefined language and refs', base('model', { language: undefined, refs: undefined, line: 3, _patch: { x: 1 }, group: 'g', metric_ids: [] })],
  ['a test with metric ids', base('test', { metric_ids: ['metric.p.m'], column_name: 'id', attached_node: 'model.p.a', access: 'private', constraints: [] })],
  ['a seed with its file', base('seed', { seed_file: `${sep}proj${sep}seeds${sep}s.csv`, original_file_path: 'seeds/s.csv', seed_columns: ['a'], compiled: true, contract: {} })],
  ['a snapshot with a compiled path', base('snapshot', { compiled_path: 'target/x.sql', metrics: ['m'], functions: ['f'] })],
];

describe('nodeJsonObject', () => {
  it.each(nodes)('writes %s as the key-by-key object did: same keys, order and JSON', (_name, node) => {
    const expected = keyByKey(node);
    const actual = nodeJsonObject(node);
    expect(Object.keys(actual)).toEqual(Object.keys(expected));
    expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
  });
});

describe('literalObject', () => {
  it('makes the object the assignments would, keys in order, for each shape', () => {
    const a = literalObject(['z', 'a', '1x', 'q"uote'], [1, { n: 2 }, null, 'v']);
    expect(Object.keys(a)).toEqual(['z', 'a', '1x', 'q"uote']);
    expect(a).toEqual({ z: 1, a: { n: 2 }, '1x': null, 'q"uote': 'v' });
    // The same shape again: a new object, its own values.
    const b = literalObject(['z', 'a', '1x', 'q"uote'], [3, 4, 5, 6]);
    expect(b).not.toBe(a);
    expect(Object.values(b)).toEqual([3, 4, 5, 6]);
  });

  it('builds a shape with a __proto__ key by assignment, as `obj.__proto__ = value` does', () => {
    const made = literalObject(['a', '__proto__'], [1, 'not an object']);
    const assigned: Record<string, unknown> = {};
    assigned.a = 1;
    assigned['__proto__'] = 'not an object';
    expect(JSON.stringify(made)).toBe(JSON.stringify(assigned));
    expect(Object.getPrototypeOf(made)).toBe(Object.prototype);
  });
});

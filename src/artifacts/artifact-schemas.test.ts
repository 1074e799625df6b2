// Each artifact writer's output against the project's JSON Schemas of dbt's artifacts
// (src/artifacts/schemas/, written from dbt's artifact documentation): every status and shape a
// writer can produce is valid, and what dbt's shape does not have is rejected. The end-to-end
// check of the files a real project leaves in target/ is test/e2e/artifacts-schemas.test.ts.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { NodeResult } from '../manifest/results.js';
import { defaultConfig, nodeSkeleton } from '../graph/node-factory.js';
import type { Manifest, ManifestNode, NodeResourceType } from '../manifest/types.js';
import { manifestConsistencyErrors, schemaErrors } from '../../test/support/artifact-schemas.js';
import { writeCatalog, type CatalogTable } from './catalog-writer.js';
import { manifestJson, writeProjectManifest } from './manifest-writer.js';
import { nodeJson } from './resource-json.js';
import { runResultsJson } from './run-results-writer.js';
import { sourcesJson, type FreshnessResult } from './sources-writer.js';

const AT = new Date('2024-05-06T07:08:09.000Z');
const timing = [
  { name: 'compile' as const, started_at: '2024-05-06T07:08:09.000Z', completed_at: '2024-05-06T07:08:09.100Z' },
  { name: 'execute' as const, started_at: '2024-05-06T07:08:09.100Z', completed_at: '2024-05-06T07:08:09.500Z' },
];

function result(unique_id: string, status: NodeResult['status'], extra: Partial<NodeResult> = {}): NodeResult {
  return { unique_id, status, timing, thread_id: 'Thread-1', execution_time: 0.5, adapter_response: { _message: 'SELECT 2', code: 'SELECT', rows_affected: 2 }, message: null, failures: null, ...extra };
}

describe('run_results.json (v6)', () => {
  const json = (results: NodeResult[]) => runResultsJson({ results, targetDir: '', invocationId: 'inv-1', generatedAt: AT, elapsedSeconds: 1.25, args: { which: 'build', select: [] }, env: { DBT_ENV_CUSTOM_ENV_TEAM: 'data', HOME: '/root' } });

  it('is valid for every status a node can end in, skipped and failed ones included', () => {
    const artifact = json([
      result('seed.p.s', 'success', { compiled_code: '', relation_name: '"db"."s"."s"' }),
      result('model.p.m', 'error', { message: 'relation "nowhere" does not exist', compiled_code: 'select * from nowhere', relation_name: '"db"."s"."m"' }),
      result('model.p.child', 'skipped', { timing: [], execution_time: 0, adapter_response: {}, message: 'SKIP' }),
      result('test.p.unique_m_id.abc', 'pass', { failures: 0 }),
      result('test.p.not_null_m_id.def', 'fail', { failures: 3, message: 'Got 3 results, configured to fail if != 0' }),
      result('test.p.singular', 'warn', { failures: 1 }),
      result('unit_test.p.m.t', 'pass', { failures: 0 }),
      result('model.p.batched', 'partial success', { batch_results: { successful: [['2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z']], failed: [['2024-01-02T00:00:00Z', '2024-01-03T00:00:00Z']] } }),
      result('model.p.unchanged', 'no-op'),
      result('snapshot.p.snap', 'success'),
    ]);
    expect(schemaErrors('run_results', artifact)).toEqual([]);
    // The metadata dbt documents: the schema URL, dbt's version, UTC time, invocation, custom env.
    expect(artifact.metadata).toMatchObject({ dbt_schema_version: 'https://schemas.getdbt.com/dbt/run-results/v6.json', generated_at: '2024-05-06T07:08:09.000Z', invocation_id: 'inv-1', env: { TEAM: 'data' } });
    const [seed, , skipped] = artifact.results as Record<string, unknown>[];
    // A seed's node is no CompiledResource: dbt's process_run_result writes null for these three.
    expect(seed).toMatchObject({ compiled: null, compiled_code: null, relation_name: null, batch_results: null });
    expect(skipped).toMatchObject({ compiled: false, compiled_code: null, relation_name: null });
  });

  it('rejects what dbt does not write: an unknown status, a missing field, a timing step of its own', () => {
    expect(schemaErrors('run_results', json([result('model.p.m', 'done' as never)])).join('\n')).toMatch(/status must be equal to one of the allowed values/);
    const missing = json([result('model.p.m', 'success')]);
    delete (missing.results as Record<string, unknown>[])[0]?.relation_name;
    expect(schemaErrors('run_results', missing).join('\n')).toMatch(/must have required property 'relation_name'/);
    expect(schemaErrors('run_results', json([result('model.p.m', 'success', { timing: [{ name: 'render' as never, started_at: '', completed_at: '' }] })]))).not.toEqual([]);
    expect(schemaErrors('run_results', { ...json([]), extra: 1 }).join('\n')).toMatch(/must NOT have additional properties/);
  });
});

describe('sources.json (v3)', () => {
  const check = (unique_id: string, status: FreshnessResult['status'], extra: Partial<FreshnessResult> = {}): FreshnessResult => ({
    unique_id,
    status,
    max_loaded_at: '2024-05-06T06:00:00.000Z',
    snapshotted_at: '2024-05-06T07:08:09.000Z',
    max_loaded_at_time_ago_in_s: 4089,
    criteria: { warn_after: { count: 1, period: 'hour' }, error_after: { count: 1, period: 'day' }, filter: null },
    execution_time: 0.02,
    timing: [timing[1] as FreshnessResult['timing'][number]],
    thread_id: 'Thread-1',
    adapter_response: { _message: 'SELECT 1', code: 'SELECT', rows_affected: 1 },
    ...extra,
  });
  const json = (results: FreshnessResult[]) => sourcesJson({ results, invocationId: 'inv-2', generatedAt: AT, elapsedSeconds: 0.3, env: {} });

  it('is valid for pass, warn, error, an empty source (no load time) and a failed query', () => {
    const artifact = json([
      check('source.p.raw.fresh', 'pass'),
      check('source.p.raw.late', 'warn', { criteria: { warn_after: { count: 5, period: 'minute' }, error_after: null, filter: "kind = 'new'" } }),
      check('source.p.raw.stale', 'error'),
      check('source.p.raw.empty', 'error', { max_loaded_at: null, max_loaded_at_time_ago_in_s: null }),
      check('source.p.raw.missing', 'runtime error', { error: 'relation "raw.missing" does not exist' }),
    ]);
    expect(schemaErrors('sources', artifact)).toEqual([]);
    // A failed check is written as dbt writes it: the id, the error and the status only.
    expect((artifact.results as unknown[])[4]).toEqual({ unique_id: 'source.p.raw.missing', error: 'relation "raw.missing" does not exist', status: 'runtime error' });
  });

  it('rejects a node id, a period dbt does not know, and a runtime error with a result', () => {
    expect(schemaErrors('sources', json([check('model.p.m', 'pass')]))).not.toEqual([]);
    expect(schemaErrors('sources', json([check('source.p.raw.t', 'pass', { criteria: { warn_after: { count: 1, period: 'week' as never }, error_after: null, filter: null } })]))).not.toEqual([]);
    const artifact = json([check('source.p.raw.t', 'pass')]);
    (artifact.results as Record<string, unknown>[])[0]!.status = 'runtime error';
    expect(schemaErrors('sources', artifact)).not.toEqual([]);
  });
});

describe('catalog.json (v1)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-catalog-schema-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const table = (id: string, name: string, type: string): CatalogTable => ({
    metadata: { type, schema: 'analytics', name, database: 'postgres', comment: null, owner: null },
    columns: { id: { type: 'integer', index: 1, name: 'id', comment: null }, name: { type: 'text', index: 2, name: 'name', comment: 'The name' } },
    stats: {
      row_count: { id: 'row_count', label: 'Approximate Row Count', value: 2, include: true, description: 'An estimate from the table statistics' },
      has_stats: { id: 'has_stats', label: 'Has Stats?', value: true, include: false, description: 'Indicates whether there are statistics for this table' },
    },
    unique_id: id,
  });

  it('is valid as written, with the relations of nodes and sources keyed by unique_id', async () => {
    const catalog = { nodes: { 'model.p.m': table('model.p.m', 'm', 'VIEW'), 'seed.p.s': table('seed.p.s', 's', 'BASE TABLE') }, sources: { 'source.p.raw.t': table('source.p.raw.t', 't', 'BASE TABLE') } };
    await writeCatalog(catalog, { targetDir: dir, invocationId: 'inv-3', generatedAt: AT, env: {} });
    const written = JSON.parse(readFileSync(path.join(dir, 'catalog.json'), 'utf8')) as { errors: unknown };
    expect(schemaErrors('catalog', written)).toEqual([]);
    expect(written.errors).toBeNull();
  });

  it('rejects a test in nodes, a column without an ordinal, and stats without include', () => {
    const base = { metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/catalog/v1.json', dbt_version: '1.10.23', generated_at: AT.toISOString(), invocation_id: null, env: {} }, sources: {}, errors: null };
    expect(schemaErrors('catalog', { ...base, nodes: { 'test.p.t': table('test.p.t', 't', 'VIEW') } })).not.toEqual([]);
    const noIndex = table('model.p.m', 'm', 'VIEW');
    delete (noIndex.columns.id as Partial<CatalogTable['columns'][string]>).index;
    expect(schemaErrors('catalog', { ...base, nodes: { 'model.p.m': noIndex } }).join('\n')).toMatch(/required property 'index'/);
    const noInclude = table('model.p.m', 'm', 'VIEW');
    delete (noInclude.stats.has_stats as Partial<CatalogTable['stats'][string]>).include;
    expect(schemaErrors('catalog', { ...base, nodes: { 'model.p.m': noInclude } }).join('\n')).toMatch(/required property 'include'/);
  });
});

describe('manifest.json (v12)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-manifest-schema-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const node = (resourceType: NodeResourceType, name: string, extra: Partial<ManifestNode> = {}, suffix?: string): ManifestNode => ({
    ...nodeSkeleton({ resourceType, packageName: 'p', name, originalFilePath: `${resourceType}s/${name}.sql`, pathInResourceDir: `${name}.sql`, rawCode: `select 1 as id`, config: defaultConfig(resourceType), uniqueIdSuffix: suffix }),
    database: 'postgres',
    schema: 'analytics',
    ...extra,
  });
  const model = node('model', 'm', { relation_name: '"postgres"."analytics"."m"', compiled: true, compiled_code: 'select 1 as id', depends_on: { nodes: ['seed.p.s'], macros: [] }, refs: [{ name: 's', package: null, version: null }] });
  const seed = node('seed', 's', { raw_code: '', relation_name: '"postgres"."analytics"."s"', seed_file: '/abs/seeds/s.csv' });
  const snapshot = node('snapshot', 'snap', { config: { ...defaultConfig('snapshot'), strategy: 'check', unique_key: 'id', check_cols: 'all' } });
  const singular = node('test', 'no_negatives', { depends_on: { nodes: ['model.p.m'], macros: [] } });
  const generic = node('test', 'not_null_m_id', { depends_on: { nodes: ['model.p.m'], macros: ['macro.dbt.test_not_null'] }, test_metadata: { name: 'not_null', namespace: null, kwargs: { column_name: 'id', model: "{{ get_where_subquery(ref('m')) }}" } }, column_name: 'id', attached_node: 'model.p.m' }, '1a2b3c4d5e');
  const analysis = node('analysis', 'a');
  const unitTest = node('unit_test', 't', { depends_on: { nodes: ['model.p.m'], macros: [] }, unit_test: { model: 'm', given: [{ input: "ref('s')", rows: [{ id: 1 }], format: 'dict' }], expect: { rows: [{ id: 1 }], format: 'dict' }, overrides: null } as never }, undefined);
  unitTest.unique_id = 'unit_test.p.m.t';
  const nodes = [model, seed, snapshot, singular, generic, analysis, unitTest];
  const source = {
    unique_id: 'source.p.raw.t', resource_type: 'source', package_name: 'p', source_name: 'raw', name: 't', identifier: 't', database: 'postgres', schema: 'raw', relation_name: '"postgres"."raw"."t"',
    fqn: ['p', 'raw', 't'], path: 'models/sources.yml', original_file_path: 'models/sources.yml', line: 4, description: '', source_description: '', loader: '', loaded_at_field: 'loaded_at', loaded_at_query: null,
    freshness: { warn_after: { count: 1, period: 'hour' }, error_after: null }, columns: {}, meta: {}, source_meta: {}, tags: [], config: { enabled: true }, quoting: {},
  };
  const macro = { unique_id: 'macro.p.twice', resource_type: 'macro', package_name: 'p', name: 'twice', path: 'macros/twice.sql', original_file_path: 'macros/twice.sql', line: 1, macro_sql: '{% macro twice(x) %}{{ x }} * 2{% endmacro %}', depends_on: { macros: [] }, description: '', arguments: [{ name: 'x' }] };
  const doc = { unique_id: 'doc.p.people', resource_type: 'doc', package_name: 'p', name: 'people', path: 'docs.md', original_file_path: 'models/docs.md', block_contents: 'People.' };
  const ids = nodes.map((n) => n.unique_id);
  const manifest = {
    projectName: 'p',
    nodes: Object.fromEntries(nodes.map((n) => [n.unique_id, n])),
    sources: { [source.unique_id]: source },
    macros: { [macro.unique_id]: macro },
    docs: { [doc.unique_id]: doc },
    parent_map: { ...Object.fromEntries([...ids, source.unique_id].map((id) => [id, [] as string[]])), 'model.p.m': ['seed.p.s'], 'test.p.no_negatives': ['model.p.m'], 'test.p.not_null_m_id.1a2b3c4d5e': ['model.p.m'], 'unit_test.p.m.t': ['model.p.m'] },
    child_map: { ...Object.fromEntries([...ids, source.unique_id].map((id) => [id, [] as string[]])), 'seed.p.s': ['model.p.m'], 'model.p.m': ['test.p.no_negatives', 'test.p.not_null_m_id.1a2b3c4d5e', 'unit_test.p.m.t'] },
    warnings: [],
  } as unknown as Manifest;
  const input = { manifest, targetDir: dir, invocationId: 'inv-4', generatedAt: AT, env: {}, adapterType: 'postgres', projectName: 'p' };

  it('is valid for every kind of node, source, macro, doc and unit test, and consistent', () => {
    const json = manifestJson(input);
    const parsed = JSON.parse(JSON.stringify(json)) as Parameters<typeof manifestConsistencyErrors>[0];
    expect(schemaErrors('manifest', parsed)).toEqual([]);
    expect(manifestConsistencyErrors(parsed)).toEqual([]);
    expect(Object.keys(parsed.nodes)).not.toContain('unit_test.p.m.t');
    expect(Object.keys(parsed.unit_tests)).toEqual(['unit_test.p.m.t']);
  });

  it("writes each node in its dbt type's shape: a seed is not compiled, only models have constraints, no node is `deferred`", () => {
    const seedJson = nodeJson(seed);
    for (const key of ['language', 'refs', 'sources', 'contract', 'constraints', 'deferred', 'seed_file', 'line']) expect(seedJson).not.toHaveProperty(key);
    expect(seedJson.depends_on).toEqual({ macros: [] });
    expect(nodeJson(model)).toMatchObject({ language: 'sql', constraints: [], access: 'protected', contract: { enforced: false, alias_types: true } });
    for (const n of [snapshot, singular, generic, analysis]) {
      const json = nodeJson(n);
      expect(json, n.unique_id).not.toHaveProperty('constraints');
      expect(json, n.unique_id).not.toHaveProperty('access');
      expect(json, n.unique_id).not.toHaveProperty('deferred');
      expect(json, n.unique_id).toHaveProperty('depends_on.nodes');
    }
    // Sources and macros lose the line tsdbt keeps for its messages.
    const written = JSON.parse(JSON.stringify(manifestJson(input))) as { sources: Record<string, object>; macros: Record<string, object> };
    expect(written.sources['source.p.raw.t']).not.toHaveProperty('line');
    expect(written.macros['macro.p.twice']).not.toHaveProperty('line');
    expect(manifest.sources['source.p.raw.t']).toHaveProperty('line', 4);
  });

  it('rejects what dbt does not write: a `deferred` node, a compiled seed, a key that is not its unique_id', () => {
    const json = JSON.parse(JSON.stringify(manifestJson(input))) as { nodes: Record<string, Record<string, unknown>>; unit_tests: Record<string, unknown> } & Parameters<typeof manifestConsistencyErrors>[0];
    const deferred = structuredClone(json);
    (deferred.nodes['model.p.m'] as Record<string, unknown>).deferred = false;
    expect(schemaErrors('manifest', deferred).join('\n')).toMatch(/unevaluatedProperty":"deferred"/);
    const compiledSeed = structuredClone(json);
    (compiledSeed.nodes['seed.p.s'] as Record<string, unknown>).language = 'sql';
    expect(schemaErrors('manifest', compiledSeed).join('\n')).toMatch(/unevaluatedProperty":"language"/);
    const genericWithoutMetadata = structuredClone(json);
    delete (genericWithoutMetadata.nodes['test.p.not_null_m_id.1a2b3c4d5e'] as Record<string, unknown>).test_metadata;
    expect(schemaErrors('manifest', genericWithoutMetadata)).not.toEqual([]);
    const renamed = structuredClone(json);
    renamed.nodes['model.p.other'] = renamed.nodes['model.p.m'] as Record<string, unknown>;
    expect(manifestConsistencyErrors(renamed)).toContain('nodes/model.p.other: unique_id is model.p.m');
  });

  it("names the dbt adapter in metadata.adapter_type: an embedded PGlite target is postgres, as target.type reads", async () => {
    const project = (type: string) => ({ parsed: { manifest }, targetDir: dir, target: { type, name: 'dev', schema: 'analytics', path: 'memory', threads: 1 }, config: { name: 'p' } });
    const inv = { invocationId: 'inv-5', now: () => AT, env: {} };
    for (const [type, adapterType] of [['pglite', 'postgres'], ['postgres', 'postgres'], ['clickhouse', 'clickhouse']]) {
      const { file } = await writeProjectManifest(inv, project(type as string));
      const written = JSON.parse(readFileSync(file, 'utf8')) as { metadata: { adapter_type: string; project_name: string } };
      expect(written.metadata, type).toMatchObject({ adapter_type: adapterType, project_name: 'p' });
      expect(schemaErrors('manifest', written)).toEqual([]);
    }
    const pglite: unknown = JSON.parse(JSON.stringify(manifestJson({ ...input, adapterType: 'pglite' })));
    expect(schemaErrors('manifest', pglite).join('\n')).toMatch(/adapter_type must NOT be valid/);
  });
});

// The artifacts tsdbt leaves in target/ against the project's own JSON Schemas of dbt's artifacts
// (src/artifacts/schemas/: manifest v12, run_results v6, catalog v1, sources v3, written from
// dbt's artifact documentation), on PGlite: a project with every kind of resource is built (a
// model failing and its child skipped, a test warning), its sources checked (pass, warn, error,
// an empty source, a missing table) and its docs generated; then the example project with the
// docs site's fixtures (exposures, groups, semantic models, metrics, saved queries, a unit test).
// Besides the schemas: the artifacts name only resources the manifest has.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docsGenerateCommand } from '../../src/app/docs-command.js';
import { createInvocation, type InvocationOptions } from '../../src/app/invocation.js';
import { sourceFreshnessCommand } from '../../src/app/source-freshness.js';
import { manifestConsistencyErrors, schemaErrors, unknownIds } from '../support/artifact-schemas.js';
import { DOCS_FIXTURE_FILES } from '../support/docs-fixtures.js';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const FILES: Record<string, string> = {
  'seeds/people.csv': 'id,name,loaded_at\n1,ann,2024-05-01 11:00:00\n2,bo,2024-05-01 12:00:00\n',
  'models/staging/stg_people.sql': "select id, name, cast(loaded_at as timestamp) as loaded_at from {{ ref('people') }}\n",
  'models/staging/eph.sql': "{{ config(materialized='ephemeral') }}\nselect id from {{ ref('stg_people') }}\n",
  'models/marts/people_table.sql':
    "{{ config(materialized='table', tags=['nightly'], post_hook=\"select 1\") }}\nselect s.id, upper(s.name) as name from {{ ref('stg_people') }} s join {{ ref('eph') }} e on e.id = s.id\n",
  'models/marts/contracted.sql': "{{ config(materialized='table', contract={'enforced': true}) }}\nselect cast(1 as integer) as id\n",
  'models/marts/incremental_ids.sql': "{{ config(materialized='incremental', unique_key='id') }}\nselect id from {{ source('raw', 'people_src') }}\n",
  'models/marts/empty_loads.sql': "{{ config(materialized='table') }}\nselect cast(null as timestamp) as loaded_at where false\n",
  'models/marts/broken.sql': "select no_such_column from {{ ref('stg_people') }}\n",
  'models/marts/after_broken.sql': "select * from {{ ref('broken') }}\n",
  'models/schema.yml': `version: 2
sources:
  - name: raw
    schema: "{{ target.schema }}"
    loaded_at_field: loaded_at
    freshness:
      warn_after: {count: 30, period: minute}
    tables:
      - name: people_src
        identifier: people
        columns:
          - name: id
            data_tests: [not_null]
      - name: people_recent
        identifier: people
        loaded_at_query: "select timestamp '2024-05-01 12:00:00'"
        freshness: {warn_after: {count: 1, period: day}}
      - name: people_stale
        identifier: people
        freshness: {error_after: {count: 1, period: minute}}
      - name: empty_loads
        freshness: {error_after: {count: 1, period: hour}}
      - name: missing
        identifier: no_such_table
models:
  - name: people_table
    description: "{{ doc('people') }}"
    columns:
      - name: id
        description: The person's id.
        data_tests: [unique, not_null]
  - name: contracted
    columns:
      - name: id
        data_type: integer
        constraints: [{type: not_null}]
  - name: stg_people
    columns:
      - name: id
        data_tests:
          - relationships:
              arguments: {to: ref('people'), field: id}
macros:
  - name: twice
    description: Doubles a number.
    arguments:
      - name: x
        type: number
exposures:
  - name: dashboard
    type: dashboard
    owner: {name: Ann, email: ann@example.com}
    depends_on: [ref('people_table')]
unit_tests:
  - name: upper_names
    model: people_table
    given:
      - input: ref('stg_people')
        rows: [{id: 1, name: a}]
      - input: ref('eph')
        rows: [{id: 1}]
    expect:
      rows: [{id: 1, name: A}]
`,
  'models/docs.md': '{% docs people %}People, shouted.{% enddocs %}\n',
  'snapshots/people_snapshot.sql': "{% snapshot people_snapshot %}\n{{ config(target_schema=target.schema, unique_key='id', strategy='check', check_cols='all') }}\nselect * from {{ ref('people') }}\n{% endsnapshot %}\n",
  'tests/warn_on_people.sql': "{{ config(severity='warn') }}\nselect * from {{ ref('people_table') }}\n",
  'analyses/people_count.sql': "select count(*) from {{ ref('people_table') }}\n",
  'macros/twice.sql': '{% macro twice(x) %}{{ x }} * 2{% endmacro %}\n',
};

type Json = Record<string, unknown>;
type Manifest = Parameters<typeof manifestConsistencyErrors>[0] & { metadata: Json };
interface Results {
  results: { unique_id: string; status: string; failures: number | null }[];
}

// Every artifact is one line, as dbt writes them (dbt_common's write_json: json.dump, no indent).
const lines: Record<string, number> = {};
const read = (p: WarehouseProject, file: string) => {
  const text = readFileSync(path.join(p.dir, 'target', file), 'utf8');
  lines[file] = text.trimEnd().split('\n').length;
  return JSON.parse(text) as Json;
};

function invocation(p: WarehouseProject, init: Partial<InvocationOptions> = {}) {
  return createInvocation({ projectDir: p.dir, write: () => undefined, writeError: () => undefined, env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: p.dir }, ...init });
}

describe('the artifacts of a build, a freshness check and docs generate on PGlite', () => {
  let p: WarehouseProject;
  const artifacts: { build: Json; sources: Json; catalog: Json; manifest: Json; lineage: Json; docsRunResults: Json } = {} as never;
  const codes: Record<string, number> = {};
  beforeAll(async () => {
    p = warehouseProject('pglite', FILES);
    const built = await p.run('build');
    codes.build = built.code;
    artifacts.build = read(p, 'run_results.json');
    codes.freshness = await sourceFreshnessCommand(invocation(p, { now: () => new Date('2024-05-01T12:40:00Z') }));
    artifacts.sources = read(p, 'sources.json');
    codes.docs = await docsGenerateCommand(invocation(p), { compile: true, emptyCatalog: false });
    artifacts.catalog = read(p, 'catalog.json');
    artifacts.manifest = read(p, 'manifest.json');
    artifacts.lineage = read(p, 'column_lineage.json');
    artifacts.docsRunResults = read(p, 'run_results.json');
  }, 180_000);
  afterAll(() => p.cleanup());

  it('writes each artifact on one line, as dbt does', () => {
    expect(lines).toEqual({ 'run_results.json': 1, 'sources.json': 1, 'catalog.json': 1, 'manifest.json': 1, 'column_lineage.json': 1 });
  });

  it('run_results.json of the build: valid v6, every outcome a node can have, only nodes of the manifest', () => {
    expect(codes.build).toBe(1); // broken.sql fails
    expect(schemaErrors('run_results', artifacts.build)).toEqual([]);
    const { results } = artifacts.build as unknown as Results;
    const status = Object.fromEntries(results.map((r) => [r.unique_id, r.status]));
    expect(status).toMatchObject({
      'seed.demo.people': 'success',
      'model.demo.people_table': 'success',
      'model.demo.broken': 'error',
      'model.demo.after_broken': 'skipped',
      'test.demo.warn_on_people': 'warn',
      'unit_test.demo.people_table.upper_names': 'pass',
      'snapshot.demo.people_snapshot': 'success',
      'exposure.demo.dashboard': 'no-op', // dbt 1.10+'s build
    });
    expect(results.find((r) => r.unique_id === 'test.demo.warn_on_people')?.failures).toBe(2);
    const manifest = artifacts.manifest as unknown as Manifest;
    expect(unknownIds(Object.keys(status), manifest.nodes, manifest.unit_tests, manifest.exposures)).toEqual([]);
  });

  it("run_results.json of docs generate's compile step (dbt's GenerateTask runs CompileTask.run): valid v6, a success per compiled node", () => {
    expect(schemaErrors('run_results', artifacts.docsRunResults)).toEqual([]);
    const { results, args } = artifacts.docsRunResults as unknown as Results & { args: { which: string } };
    expect(args.which).toBe('generate');
    const status = Object.fromEntries(results.map((r) => [r.unique_id, r.status]));
    expect(status).toMatchObject({ 'seed.demo.people': 'success', 'model.demo.broken': 'success', 'snapshot.demo.people_snapshot': 'success' });
    expect(Object.keys(status)).not.toContain('model.demo.eph');
    const manifest = artifacts.manifest as unknown as Manifest;
    expect(unknownIds(Object.keys(status), manifest.nodes)).toEqual([]);
  });

  it('sources.json: valid v3 for pass, warn, error, an empty source and a failed query; only sources of the manifest', () => {
    expect(codes.freshness).toBe(1);
    expect(schemaErrors('sources', artifacts.sources)).toEqual([]);
    const results = (artifacts.sources as { results: { unique_id: string; status: string; max_loaded_at: string | null }[] }).results;
    expect(Object.fromEntries(results.map((r) => [r.unique_id, r.status]))).toEqual({
      'source.demo.raw.people_src': 'warn', // 40 minutes: past warn_after (30)
      'source.demo.raw.people_recent': 'pass',
      'source.demo.raw.people_stale': 'error',
      'source.demo.raw.empty_loads': 'error', // no load time at all (tsdbt: stale, not a failed query)
      'source.demo.raw.missing': 'runtime error',
    });
    expect(results.find((r) => r.unique_id === 'source.demo.raw.empty_loads')?.max_loaded_at).toBeNull();
    expect(unknownIds(results.map((r) => r.unique_id), (artifacts.manifest as unknown as Manifest).sources)).toEqual([]);
  });

  it('catalog.json: valid v1, the relations of built models, seeds, snapshots and sources only', () => {
    expect(codes.docs).toBe(0);
    expect(schemaErrors('catalog', artifacts.catalog)).toEqual([]);
    const catalog = artifacts.catalog as { nodes: Json; sources: Json };
    const manifest = artifacts.manifest as unknown as Manifest;
    expect(unknownIds(Object.keys(catalog.nodes), manifest.nodes)).toEqual([]);
    expect(unknownIds(Object.keys(catalog.sources), manifest.sources)).toEqual([]);
    expect(Object.keys(catalog.nodes)).toEqual(expect.arrayContaining(['seed.demo.people', 'model.demo.people_table', 'model.demo.stg_people', 'snapshot.demo.people_snapshot']));
    // Neither the ephemeral model nor the one that failed has a relation to describe.
    expect(Object.keys(catalog.nodes)).not.toContain('model.demo.eph');
    expect(Object.keys(catalog.nodes)).not.toContain('model.demo.broken');
    expect(Object.keys(catalog.sources)).toContain('source.demo.raw.people_src');
    expect(Object.keys(catalog.sources)).not.toContain('source.demo.raw.missing');
  });

  it('manifest.json: valid v12 (no key dbt\'s schema lacks), each key its unique_id, parent and child maps agreeing; column lineage in column_lineage.json', () => {
    const manifest = artifacts.manifest as unknown as Manifest;
    expect(schemaErrors('manifest', manifest)).toEqual([]);
    expect(manifestConsistencyErrors(manifest)).toEqual([]);
    expect(manifest.metadata).toMatchObject({ project_name: 'demo', adapter_type: 'postgres' });
    expect(Object.keys(manifest)).not.toContain('tsdbt');
    expect(Object.keys(manifest.metadata)).not.toContain('tsdbt_version');
    expect(schemaErrors('column_lineage', artifacts.lineage)).toEqual([]);
    expect(Object.keys((artifacts.lineage as { column_lineage: Json }).column_lineage)).toContain('model.demo.people_table');
    const kinds = new Set(Object.values(manifest.nodes).map((n) => n.resource_type));
    expect([...kinds].sort()).toEqual(['analysis', 'model', 'seed', 'snapshot', 'test']);
    expect(Object.keys(manifest.unit_tests)).toEqual(['unit_test.demo.people_table.upper_names']);
    expect(Object.keys(manifest.exposures)).toEqual(['exposure.demo.dashboard']);
    expect(Object.keys(manifest.docs)).toEqual(['doc.dbt.__overview__', 'doc.demo.people']); // dbt's own overview block too
  });
});

describe('the manifest of the example project with every kind of declared resource', () => {
  let p: WarehouseProject;
  let manifest: Manifest;
  let catalog: Json;
  beforeAll(async () => {
    p = warehouseProject('pglite', {}, { example: true });
    for (const [file, text] of Object.entries(DOCS_FIXTURE_FILES)) p.write(file, text);
    // docs generate writes manifest.json when it compiles (dbt's --no-compile writes none).
    expect(await docsGenerateCommand(invocation(p), { compile: true, emptyCatalog: true })).toBe(0);
    manifest = read(p, 'manifest.json') as unknown as Manifest;
    catalog = read(p, 'catalog.json');
  }, 300_000);
  afterAll(() => p.cleanup());

  it('is valid v12 and consistent, exposures, groups, semantic models, metrics and saved queries included', () => {
    expect(schemaErrors('manifest', manifest)).toEqual([]);
    expect(manifestConsistencyErrors(manifest)).toEqual([]);
    for (const section of ['exposures', 'groups', 'semantic_models', 'metrics', 'saved_queries', 'unit_tests'] as const) expect(Object.keys(manifest[section]).length, section).toBeGreaterThan(0);
    expect(manifest.metadata).toMatchObject({ project_name: 'session_analytics', adapter_type: 'postgres' });
  });

  it('writes an empty catalog (--empty-catalog) that is valid v1', () => {
    expect(schemaErrors('catalog', catalog)).toEqual([]);
    expect(catalog).toMatchObject({ nodes: {}, sources: {} });
  });
});

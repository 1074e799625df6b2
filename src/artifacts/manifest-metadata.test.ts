import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../manifest/types.js';
import { writeProjectManifest } from './manifest-writer.js';
import { runResultsJson } from './run-results-writer.js';

/** manifest.json's metadata as dbt 1.10/1.11 writes it (ManifestMetadata, RuntimeConfig.get_metadata). */
describe('manifest metadata', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-manifest-metadata-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const startedAt = new Date('2026-11-27T15:04:05.678Z');

  const metadataOf = async (type: string, quoting?: Record<string, unknown>) => {
    const out = mkdtempSync(path.join(dir, `${type}-`));
    const manifest = { projectName: 'jaffle_shop', nodes: {}, sources: {}, macros: {}, docs: {}, parent_map: {}, child_map: {}, warnings: [] } as unknown as Manifest;
    await writeProjectManifest(
      { invocationId: 'inv-1', now: () => new Date('2026-11-27T15:05:00.000Z'), env: { DBT_ENV_CUSTOM_ENV_TEAM: 'data' }, startedAt },
      { parsed: { manifest }, targetDir: out, target: { type } as never, config: { name: 'jaffle_shop', ...(quoting ? { quoting } : {}) } },
    );
    return (JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { metadata: Record<string, unknown> }).metadata;
  };

  it("writes dbt's fields in dbt's order: project_id is the md5 of the name, no user, the run's start, the adapter's quoting", async () => {
    const metadata = await metadataOf('postgres');
    expect(Object.keys(metadata)).toEqual([
      'dbt_schema_version', 'dbt_version', 'generated_at', 'invocation_id', 'invocation_started_at', 'env',
      'project_name', 'project_id', 'user_id', 'send_anonymous_usage_stats', 'adapter_type', 'quoting', 'run_started_at',
    ]);
    expect(metadata).toMatchObject({
      generated_at: '2026-11-27T15:05:00.000Z',
      invocation_id: 'inv-1',
      invocation_started_at: '2026-11-27T15:04:05.678000+00:00',
      env: { TEAM: 'data' },
      project_name: 'jaffle_shop',
      project_id: '06e5b98c2db46f8a72cc4f66410e9b3b', // md5('jaffle_shop'), as dbt's hashed_name
      user_id: null,
      send_anonymous_usage_stats: false,
      adapter_type: 'postgres',
      quoting: { database: true, schema: true, identifier: true, column: null },
      run_started_at: '2026-11-27T15:04:05.678000+00:00',
    });
  });

  it("lays dbt_project.yml's quoting booleans over the adapter's default policy; column stays null, as in dbt", async () => {
    expect((await metadataOf('pglite')).quoting).toEqual({ database: true, schema: true, identifier: true, column: null });
    expect((await metadataOf('pglite', { identifier: false, schema: false, column: true })).quoting).toEqual({ database: true, schema: false, identifier: false, column: null });
    expect((await metadataOf('postgres', { database: false, identifier: 'yes' })).quoting).toEqual({ database: false, schema: true, identifier: true, column: null });
    expect((await metadataOf('clickhouse')).quoting).toEqual({ database: false, schema: true, identifier: true, column: null });
  });

  it('puts invocation_started_at in run_results.json too', () => {
    const json = runResultsJson({ results: [], targetDir: dir, invocationId: 'inv-1', generatedAt: new Date(0), elapsedSeconds: 0, args: {}, env: {}, startedAt });
    expect(json.metadata).toMatchObject({ invocation_id: 'inv-1', invocation_started_at: '2026-11-27T15:04:05.678000+00:00' });
  });
});

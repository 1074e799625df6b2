// Reading --state's manifest.json: dbt 1.11 reads manifests of schema v4 and later
// (WritableManifest.compatible_previous_versions) and refuses older ones with its
// IncompatibleSchemaError, in its words.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readStateArtifacts } from './state-artifacts.js';

const dirs: string[] = [];

function stateDir(schemaVersion: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-state-'));
  dirs.push(dir);
  const manifest = { metadata: { dbt_schema_version: schemaVersion }, nodes: { 'model.p.m': { unique_id: 'model.p.m', resource_type: 'model' } } };
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('readStateArtifacts: the manifest schema version', () => {
  it('refuses a manifest older than v4 as dbt does', () => {
    const dir = stateDir('https://schemas.getdbt.com/dbt/manifest/v3.json');
    expect(() => readStateArtifacts(dir, dir)).toThrow(
      `Expected a schema version of "https://schemas.getdbt.com/dbt/manifest/v12.json" in ${path.join(dir, 'manifest.json')}, but found "https://schemas.getdbt.com/dbt/manifest/v3.json". Are you running with a different version of dbt?`,
    );
  });

  it('reads v4 and later', () => {
    for (const v of [4, 9, 12]) {
      const dir = stateDir(`https://schemas.getdbt.com/dbt/manifest/v${v}.json`);
      expect(Object.keys(readStateArtifacts(dir, dir).manifest.nodes)).toEqual(['model.p.m']);
    }
  });
});

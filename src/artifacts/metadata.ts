// The `metadata` block every artifact carries, stamped with its dbt schema version and tsdbt's.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DBT_VERSION } from '../manifest/dbt-version.js';

export { DBT_VERSION };

let version: string | null = null;

/** tsdbt's version from package.json. */
export function tsdbtVersion(): string {
  if (version) return version;
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(fileURLToPath(new URL(rel, import.meta.url)), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'tsdbt' && pkg.version) return (version = pkg.version);
    } catch {
      // try the next candidate
    }
  }
  return (version = '0.0.0');
}

export interface ArtifactMetadataInput {
  kind: 'manifest' | 'run-results' | 'catalog' | 'sources';
  schemaVersion: number;
  invocationId: string;
  generatedAt: Date;
  env: NodeJS.ProcessEnv;
}

export function artifactMetadata(input: ArtifactMetadataInput): Record<string, unknown> {
  const envVars: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.env)) if (k.startsWith('DBT_ENV_CUSTOM_ENV_') && v !== undefined) envVars[k.slice('DBT_ENV_CUSTOM_ENV_'.length)] = v;
  return {
    dbt_schema_version: `https://schemas.getdbt.com/dbt/${input.kind}/v${input.schemaVersion}.json`,
    dbt_version: DBT_VERSION,
    tsdbt_version: tsdbtVersion(),
    generated_at: input.generatedAt.toISOString(),
    invocation_id: input.invocationId,
    env: envVars,
  };
}

// The `metadata` block every artifact carries, stamped with its dbt schema version and tsdbt's.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
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

/**
 * A digest of the bundled CLI in `dir` (its entry, bin.js, which holds a digest of the bundle,
 * cli.cjs; and the names of any chunks, which esbuild makes digests of their code), or null where
 * `dir` holds no bundle (tsdbt run from dist/ or its sources).
 */
export function bundleDigest(dir: string): string | null {
  try {
    const entry = readFileSync(path.join(dir, 'bin.js'));
    const chunks = readdirSync(dir).filter((file) => file.startsWith('chunk-') && file.endsWith('.js')).sort();
    // node:crypto loads here, not at start-up: --version and --help never need it (issue 18).
    return process.getBuiltinModule('node:crypto').createHash('sha1').update(entry).update('\0').update(chunks.join('\0')).digest('hex').slice(0, 12);
  } catch {
    return null;
  }
}

let build: string | null = null;

/**
 * What a cache written by this tsdbt keys on: its version, and in the bundled CLI the bundle's
 * digest, so another build of the same version (every development build is 0.1.0) does not read
 * a parse cache written by different code.
 */
export function tsdbtBuild(): string {
  if (build) return build;
  const digest = bundleDigest(path.dirname(fileURLToPath(import.meta.url)));
  return (build = digest === null ? tsdbtVersion() : `${tsdbtVersion()}+${digest}`);
}

export interface ArtifactMetadataInput {
  kind: 'manifest' | 'run-results' | 'catalog' | 'sources';
  schemaVersion: number;
  invocationId: string;
  generatedAt: Date;
  env: NodeJS.ProcessEnv;
  /** When the invocation started (dbt's invocation_started_at); null where the caller does not know. */
  invocationStartedAt?: Date;
}

/** A UTC instant as dbt writes a timezone-aware datetime (Python's isoformat: microseconds, `+00:00`). */
export function dbtAwareDatetime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

export function artifactMetadata(input: ArtifactMetadataInput): Record<string, unknown> {
  const envVars: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.env)) if (k.startsWith('DBT_ENV_CUSTOM_ENV_') && v !== undefined) envVars[k.slice('DBT_ENV_CUSTOM_ENV_'.length)] = v;
  return {
    dbt_schema_version: `https://schemas.getdbt.com/dbt/${input.kind}/v${input.schemaVersion}.json`,
    dbt_version: DBT_VERSION,
    generated_at: input.generatedAt.toISOString(),
    invocation_id: input.invocationId,
    invocation_started_at: input.invocationStartedAt ? dbtAwareDatetime(input.invocationStartedAt) : null,
    env: envVars,
  };
}

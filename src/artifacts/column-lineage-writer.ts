// target/column_lineage.json, tsdbt's own artifact of `docs generate` (dbt has none): each model's
// columns and the upstream columns they come from, as the docs site shows them, with the tsdbt
// version that traced them. Kept out of manifest.json, whose every key dbt's published schema
// (manifest/v12.json, additionalProperties: false) names, so that tools validating or parsing
// dbt's artifacts strictly (dbt-artifacts-parser's models forbid extra fields) read tsdbt's.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tsdbtVersion } from './metadata.js';

export const COLUMN_LINEAGE_FILE = 'column_lineage.json';

export async function writeColumnLineage(lineage: Record<string, unknown>, input: { targetDir: string; invocationId: string; generatedAt: Date }): Promise<void> {
  const json = {
    metadata: { tsdbt_version: tsdbtVersion(), generated_at: input.generatedAt.toISOString(), invocation_id: input.invocationId },
    column_lineage: lineage,
  };
  await mkdir(input.targetDir, { recursive: true });
  await writeFile(path.join(input.targetDir, COLUMN_LINEAGE_FILE), JSON.stringify(json));
}

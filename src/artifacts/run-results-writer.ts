// Writes target/run_results.json in dbt's run_results v6 shape.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { NodeResult } from '../manifest/results.js';
import { artifactMetadata } from './metadata.js';

export interface RunResultsInput {
  results: NodeResult[];
  targetDir: string;
  invocationId: string;
  generatedAt: Date;
  elapsedSeconds: number;
  args: Record<string, unknown>;
  env: NodeJS.ProcessEnv;
}

export function runResultsJson(input: RunResultsInput): Record<string, unknown> {
  return {
    metadata: artifactMetadata({ kind: 'run-results', schemaVersion: 6, invocationId: input.invocationId, generatedAt: input.generatedAt, env: input.env }),
    results: input.results.map((r) => ({
      status: r.status,
      timing: r.timing,
      thread_id: r.thread_id,
      execution_time: r.execution_time,
      adapter_response: r.adapter_response,
      message: r.message,
      failures: r.failures,
      unique_id: r.unique_id,
      compiled: r.compiled_code !== undefined && r.compiled_code !== null,
      compiled_code: r.compiled_code ?? null,
      relation_name: r.relation_name ?? null,
      batch_results: r.batch_results ?? null,
    })),
    elapsed_time: input.elapsedSeconds,
    args: input.args,
  };
}

/**
 * Written on one line, as dbt writes every artifact (dbt-core's `Writable.write` -> dbt_common's
 * `write_json`: `json.dump` with no indent), as manifest.json is: a 10,000-node compile's file is
 * 20 MB indented, and its indentation half the time spent writing it.
 */
export async function writeRunResults(input: RunResultsInput): Promise<string> {
  const file = path.join(input.targetDir, 'run_results.json');
  await mkdir(input.targetDir, { recursive: true });
  await writeFile(file, JSON.stringify(runResultsJson(input)));
  return file;
}

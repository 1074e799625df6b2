// Writes target/sources.json in dbt's sources v3 shape (the result of `source freshness`).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FreshnessCriteria } from '../freshness/criteria.js';
import { artifactMetadata } from './metadata.js';

export interface FreshnessResult {
  unique_id: string;
  status: 'pass' | 'warn' | 'error' | 'runtime error';
  /** ISO times; null when the source has no loaded_at value (or the query failed). */
  max_loaded_at: string | null;
  snapshotted_at: string;
  max_loaded_at_time_ago_in_s: number | null;
  criteria: FreshnessCriteria;
  execution_time: number;
  timing: { name: 'compile' | 'execute'; started_at: string; completed_at: string }[];
  thread_id: string;
  adapter_response: Record<string, unknown>;
  /** runtime error only. */
  error?: string;
}

export interface SourcesJsonInput {
  results: FreshnessResult[];
  invocationId: string;
  generatedAt: Date;
  elapsedSeconds: number;
  env: NodeJS.ProcessEnv;
  /** When the invocation started (metadata.invocation_started_at). */
  startedAt?: Date;
}

export function sourcesJson(input: SourcesJsonInput): Record<string, unknown> {
  return {
    metadata: artifactMetadata({ kind: 'sources', schemaVersion: 3, invocationId: input.invocationId, generatedAt: input.generatedAt, env: input.env, invocationStartedAt: input.startedAt }),
    results: input.results.map((r) =>
      r.status === 'runtime error'
        ? { unique_id: r.unique_id, error: r.error ?? '', status: r.status }
        : {
            unique_id: r.unique_id,
            max_loaded_at: r.max_loaded_at,
            snapshotted_at: r.snapshotted_at,
            max_loaded_at_time_ago_in_s: r.max_loaded_at_time_ago_in_s,
            status: r.status,
            criteria: r.criteria,
            adapter_response: r.adapter_response,
            timing: r.timing,
            thread_id: r.thread_id,
            execution_time: r.execution_time,
          },
    ),
    elapsed_time: input.elapsedSeconds,
  };
}

export async function writeSourcesJson(file: string, input: SourcesJsonInput): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(sourcesJson(input))); // one line, as dbt writes every artifact (write_json: json.dump, no indent)
  return file;
}

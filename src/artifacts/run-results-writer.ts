// Writes target/run_results.json in dbt's run_results v6 shape.
import { makeDir } from './make-dir.js';
import path from 'node:path';
import type { NodeResult } from '../manifest/results.js';
import { ChunkedWriter } from './chunked-writer.js';
import { artifactMetadata } from './metadata.js';

export interface RunResultsInput {
  /** The results, or their text encoded ahead (encodeResults). */
  results: NodeResult[] | EncodedResults;
  targetDir: string;
  invocationId: string;
  generatedAt: Date;
  elapsedSeconds: number;
  args: Record<string, unknown>;
  env: NodeJS.ProcessEnv;
  /** When the invocation started (metadata.invocation_started_at). */
  startedAt?: Date;
}

export function runResultsJson(input: RunResultsInput): Record<string, unknown> {
  const { results } = input;
  return runResultsShape(input, results instanceof EncodedResults ? JSON.parse(Buffer.concat(results.chunks).toString('utf8')) : results.map(resultJson));
}

/** run_results.json's top level, in dbt's key order, with `results` as given. */
function runResultsShape(input: RunResultsInput, results: unknown): Record<string, unknown> {
  return {
    metadata: artifactMetadata({ kind: 'run-results', schemaVersion: 6, invocationId: input.invocationId, generatedAt: input.generatedAt, env: input.env, invocationStartedAt: input.startedAt }),
    results,
    elapsed_time: input.elapsedSeconds,
    args: input.args,
  };
}

/**
 * One result as dbt's process_run_result writes it. A seed's node is no CompiledResource (dbt's
 * SeedNode has no compiled code), so its `compiled`, `compiled_code` and `relation_name` are null.
 */
function resultJson(r: NodeResult): Record<string, unknown> {
  if (r.unique_id.startsWith('seed.')) r = { ...r, compiled_code: null, relation_name: null };
  return {
    status: r.status,
    timing: r.timing,
    thread_id: r.thread_id,
    execution_time: r.execution_time,
    adapter_response: r.adapter_response,
    message: r.message,
    failures: r.failures,
    unique_id: r.unique_id,
    compiled: r.unique_id.startsWith('seed.') ? null : r.compiled_code !== undefined && r.compiled_code !== null,
    compiled_code: r.compiled_code ?? null,
    relation_name: r.relation_name ?? null,
    batch_results: r.batch_results ?? null,
  };
}

/**
 * Written on one line, as dbt writes every artifact (dbt-core's `Writable.write` -> dbt_common's
 * `write_json`: `json.dump` with no indent), as manifest.json is: a 10,000-node compile's file is
 * 20 MB indented, and its indentation half the time spent writing it. Streamed result by result
 * (the text JSON.stringify(runResultsJson(input)) gives): no 10 MB string, and no copy of it made
 * to be written, for a 30,000-node compile.
 */
export async function writeRunResults(input: RunResultsInput): Promise<string> {
  const file = path.join(input.targetDir, 'run_results.json');
  await makeDir(input.targetDir);
  const out = new ChunkedWriter(file);
  try {
    let first = true;
    for (const [key, value] of Object.entries(runResultsShape(input, RESULTS))) {
      if (value === undefined) continue; // as JSON.stringify leaves it out
      out.write(`${first ? '{' : ','}${JSON.stringify(key)}:`);
      first = false;
      if (value !== RESULTS) out.write(JSON.stringify(value));
      else if (input.results instanceof EncodedResults) for (const chunk of input.results.chunks) out.write(chunk);
      else {
        out.write('[');
        input.results.forEach((r, i) => out.write(`${i ? ',' : ''}${JSON.stringify(resultJson(r))}`));
        out.write(']');
      }
    }
    out.write(first ? '{}' : '}');
  } finally {
    out.close();
  }
  return file;
}

const RESULTS = Symbol('results');

/** run_results.json's `results` array as UTF-8 text, in chunks (encodeResults). */
export class EncodedResults {
  constructor(readonly chunks: readonly Buffer[]) {}
}

/** The size of encodeResults' chunks: ChunkedWriter's buffer, so each is copied into it whole. */
const CHUNK = 1 << 22;

/**
 * The `results` array's text, the one writeRunResults streams, made ahead: a compile encodes it
 * while its writer thread still creates the compiled files, and writes the file once they are on
 * disk, as before (a 30,000-node compile's results are ~16 MB, ~0.1 s of the main thread).
 */
export function encodeResults(results: readonly NodeResult[]): EncodedResults {
  const chunks: Buffer[] = [];
  let buffer = Buffer.allocUnsafe(CHUNK);
  let used = 0;
  const put = (text: string) => {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    if (3 * text.length > buffer.length - used) {
      if (used > 0) chunks.push(buffer.subarray(0, used));
      buffer = Buffer.allocUnsafe(Math.max(CHUNK, 3 * text.length));
      used = 0;
    }
    used += buffer.write(text, used);
  };
  put('[');
  results.forEach((r, i) => put(`${i ? ',' : ''}${JSON.stringify(resultJson(r))}`));
  put(']');
  chunks.push(buffer.subarray(0, used));
  return new EncodedResults(chunks);
}

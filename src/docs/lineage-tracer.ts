// Column lineage for `docs generate`, traced on a worker thread while the main thread goes on
// (writing the catalog, building and writing the site's entries, saving the template code): on a
// 5,000-model project about half a second of CPU the machine's second core takes instead. The
// worker gets the part of the manifest lineage reads (column-lineage.ts lineageProject), reads
// and writes the lineage cache of target/ itself (lineage-cache.ts) and hands back the lineage.
// The worker's script is the bundled CLI's (lineage-worker.cjs beside cli.cjs, scripts/bundle-cli.ts);
// without it (tsdbt run from its sources or from tsc's dist/), or if the worker fails, the lineage
// is traced on the main thread, with the same result.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Catalog } from '../artifacts/catalog-writer.js';
import { lineageProject, projectLineage, type LineageProject, type ModelLineage } from './column-lineage.js';
import { readLineageCache, writeLineageCache } from './lineage-cache.js';

/** What tracing needs: the project's part lineage reads, the catalog, the SQL parser's dialect, where the cache is. */
export interface LineageJob {
  project: LineageProject;
  catalog: Catalog | null;
  parserDialect: string;
  targetDir: string;
}

/**
 * What the worker is sent: the job as JSON text (one string to copy, which the worker parses
 * faster than the structured clone of thousands of small objects it stands for).
 */
export interface LineageMessage {
  job: string;
}

/** What the worker answers: the lineage as JSON text (the same for the way back), or its error. */
export type LineageReply = { lineage: string } | { error: string };

/** The worker's script, beside the bundled CLI. */
export const LINEAGE_WORKER_FILE = 'lineage-worker.cjs';

/** Traces every model's lineage (the cache of `job.targetDir` read, and written with this run's entries). */
export function runLineageJob(job: LineageJob, onModel?: (done: number, count: number) => void): Record<string, ModelLineage> {
  const cache = readLineageCache(job.targetDir);
  const lineage = projectLineage(job.project, job.catalog, job.parserDialect, onModel, cache);
  writeLineageCache(job.targetDir, cache);
  return lineage;
}

function workerScript(): string | null {
  const file = fileURLToPath(new URL(`./${LINEAGE_WORKER_FILE}`, import.meta.url));
  return existsSync(file) ? file : null;
}

/** The lineage traced on a worker thread, or null if the worker failed. */
function traceOnWorker(script: string, job: LineageJob): Promise<Record<string, ModelLineage> | null> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(script);
    } catch {
      return resolve(null);
    }
    let settled = false;
    const done = (lineage: Record<string, ModelLineage> | null) => {
      if (settled) return;
      settled = true;
      resolve(lineage);
      void worker.terminate();
    };
    worker.once('message', (reply: LineageReply) => done('lineage' in reply ? (JSON.parse(reply.lineage) as Record<string, ModelLineage>) : null));
    worker.once('error', () => done(null));
    worker.once('exit', () => done(null));
    worker.postMessage({ job: JSON.stringify(job) } satisfies LineageMessage);
  });
}

/**
 * Every model's lineage of `manifest`: started on a worker thread when there is one (the promise
 * settles once it is traced), else traced now. `onModel` reports progress on the main thread only.
 */
export function traceLineage(manifest: LineageProject, catalog: Catalog | null, parserDialect: string, targetDir: string, onModel?: (done: number, count: number) => void, script = workerScript()): Promise<Record<string, ModelLineage>> {
  if (script === null) return Promise.resolve(runLineageJob({ project: manifest, catalog, parserDialect, targetDir }, onModel));
  const job: LineageJob = { project: lineageProject(manifest), catalog, parserDialect, targetDir };
  return traceOnWorker(script, job).then((lineage) => lineage ?? runLineageJob(job, onModel));
}

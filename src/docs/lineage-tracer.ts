// Column lineage for `docs generate`, traced on a worker thread while the main thread goes on
// (writing the catalog and manifest.json, building and writing the site's entries, saving the template code): on a
// 5,000-model project about half a second of CPU the machine's second core takes instead. The
// worker is started before the nodes are compiled (LineageTracer), so its start and the SQL
// parser's load (a fresh Node environment, node-sql-parser's dialect build, the lineage cache of
// target/ read) are done by the time the compiled SQL is there; it is then sent the part of the
// manifest lineage reads (column-lineage.ts lineageProject), hands back the lineage, and writes
// the lineage cache (lineage-cache.ts) after that, while the main thread writes the site.
// The worker's script is the bundled CLI's (lineage-worker.cjs beside cli.cjs, scripts/bundle-cli.ts);
// without it (tsdbt run from its sources or from tsc's dist/), or if the worker fails, the lineage
// is traced on the main thread, with the same result.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Catalog } from '../artifacts/catalog-writer.js';
import { lineageProject, loadSqlParser, projectLineage, type LineageCache, type LineageProject, type ModelLineage } from './column-lineage.js';
import { readLineageCache, writeLineageCache } from './lineage-cache.js';

/** Where the worker traces: the SQL parser's dialect and the target folder that keeps the cache. */
export interface LineageSetup {
  parserDialect: string;
  targetDir: string;
}

/** What tracing needs besides the setup: the project's part lineage reads, the catalog. */
export interface LineageJob {
  project: LineageProject;
  catalog: Catalog | null;
}

/**
 * What the worker is sent: first the setup (it loads the parser and reads the cache), then the
 * job as JSON text (one string to copy, which the worker parses faster than the structured clone
 * of thousands of small objects it stands for).
 */
export type LineageMessage = { setup: LineageSetup } | { job: string };

/** What the worker answers: the lineage as JSON text (the same for the way back), or its error. */
export type LineageReply = { lineage: string } | { error: string };

/** The worker's script, beside the bundled CLI. */
export const LINEAGE_WORKER_FILE = 'lineage-worker.cjs';

/** The parser loaded and the cache of `setup.targetDir` read: what a job needs before its SQL. */
export function prepareLineage(setup: LineageSetup): LineageCache {
  loadSqlParser(setup.parserDialect);
  return readLineageCache(setup.targetDir);
}

/** Traces every model's lineage, with the cache prepareLineage read (which then holds this run's entries, for writeLineageCache). */
export function runLineageJob(setup: LineageSetup, cache: LineageCache, job: LineageJob, onModel?: (done: number, count: number) => void): Record<string, ModelLineage> {
  return projectLineage(job.project, job.catalog, setup.parserDialect, onModel, cache);
}

/** Traces on this thread, the cache read and written. */
function traceHere(setup: LineageSetup, job: LineageJob, onModel?: (done: number, count: number) => void): Record<string, ModelLineage> {
  const cache = prepareLineage(setup);
  const lineage = runLineageJob(setup, cache, job, onModel);
  writeLineageCache(setup.targetDir, cache);
  return lineage;
}

function workerScript(): string | null {
  const file = fileURLToPath(new URL(`./${LINEAGE_WORKER_FILE}`, import.meta.url));
  return existsSync(file) ? file : null;
}

/**
 * A lineage worker started ahead of its job: `new LineageTracer(setup)` starts it, `trace()` sends
 * the job once the SQL is compiled, `cancel()` stops it when there will be no job (an error, or no
 * lineage to trace). After its reply the worker writes the cache and ends by itself.
 */
export class LineageTracer {
  private worker: Worker | null = null;
  /** Settles with the reply's lineage, or null when the worker failed (its error, its exit before replying). */
  private readonly reply: Promise<Record<string, ModelLineage> | null>;
  private settle: (lineage: Record<string, ModelLineage> | null) => void = () => undefined;
  private used = false;
  /** Settles once the worker has ended (its cache written), at once when there is none. */
  readonly ended: Promise<void>;

  constructor(
    private readonly setup: LineageSetup,
    script: string | null = workerScript(),
  ) {
    this.reply = new Promise((resolve) => (this.settle = resolve));
    let worker: Worker;
    try {
      if (script === null) throw new Error('no worker script');
      worker = new Worker(script);
    } catch {
      this.settle(null);
      this.ended = Promise.resolve();
      return;
    }
    this.ended = new Promise((resolve) => worker.once('exit', () => resolve()));
    this.worker = worker;
    let settled = false;
    const done = (lineage: Record<string, ModelLineage> | null) => {
      if (settled) return;
      settled = true;
      this.settle(lineage);
    };
    worker.once('message', (reply: LineageReply) => done('lineage' in reply ? (JSON.parse(reply.lineage) as Record<string, ModelLineage>) : null));
    worker.once('error', () => done(null));
    worker.once('exit', () => done(null));
    worker.postMessage({ setup } satisfies LineageMessage);
  }

  /**
   * Every model's lineage of `manifest` (the project's nodes, sources and parent map): traced by
   * the worker, or here when it failed. `onModel` reports progress on the main thread only.
   */
  async trace(manifest: LineageProject, catalog: Catalog | null, onModel?: (done: number, count: number) => void): Promise<Record<string, ModelLineage>> {
    if (this.used) throw new Error('a LineageTracer traces once');
    this.used = true;
    if (this.worker === null) return traceHere(this.setup, { project: manifest, catalog }, onModel);
    const job: LineageJob = { project: lineageProject(manifest), catalog };
    this.worker.postMessage({ job: JSON.stringify(job) } satisfies LineageMessage);
    const lineage = await this.reply;
    if (lineage !== null) return lineage;
    void this.worker.terminate();
    return traceHere(this.setup, job, onModel);
  }

  /** Stops the worker if it was never sent a job (one that was finishes writing its cache). */
  cancel(): void {
    if (!this.used) void this.worker?.terminate();
    this.used = true;
  }
}

/** Every model's lineage of `manifest`, on a worker thread when there is one (started now), else on this thread. */
export function traceLineage(manifest: LineageProject, catalog: Catalog | null, parserDialect: string, targetDir: string, onModel?: (done: number, count: number) => void, script = workerScript()): Promise<Record<string, ModelLineage>> {
  return new LineageTracer({ parserDialect, targetDir }, script).trace(manifest, catalog, onModel);
}

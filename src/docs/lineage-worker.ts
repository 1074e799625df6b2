// The worker thread of lineage-tracer.ts: sent the setup first, it loads the SQL parser and reads
// the lineage cache while the main thread compiles; sent the job, it traces the lineage, replies
// with it (or the error), then writes the cache and ends. Bundled as lineage-worker.cjs beside the
// CLI (scripts/bundle-cli.ts).
import { parentPort } from 'node:worker_threads';
import type { LineageCache } from './column-lineage.js';
import { writeLineageCache } from './lineage-cache.js';
import { prepareLineage, runLineageJob, type LineageJob, type LineageMessage, type LineageReply, type LineageSetup } from './lineage-tracer.js';

let prepared: { setup: LineageSetup; cache: LineageCache } | null = null;

const onMessage = (message: LineageMessage) => {
  if ('setup' in message) {
    prepared = { setup: message.setup, cache: prepareLineage(message.setup) };
    return;
  }
  parentPort?.off('message', onMessage);
  let reply: LineageReply;
  try {
    if (prepared === null) throw new Error('the lineage worker was sent a job before its setup');
    reply = { lineage: JSON.stringify(runLineageJob(prepared.setup, prepared.cache, JSON.parse(message.job) as LineageJob)) };
  } catch (err) {
    reply = { error: String((err as Error)?.stack ?? err) };
  }
  parentPort?.postMessage(reply);
  if ('lineage' in reply && prepared) writeLineageCache(prepared.setup.targetDir, prepared.cache);
};
parentPort?.on('message', onMessage);

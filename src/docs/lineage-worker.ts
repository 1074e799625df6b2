// The worker thread of lineage-tracer.ts: traces the lineage of the job it is sent and replies
// with it (or the error). Bundled as lineage-worker.cjs beside the CLI (scripts/bundle-cli.ts).
import { parentPort } from 'node:worker_threads';
import { runLineageJob, type LineageJob, type LineageReply } from './lineage-tracer.js';

parentPort?.once('message', (job: LineageJob) => {
  let reply: LineageReply;
  try {
    reply = { lineage: runLineageJob(job) };
  } catch (err) {
    reply = { error: String((err as Error)?.stack ?? err) };
  }
  parentPort?.postMessage(reply);
});

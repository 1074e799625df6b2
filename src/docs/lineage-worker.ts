// The worker thread of lineage-tracer.ts: traces the lineage of the job it is sent and replies
// with it (or the error). Bundled as lineage-worker.cjs beside the CLI (scripts/bundle-cli.ts).
import { parentPort } from 'node:worker_threads';
import { runLineageJob, type LineageJob, type LineageMessage, type LineageReply } from './lineage-tracer.js';

parentPort?.once('message', (message: LineageMessage) => {
  let reply: LineageReply;
  try {
    reply = { lineage: JSON.stringify(runLineageJob(JSON.parse(message.job) as LineageJob)) };
  } catch (err) {
    reply = { error: String((err as Error)?.stack ?? err) };
  }
  parentPort?.postMessage(reply);
});

// Moves one Kafka topic into its source table, exactly once. Messages are gathered per partition
// into batches (`batch_size` messages or `batch_ms` milliseconds, whichever comes first); each batch
// is written with the partition's next offset by a BatchWriter, and the consumer starts from the
// positions stored in the warehouse (never from Kafka's committed offsets), so a crash at any
// instant neither loses nor duplicates an event. A write slot with nothing to write takes what the
// partitions buffer before it is due, once that is a quarter of `batch_size` (write-groups.ts).
// Batches are written while fetching goes on (one partition's after the other, up to the target's
// threads at once; the batches of several partitions due while those writes run go together in the
// next, write-groups.ts, each partition's position checked and stored in its transaction as when
// written alone); a partition's fetching waits
// while its buffer holds a full batch, the one being written included (back-pressure: a slow
// warehouse slows the consumer, memory stays at about one batch per partition). A retriable
// warehouse error is retried with backoff. A run with `untilEnd` stops at
// the end offsets seen when it started (`tsdbt load --once`).
import type { Adapter } from '../adapters/adapter.js';
import type { BatchWriter } from './batch-writer.js';
import type { KafkaSourceSpec } from './kafka-source.js';
import { growHeapForLoad } from './heap-growth.js';
import { batchWriterFor, lockedLoaderTables, topicWatermarks, type LoadOptions, type LoadResult } from './load-setup.js';
import { SourceLoad } from './source-load.js';

export { deadLetterTable, OFFSETS_TABLE } from './loader-tables.js';
export type { LoadOptions, LoadResult } from './load-setup.js';

/** Loads one Kafka-fed source. */
export async function loadSource(adapter: Adapter, spec: KafkaSourceSpec, options: LoadOptions): Promise<LoadResult> {
  growHeapForLoad();
  // The topic's log ranges are read from Kafka while the warehouse makes the loader tables (a
  // failure of either is reported as before: the tables' first).
  const watermarks = topicWatermarks(spec, options);
  watermarks.catch(() => undefined); // met below, unless the tables fail first
  const tables = await lockedLoaderTables(adapter, spec);
  const writer: BatchWriter = batchWriterFor(adapter, tables, spec);
  const [stored, ends] = await Promise.all([writer.positions(), watermarks]);
  const load = new SourceLoad(spec, options, writer, tables, Math.max(1, adapter.target.threads));
  await load.startPositions(stored, ends);
  if (options.untilEnd && load.positions.pending().length === 0) return load.result;
  // What the first write asks the catalog, read (on a second connection) while the first fetches arrive.
  const prepared = writer.prepare?.();
  const progress = options.onProgress && options.progressMs ? setInterval(() => options.onProgress?.(load.result), options.progressMs) : null;
  try {
    await load.consumeUntilEnded();
  } finally {
    if (progress) clearInterval(progress);
    await load.stop();
    await prepared;
  }
  return load.finished();
}

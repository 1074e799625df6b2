// Moves one Kafka topic into its source table, exactly once. Messages are gathered per partition
// into batches (`batch_size` messages or `batch_ms` milliseconds, whichever comes first); each batch
// is written with the partition's next offset by a BatchWriter, and the consumer starts from the
// positions stored in the warehouse (never from Kafka's committed offsets), so a crash at any
// instant neither loses nor duplicates an event. Batches are written while fetching goes on (one
// partition's after the other, up to the target's threads at once); a partition's fetching waits
// while its buffer holds a full batch, the one being written included (back-pressure: a slow
// warehouse slows the consumer, memory stays at about one batch per partition). A retriable
// warehouse error is retried with backoff. A run with `untilEnd` stops at
// the end offsets seen when it started (`tsdbt load --once`).
import type { Adapter } from '../adapters/adapter.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { batchWriterFor, type BatchOutcome, type BatchWriter } from './batch-writer.js';
import type { ConsumerControl, KafkaConsumerHandle, KafkaMessage, KafkaTransport, PartitionBatch, Watermark } from './kafka-client.js';
import { decideFetch } from './fetch-position.js';
import type { KafkaSourceSpec } from './kafka-source.js';
import { ensureLoaderTables } from './loader-tables.js';
import { checkPosition, type LogRange } from './offset-range.js';
import { withRetries, type RetryOptions } from './write-retries.js';

export { deadLetterTable, OFFSETS_TABLE } from './loader-tables.js';

export interface LoadResult {
  /** New rows written. */
  loaded: number;
  /** Messages whose key was already loaded (redeliveries, producer retries). */
  duplicates: number;
  /** Messages written to the dead-letter table instead. */
  deadLetters: number;
  /** Messages read. */
  messages: number;
  /** Offsets passed over without a readable message: transaction markers, aborted or compacted messages, retention. */
  gaps: number;
  /** Messages that will never be loaded: deleted by retention first, or passed over by `offset_reset: latest`. */
  lost: number;
  /** Messages per partition still to load: the newest offset seen minus the loaded position. */
  lag: Record<number, number>;
}

/** `attempts`, `onRetry` and `signal` (continuous mode stops when aborted) as the writes' retries read them. */
export interface LoadOptions extends RetryOptions {
  transport: KafkaTransport;
  /** Stop at the end offsets seen at the start (`--once`). */
  untilEnd: boolean;
  /** For messages: where the brokers are. */
  brokersLabel?: string;
  /** Told every `progressMs` while the source loads. */
  onProgress?: (result: LoadResult) => void;
  progressMs?: number;
  /** Told when the log moved under a stored position and offset_reset went on elsewhere. */
  onWarning?: (message: string) => void;
  /** Told of rebalances, seeks and writes (`--debug`). */
  debug?: (message: string) => void;
}

interface PartitionBuffer {
  messages: KafkaMessage[];
  /** When the oldest buffered message arrived (ms), 0 when empty. */
  since: number;
  timer: NodeJS.Timeout | null;
  /** Flushes of this partition, one after the other. */
  chain: Promise<void>;
  /** A flush is on the chain and has not started: later calls join it. */
  flushQueued: boolean;
  /** That flush writes everything buffered when it starts, not only full batches. */
  flushAll: boolean;
}

/** Loads one Kafka-fed source. */
export async function loadSource(adapter: Adapter, spec: KafkaSourceSpec, options: LoadOptions): Promise<LoadResult> {
  const result: LoadResult = { loaded: 0, duplicates: 0, deadLetters: 0, messages: 0, gaps: 0, lost: 0, lag: {} };
  // Several loaders may start at once: one creates the tables while the others wait on its lock
  // (CREATE TABLE IF NOT EXISTS alone races on PostgreSQL's catalog).
  const tables = await adapter.withConnection((conn) =>
    conn.transaction(async (tx) => {
      await adapter.lockRelation(tx, adapter.relation({ database: spec.source.database, schema: spec.source.schema, identifier: spec.source.identifier, type: 'table' }));
      return ensureLoaderTables(adapter, tx, spec);
    }),
  );
  const writer: BatchWriter = batchWriterFor(adapter, tables, spec);
  const stored = await writer.positions();
  const watermarks = async (): Promise<Watermark[]> => {
    try {
      return await options.transport.watermarks(spec.topic);
    } catch (err) {
      throw new TsdbtError(`cannot read topic '${spec.topic}' from Kafka at ${options.brokersLabel ?? 'the brokers'}: ${(err as Error).message}`, {
        code: 'kafka-unreachable',
        category: 'database',
        retriable: true,
        hint: 'check --brokers (or TSDBT_KAFKA_BROKERS, or kafka.brokers in the profile target) and that the topic exists',
        cause: err,
      });
    }
  };
  const ends = await watermarks();
  const subject = (partition: number) => ({
    source: `${spec.source.source_name}.${spec.source.name}`,
    topic: spec.topic,
    partition,
    offsetsTable: tables.offsets.render(),
    groupId: spec.groupId,
    location: { file: spec.source.original_file_path, line: spec.source.line },
  });
  /**
   * A stored position outside the partition's log: offset_reset says where to go on (stored in the
   * warehouse at once, so the loss is reported once) or fails. Returns the position to go on from.
   */
  const inRange = async (partition: number, position: number, range: LogRange): Promise<number> => {
    const decision = checkPosition(position, range, spec.offsetReset, subject(partition));
    if (decision.action === 'keep') return position;
    if (decision.action === 'fail') throw decision.error;
    const now = await writer.reposition(partition, position, decision.to);
    if (now === decision.to) {
      result.lost += decision.lost;
      options.onWarning?.(decision.message);
    }
    return now;
  };
  // Where each partition resumes: the warehouse's stored position, else the configured start.
  const next = new Map<number, number>();
  const end = new Map<number, number>();
  /** The newest offset + 1 seen per partition (for lag). */
  const high = new Map<number, number>();
  /** Where a partition nobody has written yet starts (earliest: its low watermark). */
  const initial = new Map<number, number>();
  /** The earliest readable offset per partition at the start (retention deleted what is below). */
  const low = new Map<number, number>();
  for (const w of ends) {
    low.set(w.partition, w.low);
    initial.set(w.partition, spec.start === 'earliest' ? w.low : w.high);
    const position = stored.get(w.partition);
    next.set(w.partition, position === undefined ? (initial.get(w.partition) as number) : await inRange(w.partition, position, w));
    end.set(w.partition, w.high);
    high.set(w.partition, w.high);
  }
  const updateLag = () => {
    for (const [partition, position] of next) result.lag[partition] = Math.max(0, (high.get(partition) ?? 0) - position);
  };
  updateLag();
  const pending = (only?: Set<number>) => [...next.entries()].filter(([p, n]) => n < (end.get(p) ?? 0) && (!only || only.has(p)));
  if (options.untilEnd && pending().length === 0) return result;
  /** The partitions this member owns (members of one group share them), known after joining. */
  let assigned: Set<number> | null = null;
  const buffers = new Map<number, PartitionBuffer>();
  const bufferOf = (partition: number) => {
    let buffer = buffers.get(partition);
    if (!buffer) buffers.set(partition, (buffer = { messages: [], since: 0, timer: null, chain: Promise.resolve(), flushQueued: false, flushAll: false }));
    return buffer;
  };
  /** The next offset a partition's fetches should start at: after its buffer, else its position. */
  const resumeAt = (partition: number) => {
    const bufferedLast = buffers.get(partition)?.messages.at(-1);
    return bufferedLast ? bufferedLast.offset + 1 : (next.get(partition) ?? 0);
  };
  const progress = options.onProgress && options.progressMs ? setInterval(() => options.onProgress?.(result), options.progressMs) : null;

  let failure: unknown = null;
  let handle: KafkaConsumerHandle | null = null;
  /** The consumer being started: the load may end before it is (nothing left to read), and must still stop it. */
  let consuming: Promise<KafkaConsumerHandle | null> = Promise.resolve(null);
  try {
    await new Promise<void>((settle) => {
      // Once the load has ended nothing may schedule more work: a pending "are the other members
      // done?" re-check would otherwise poll the closed warehouse every 250 ms, keeping the
      // process alive after its summary.
      let ended = false;
      const resolve = () => {
        ended = true;
        settle();
      };
      const fail = (err: unknown) => {
        failure ??= err;
        resolve();
      };
      // --once ends when the whole topic is loaded up to the end offsets, not just this member's
      // partitions: another member may leave with work undone, and its partitions move here. The
      // warehouse's positions say what every member has written.
      let checking = false;
      const finishIfDone = () => {
        if (ended) return;
        if (options.signal?.aborted) return resolve();
        if (!options.untilEnd || !assigned || pending(assigned).length > 0 || checking) return;
        checking = true;
        void writer
          .positions()
          .then((latest) => {
            checking = false;
            const behind = [...end.entries()].filter(([p, last]) => (latest.get(p) ?? initial.get(p) ?? 0) < last);
            if (behind.length === 0) return resolve();
            options.debug?.(`${spec.topic}: waiting for ${behind.map(([p, last]) => `partition ${p} (at ${latest.get(p) ?? initial.get(p) ?? 0} of ${last})`).join(', ')}`);
            setTimeout(finishIfDone, 250);
          })
          .catch(() => {
            checking = false;
            setTimeout(finishIfDone, 250);
          });
      };
      options.signal?.addEventListener('abort', () => resolve(), { once: true });

      const record = (outcome: BatchOutcome, count: number) => {
        result.loaded += outcome.inserted;
        result.duplicates += outcome.duplicates;
        result.deadLetters += outcome.deadLetters;
        result.messages += count - outcome.skipped;
      };
      /**
       * Offsets without a readable message that the client passed over by itself (a fetch of only a
       * transaction marker, aborted or compacted messages), right after what the partition has read:
       * where such a run ends (+1). Kept until the buffer before it is written.
       */
      const passedTo = new Map<number, number>();
      /**
       * With nothing buffered, stores the position after such a run: a log that ends with a commit
       * marker has no message after it to move the position, and --once would wait for it forever.
       */
      const settlePassed = async (partition: number): Promise<void> => {
        const to = passedTo.get(partition);
        if (to === undefined || bufferOf(partition).messages.length) return;
        passedTo.delete(partition);
        const at = next.get(partition) ?? 0;
        if (at >= to) return;
        const now = await withRetries(() => writer.reposition(partition, at, to), options);
        if (now === to) {
          result.gaps += to - at;
          options.debug?.(`${spec.topic}/${partition}: offsets ${at}..${to - 1} hold no readable message (transaction markers, aborted or compacted messages): stored position ${to}`);
        }
        next.set(partition, Math.max(at, now));
        updateLag();
      };
      const onPassed = (partition: number, first: number | null, last: number) => {
        if (assigned && !assigned.has(partition)) return;
        const from = resumeAt(partition);
        if ((first ?? last) > from || last < from) return;
        passedTo.set(partition, Math.max(passedTo.get(partition) ?? 0, last + 1));
        const buffer = bufferOf(partition);
        buffer.chain = buffer.chain.then(() => settlePassed(partition)).then(finishIfDone, fail);
      };

      /**
       * Writes the partition's buffer in batches, after the writes already on its chain: everything
       * buffered when the flush starts (`all`), then while a full batch is there (messages keep
       * arriving while a batch is written). Calls made before a queued flush starts join it.
       */
      const flush = (partition: number, all: boolean): Promise<void> => {
        const buffer = bufferOf(partition);
        buffer.flushAll ||= all;
        if (buffer.flushQueued) return buffer.chain;
        buffer.flushQueued = true;
        buffer.chain = buffer.chain.then(async () => {
          buffer.flushQueued = false;
          let owed = buffer.flushAll ? buffer.messages.length : 0;
          buffer.flushAll = false;
          if (buffer.timer) clearTimeout(buffer.timer);
          buffer.timer = null;
          while ((owed > 0 || buffer.messages.length >= spec.batchSize) && buffer.messages.length > 0 && !failure) {
            const batch = buffer.messages.slice(0, spec.batchSize);
            owed -= batch.length;
            options.debug?.(`${spec.topic}/${partition}: writing offsets ${(batch[0] as KafkaMessage).offset}..${(batch[batch.length - 1] as KafkaMessage).offset}`);
            const outcome = await withRetries(() => writer.write(partition, batch), options);
            buffer.messages.splice(0, batch.length);
            record(outcome, batch.length);
            next.set(partition, (batch[batch.length - 1] as KafkaMessage).offset + 1);
            updateLag();
          }
          await settlePassed(partition);
          buffer.since = buffer.messages.length ? Date.now() : 0;
          if (buffer.messages.length) buffer.timer = setTimeout(() => void flush(partition, true).then(finishIfDone, fail), spec.batchMs);
        });
        return buffer.chain;
      };

      /** Reads the partition's log range again; when `expected` fell outside it, applies offset_reset and returns where to go on. */
      const recheck = async (partition: number, expected: number): Promise<number | null> => {
        // Brokers that cannot say: seek as decided (the next fetch asks again).
        const range = (await watermarks().catch(() => [] as Watermark[])).find((w) => w.partition === partition);
        if (!range || (expected >= range.low && expected <= range.high)) return null;
        // What is buffered is still readable here: write it, then move the stored position.
        await flush(partition, true);
        const position = resumeAt(partition);
        low.set(partition, range.low);
        const to = await inRange(partition, position, range);
        next.set(partition, to);
        updateLag();
        return to;
      };

      const onBatch = async ({ partition, messages: fetched, highWatermark, fetchedOffset }: PartitionBatch, control: ConsumerControl) => {
        options.debug?.(`${spec.topic}/${partition}: fetched ${fetched.length} messages from ${fetched[0]?.offset ?? '-'}`);
        if (assigned && !assigned.has(partition)) return;
        if (highWatermark !== undefined) high.set(partition, Math.max(high.get(partition) ?? 0, highWatermark));
        const buffer = bufferOf(partition);
        const expected = resumeAt(partition);
        const stop = options.untilEnd ? (end.get(partition) ?? 0) : Number.POSITIVE_INFINITY;
        const decision = decideFetch({ messages: fetched, fetchedOffset }, { expected, stop, low: low.get(partition) });
        if (decision.action === 'seek') {
          // Before the expected offset: already buffered or written. Past it (the consumer's
          // position was not moved back yet): writing it would skip messages. Unless the log
          // itself moved (retention past the expected offset, a recreated topic): then the client
          // reset its position, and seeking back would fetch out of range again and again.
          let offset = decision.offset;
          try {
            offset = await recheck(partition, expected) ?? offset;
          } catch (err) {
            fail(err);
            throw err;
          }
          options.debug?.(`${spec.topic}/${partition}: fetched from ${fetchedOffset ?? fetched[0]?.offset ?? '-'}, expected ${expected}: seeking to ${offset}`);
          control.seek(partition, offset);
          return;
        }
        const messages = decision.action === 'take' ? decision.messages : [];
        if (decision.action === 'take' && decision.gap > 0) {
          result.gaps += decision.gap;
          options.debug?.(`${spec.topic}/${partition}: ${decision.gap} offset${decision.gap === 1 ? '' : 's'} without a readable message (transaction markers, compaction or retention) from ${expected}`);
        }
        const last = messages[messages.length - 1];
        if (last) {
          buffer.messages.push(...messages);
          if (!buffer.since) buffer.since = Date.now();
          control.done(partition, last.offset);
        }
        const reachedEnd = options.untilEnd && buffer.messages.length > 0 && (last?.offset ?? -1) + 1 >= stop;
        const due = buffer.since > 0 && Date.now() - buffer.since >= spec.batchMs;
        if (buffer.messages.length >= spec.batchSize || due || reachedEnd) {
          // Batches are written while fetching goes on, one partition's after the other and up to
          // the target's threads at once. Back-pressure: this partition's next fetch waits while
          // its buffer holds a full batch, the one being written included.
          const writing = flush(partition, due || reachedEnd);
          if (buffer.messages.length >= spec.batchSize) {
            try {
              await writing;
            } catch (err) {
              fail(err);
              throw err;
            }
          } else void writing.then(finishIfDone, fail);
        } else if (buffer.messages.length && !buffer.timer) buffer.timer = setTimeout(() => void flush(partition, true).then(finishIfDone, fail), spec.batchMs);
        updateLag();
        finishIfDone();
      };

      consuming = options.transport
        .consume(
          spec.topic,
          {
            // The positions live in the warehouse, keyed by the source's group_id. The Kafka
            // consumer group (the same id) only shares the partitions among processes.
            groupId: spec.groupId,
            fromBeginning: spec.start === 'earliest',
            readUncommitted: spec.isolationLevel === 'read_uncommitted',
            onPassed,
            onRestart: (error, delayMs) => options.onRetry?.(new Error(`Kafka consumer stopped (${error.message}); rejoining the group`), 0, delayMs),
            onAssigned: (partitions) => {
              options.debug?.(`${spec.topic}: assigned partitions ${partitions.join(', ') || '(none)'}`);
              const owned = new Set(partitions);
              // Partitions that moved to another member: their unwritten buffers are dropped (the
              // new owner reads them again from the warehouse's position).
              for (const [partition, buffer] of buffers) {
                if (owned.has(partition)) continue;
                if (buffer.timer) clearTimeout(buffer.timer);
                buffers.delete(partition);
              }
              assigned = owned;
              // Each owned partition starts at the warehouse's position (another member may have
              // moved it since this process read the positions).
              void writer
                .positions()
                .then((latest) => {
                  for (const partition of partitions) {
                    const offset = Math.max(next.get(partition) ?? 0, latest.get(partition) ?? 0);
                    next.set(partition, offset);
                    const buffer = buffers.get(partition);
                    if (buffer?.messages.length && (buffer.messages[0] as KafkaMessage).offset !== offset) buffers.delete(partition);
                    // A kept buffer goes on after its last message (seeking to its start had the
                    // consumer fetch what it holds again).
                    handle?.seek(partition, resumeAt(partition));
                  }
                  updateLag();
                  finishIfDone();
                })
                .catch(fail);
            },
          },
          onBatch,
        )
        .then((h) => {
          handle = h;
          for (const partition of assigned ?? []) h.seek(partition, resumeAt(partition));
          finishIfDone();
          return h;
        })
        .catch((err: unknown) => {
          fail(err);
          return null;
        });
    });
  } finally {
    if (progress) clearInterval(progress);
    for (const buffer of buffers.values()) if (buffer.timer) clearTimeout(buffer.timer);
    // A stop lets the batches being written commit; messages still only buffered are simply read
    // again next time (their positions were never stored).
    await Promise.all([...buffers.values()].map((b) => b.chain.catch(() => undefined)));
    await (await consuming)?.stop().catch(() => undefined);
  }
  if (failure) throw failure;
  updateLag();
  return result;
}

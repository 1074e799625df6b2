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
import type { BatchOutcome, BatchWriter, PartitionWrite } from './batch-writer.js';
import type { ConsumerControl, KafkaConsumerHandle, KafkaTransport, PartitionBatch, Watermark } from './kafka-client.js';
import { decideRange, type RangeDecision } from './fetch-position.js';
import type { KafkaSourceSpec } from './kafka-source.js';
import { batchWriterFor, lockedLoaderTables, positionSubject, topicWatermarks, type LoadOptions, type LoadResult } from './load-setup.js';
import type { LoaderTables } from './loader-tables.js';
import { PackedMessages } from './packed-messages.js';
import { checkPosition, type LogRange } from './offset-range.js';
import { withRetries } from './write-retries.js';
import { PartitionBuffers, type PartitionBuffer } from './partition-buffers.js';
import { partitionsForIdleSlots, WriteGroups } from './write-groups.js';

export { deadLetterTable, OFFSETS_TABLE } from './loader-tables.js';
export type { LoadOptions, LoadResult } from './load-setup.js';

/** Loads one Kafka-fed source. */
export async function loadSource(adapter: Adapter, spec: KafkaSourceSpec, options: LoadOptions): Promise<LoadResult> {
  // The topic's log ranges are read from Kafka while the warehouse makes the loader tables (a
  // failure of either is reported as before: the tables' first).
  const watermarks = topicWatermarks(spec, options);
  watermarks.catch(() => undefined); // met below, unless the tables fail first
  const tables = await lockedLoaderTables(adapter, spec);
  const writer: BatchWriter = batchWriterFor(adapter, tables, spec);
  const [stored, ends] = await Promise.all([writer.positions(), watermarks]);
  const load = new SourceLoad(spec, options, writer, tables, Math.max(1, adapter.target.threads));
  await load.startPositions(stored, ends);
  if (options.untilEnd && load.pending().length === 0) return load.result;
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

/**
 * One source's load once its tables exist: where each partition stands, what each buffers, and the
 * consumer. The consumer's callbacks, the batch writes and their timers all read and move this
 * state, so it lives in one object; the callbacks handed out are bound (arrow properties).
 */
class SourceLoad {
  readonly result: LoadResult = { loaded: 0, duplicates: 0, deadLetters: 0, messages: 0, gaps: 0, lost: 0, lag: {} };
  // Where each partition resumes: the warehouse's stored position, else the configured start.
  private readonly next = new Map<number, number>();
  private readonly end = new Map<number, number>();
  /** The newest offset + 1 seen per partition (for lag). */
  private readonly high = new Map<number, number>();
  /** Where a partition nobody has written yet starts (earliest: its low watermark). */
  private readonly initial = new Map<number, number>();
  /** The earliest readable offset per partition at the start (retention deleted what is below). */
  private readonly low = new Map<number, number>();
  /** The partitions this member owns (members of one group share them), known after joining. */
  private assigned: Set<number> | null = null;
  private readonly buffers = new PartitionBuffers();
  /**
   * Offsets without a readable message that the client passed over by itself (a fetch of only a
   * transaction marker, aborted or compacted messages), right after what the partition has read:
   * where such a run ends (+1). Kept until the buffer before it is written.
   */
  private readonly passedTo = new Map<number, number>();
  private failure: unknown = null;
  private handle: KafkaConsumerHandle | null = null;
  /** The consumer being started: the load may end before it is (nothing left to read), and must still stop it. */
  private consuming: Promise<KafkaConsumerHandle | null> = Promise.resolve(null);
  // Once the load has ended nothing may schedule more work: a pending "are the other members
  // done?" re-check would otherwise poll the closed warehouse every 250 ms, keeping the
  // process alive after its summary.
  private ended = false;
  private settle: () => void = () => undefined;
  /** finishIfDone is reading the warehouse's positions. */
  private checking = false;

  constructor(
    private readonly spec: KafkaSourceSpec,
    private readonly options: LoadOptions,
    private readonly writer: BatchWriter,
    private readonly tables: LoaderTables,
    writeSlots: number,
  ) {
    // Where writeMany writes one batch after the other (no transactions), a write takes one batch.
    this.groups = new WriteGroups(this.writeGroup, writeSlots, writer.sharesTransactions ? spec.batchSize : 0, writer.sharesTransactions ? this.fillIdle : undefined);
  }

  /**
   * Due batches of several partitions, written together (write-groups.ts): up to `threads` writes
   * at once, each of up to `batch_size` messages.
   */
  private readonly groups: WriteGroups;

  /** One write of several partitions' batches (one transaction where the warehouse has them), retried as a whole. */
  private readonly writeGroup = async (writes: PartitionWrite[]): Promise<void> => {
    const { spec, options, writer } = this;
    const count = writes.reduce((sum, w) => sum + w.messages.length, 0);
    if (writes.length > 1) options.debug?.(`${spec.topic}: one write of ${count} messages of partitions ${writes.map((w) => w.partition).join(', ')}`);
    const outcome = await withRetries(() => writer.writeMany(writes), options);
    this.record(outcome, count);
  };

  /** Where each partition resumes: the warehouse's stored position (offset_reset applied when the log moved under it), else the configured start. */
  async startPositions(stored: Map<number, number>, ends: Watermark[]): Promise<void> {
    const { spec } = this;
    for (const w of ends) {
      this.low.set(w.partition, w.low);
      this.initial.set(w.partition, spec.start === 'earliest' ? w.low : w.high);
      const position = stored.get(w.partition);
      this.next.set(w.partition, position === undefined ? (this.initial.get(w.partition) as number) : await this.inRange(w.partition, position, w));
      this.end.set(w.partition, w.high);
      this.high.set(w.partition, w.high);
    }
    this.updateLag();
  }

  /**
   * A stored position outside the partition's log: offset_reset says where to go on (stored in the
   * warehouse at once, so the loss is reported once) or fails. Returns the position to go on from.
   */
  private async inRange(partition: number, position: number, range: LogRange): Promise<number> {
    const decision = checkPosition(position, range, this.spec.offsetReset, positionSubject(this.spec, this.tables, partition));
    if (decision.action === 'keep') return position;
    if (decision.action === 'fail') throw decision.error;
    const now = await this.writer.reposition(partition, position, decision.to);
    if (now === decision.to) {
      this.result.lost += decision.lost;
      this.options.onWarning?.(decision.message);
    }
    return now;
  }

  /** The lag of every partition, or of the one given (a fetch or a write moved only its own). */
  private updateLag(only?: number): void {
    if (only !== undefined) {
      const position = this.next.get(only);
      if (position !== undefined) this.result.lag[only] = Math.max(0, (this.high.get(only) ?? 0) - position);
      return;
    }
    for (const [partition, position] of this.next) this.result.lag[partition] = Math.max(0, (this.high.get(partition) ?? 0) - position);
  }

  /** The partitions (of `only`, when given) not yet loaded up to their end offsets. */
  pending(only?: Set<number>): [number, number][] {
    return [...this.next.entries()].filter(([p, n]) => n < (this.end.get(p) ?? 0) && (!only || only.has(p)));
  }

  /** Whether a partition of `only` is not yet loaded up to its end offset (pending() without its array: asked after every fetch). */
  private anyPending(only: Set<number>): boolean {
    for (const p of only) if ((this.next.get(p) ?? Number.POSITIVE_INFINITY) < (this.end.get(p) ?? 0)) return true;
    return false;
  }

  /** The next offset a partition's fetches should start at: after its buffer, else its position. */
  private resumeAt(partition: number): number {
    const bufferedLast = this.buffers.get(partition)?.messages.lastOffset;
    return bufferedLast !== undefined ? bufferedLast + 1 : (this.next.get(partition) ?? 0);
  }

  /** Runs the consumer until the load ends: loaded up to the end offsets (--once), aborted, or failed. */
  consumeUntilEnded(): Promise<void> {
    return new Promise<void>((settle) => {
      this.settle = settle;
      this.options.signal?.addEventListener('abort', () => this.endLoad(), { once: true });
      this.consuming = this.startConsumer();
    });
  }

  private endLoad(): void {
    this.ended = true;
    this.settle();
  }

  private readonly fail = (err: unknown): void => {
    this.failure ??= err;
    this.endLoad();
  };

  // --once ends when the whole topic is loaded up to the end offsets, not just this member's
  // partitions: another member may leave with work undone, and its partitions move here. The
  // warehouse's positions say what every member has written.
  private readonly finishIfDone = (): void => {
    const { spec, options } = this;
    if (this.ended) return;
    if (options.signal?.aborted) return this.endLoad();
    if (!options.untilEnd || !this.assigned || this.anyPending(this.assigned) || this.checking) return;
    this.checking = true;
    void this.writer
      .positions()
      .then((latest) => {
        this.checking = false;
        const behind = [...this.end.entries()].filter(([p, last]) => (latest.get(p) ?? this.initial.get(p) ?? 0) < last);
        if (behind.length === 0) return this.endLoad();
        options.debug?.(`${spec.topic}: waiting for ${behind.map(([p, last]) => `partition ${p} (at ${latest.get(p) ?? this.initial.get(p) ?? 0} of ${last})`).join(', ')}`);
        setTimeout(this.finishIfDone, 250);
      })
      .catch(() => {
        this.checking = false;
        setTimeout(this.finishIfDone, 250);
      });
  };

  /**
   * `--once` with a transport that can read without a group (fetch-reader.ts): every partition not
   * yet loaded, from its position to its end offset. Otherwise joins the consumer group; the
   * consumer hands over fetched batches, passed-over offsets and assignments.
   */
  private startConsumer(): Promise<KafkaConsumerHandle | null> {
    const { spec, options } = this;
    if (options.untilEnd && options.transport.read) return this.startReader(options.transport.read.bind(options.transport));
    return options.transport
      .consume(
        spec.topic,
        {
          // The positions live in the warehouse, keyed by the source's group_id. The Kafka
          // consumer group (the same id) only shares the partitions among processes.
          groupId: spec.groupId,
          fromBeginning: spec.start === 'earliest',
          readUncommitted: spec.isolationLevel === 'read_uncommitted',
          onPassed: this.onPassed,
          onRestart: (error, delayMs) => options.onRetry?.(new Error(`Kafka consumer stopped (${error.message}); rejoining the group`), 0, delayMs),
          onAssigned: this.onAssigned,
        },
        this.onBatch,
      )
      .then((h) => {
        this.handle = h;
        for (const partition of this.assigned ?? []) h.seek(partition, this.resumeAt(partition));
        this.finishIfDone();
        return h;
      })
      .catch((err: unknown) => {
        this.fail(err);
        return null;
      });
  }

  /** Reads the pending partitions without a consumer group: this load owns them all. */
  private startReader(read: NonNullable<KafkaTransport['read']>): Promise<KafkaConsumerHandle | null> {
    const { spec, options } = this;
    const pending = this.pending();
    this.assigned = new Set(pending.map(([partition]) => partition));
    options.debug?.(`${spec.topic}: reading partitions ${pending.map(([p]) => p).join(', ')} up to their end offsets (no consumer group)`);
    return read(
      spec.topic,
      {
        partitions: pending.map(([partition, from]) => ({ partition, from, to: this.end.get(partition) ?? 0 })),
        fromBeginning: spec.start === 'earliest',
        readUncommitted: spec.isolationLevel === 'read_uncommitted',
        onPassed: this.onPassed,
        onRestart: (error, delayMs) => options.onRetry?.(new Error(`Kafka fetch failed (${error.message}); retrying`), 0, delayMs),
        onFailed: this.fail,
      },
      this.onBatch,
    )
      .then((h) => {
        this.handle = h;
        this.finishIfDone();
        return h;
      })
      .catch((err: unknown) => {
        this.fail(err);
        return null;
      });
  }

  /** After a rebalance: drops the buffers of partitions that moved away, and starts each owned one at the warehouse's position. */
  private readonly onAssigned = (partitions: number[]): void => {
    this.options.debug?.(`${this.spec.topic}: assigned partitions ${partitions.join(', ') || '(none)'}`);
    const owned = new Set(partitions);
    // Partitions that moved to another member: their unwritten buffers are dropped (the
    // new owner reads them again from the warehouse's position).
    for (const [partition, buffer] of [...this.buffers.entries()]) {
      if (owned.has(partition)) continue;
      if (buffer.timer) clearTimeout(buffer.timer);
      this.buffers.delete(partition);
    }
    this.assigned = owned;
    // Each owned partition starts at the warehouse's position (another member may have
    // moved it since this process read the positions).
    void this.writer
      .positions()
      .then((latest) => {
        for (const partition of partitions) {
          const offset = Math.max(this.next.get(partition) ?? 0, latest.get(partition) ?? 0);
          this.next.set(partition, offset);
          const buffer = this.buffers.get(partition);
          if (buffer?.messages.length && buffer.messages.firstOffset !== offset) this.buffers.delete(partition);
          // A kept buffer goes on after its last message (seeking to its start had the
          // consumer fetch what it holds again).
          this.handle?.seek(partition, this.resumeAt(partition));
        }
        this.updateLag();
        this.finishIfDone();
      })
      .catch(this.fail);
  };

  /** One fetched batch of a partition: buffered, or the consumer moved to the offset expected; the buffer written when due. */
  private readonly onBatch = async (batch: PartitionBatch, control: ConsumerControl): Promise<void> => {
    const { spec, options } = this;
    const { partition, highWatermark, fetchedOffset } = batch;
    if (this.assigned && !this.assigned.has(partition)) return;
    // Packed by the reader already (fetch-reader.ts), else copied in here: buffered without an object per message.
    const fetched = batch.packed ?? PackedMessages.of(batch.messages);
    options.trace?.(`${spec.topic}/${partition}: fetched ${fetched.length} messages from ${fetched.length ? fetched.firstOffset : '-'}`);
    if (highWatermark !== undefined) this.high.set(partition, Math.max(this.high.get(partition) ?? 0, highWatermark));
    const buffer = this.buffers.of(partition);
    const expected = this.resumeAt(partition);
    const stop = options.untilEnd ? (this.end.get(partition) ?? 0) : Number.POSITIVE_INFINITY;
    const decision = decideRange(fetched.length, (i) => fetched.offsetAt(i), fetchedOffset, { expected, stop, low: this.low.get(partition) });
    if (decision.action === 'seek') {
      // Before the expected offset: already buffered or written. Past it (the consumer's
      // position was not moved back yet): writing it would skip messages. Unless the log
      // itself moved (retention past the expected offset, a recreated topic): then the client
      // reset its position, and seeking back would fetch out of range again and again.
      let offset = decision.offset;
      try {
        offset = await this.recheck(partition, expected) ?? offset;
      } catch (err) {
        this.fail(err);
        throw err;
      }
      options.debug?.(`${spec.topic}/${partition}: fetched from ${fetchedOffset ?? (fetched.length ? fetched.firstOffset : '-')}, expected ${expected}: seeking to ${offset}`);
      control.seek(partition, offset);
      return;
    }
    const last = this.take(partition, buffer, fetched, decision, expected, control);
    const backPressure = this.writeWhenDue(partition, buffer, last, stop);
    if (this.writer.sharesTransactions && this.groups.idle) this.fillIdle();
    if (backPressure) {
      try {
        await backPressure;
      } catch (err) {
        this.fail(err);
        throw err;
      }
    }
    this.updateLag(partition);
    this.finishIfDone();
  };

  /** Buffers the messages a fetch brought (counting the offsets it passed over); returns the offset of the last of them. */
  private take(partition: number, buffer: PartitionBuffer, fetched: PackedMessages, decision: Exclude<RangeDecision, { action: 'seek' }>, expected: number, control: ConsumerControl): number | undefined {
    const { spec, options } = this;
    if (decision.action !== 'take') return undefined;
    if (decision.gap > 0) {
      this.result.gaps += decision.gap;
      options.debug?.(`${spec.topic}/${partition}: ${decision.gap} offset${decision.gap === 1 ? '' : 's'} without a readable message (transaction markers, compaction or retention) from ${expected}`);
    }
    const taken = fetched.slice(decision.from, decision.to);
    this.buffers.push(buffer, taken);
    if (!buffer.since) buffer.since = Date.now();
    control.done(partition, taken.lastOffset);
    return taken.lastOffset;
  }

  /**
   * Starts writing the partition's buffer once it holds a full batch, waited `batch_ms`, or reached
   * the end offset (else arms the `batch_ms` timer). Returns the write when the buffer holds a full
   * batch: the partition's next fetch waits for it.
   */
  private writeWhenDue(partition: number, buffer: PartitionBuffer, last: number | undefined, stop: number): Promise<void> | null {
    const { spec, options } = this;
    const reachedEnd = options.untilEnd && buffer.messages.length > 0 && (last ?? -1) + 1 >= stop;
    const due = buffer.since > 0 && Date.now() - buffer.since >= spec.batchMs;
    if (buffer.messages.length >= spec.batchSize || due || reachedEnd) {
      // Batches are written while fetching goes on, one partition's after the other and up to
      // the target's threads at once. Back-pressure: this partition's next fetch waits while
      // its buffer holds a full batch, the one being written included.
      const writing = this.flush(partition, due || reachedEnd);
      if (buffer.messages.length >= spec.batchSize) return writing;
      void writing.then(this.finishIfDone, this.fail);
    } else if (buffer.messages.length && !buffer.timer) this.flushAfterBatchMs(partition, buffer);
    return null;
  }

  /**
   * A write slot is free and no batch waits for one: the partitions not being written give it what
   * they buffer (write-groups.ts' partitionsForIdleSlots), rather than leave the warehouse idle until
   * a batch is due. Writing so starts with the first fetches instead of `batch_ms` later.
   */
  private readonly fillIdle = (): void => {
    if (this.ended || this.failure) return;
    const free: [number, number][] = [];
    for (const [partition, buffer] of this.buffers.entries()) if (buffer.messages.length > 0 && !buffer.flushQueued && !buffer.writing) free.push([partition, buffer.messages.length]);
    for (const partition of partitionsForIdleSlots(free, this.spec.batchSize, this.groups.idleSlots)) void this.flush(partition, true).then(this.finishIfDone, this.fail);
  };

  /** Writes what the partition buffers once `batch_ms` has passed. */
  private flushAfterBatchMs(partition: number, buffer: PartitionBuffer): void {
    buffer.timer = setTimeout(() => void this.flush(partition, true).then(this.finishIfDone, this.fail), this.spec.batchMs);
  }

  /**
   * Writes the partition's buffer in batches, after the writes already on its chain: everything
   * buffered when the flush starts (`all`), then while a full batch is there (messages keep
   * arriving while a batch is written). Calls made before a queued flush starts join it.
   */
  private flush(partition: number, all: boolean): Promise<void> {
    const { spec, options } = this;
    const buffer = this.buffers.of(partition);
    buffer.flushAll ||= all;
    if (buffer.flushQueued) return buffer.chain;
    buffer.flushQueued = true;
    buffer.chain = buffer.chain.then(async () => {
      buffer.flushQueued = false;
      buffer.writing = true;
      let owed = buffer.flushAll ? buffer.messages.length : 0;
      buffer.flushAll = false;
      if (buffer.timer) clearTimeout(buffer.timer);
      buffer.timer = null;
      try {
        while ((owed > 0 || buffer.messages.length >= spec.batchSize) && buffer.messages.length > 0 && !this.failure) {
          const batch = buffer.messages.peekBatch(spec.batchSize);
          const last = batch.lastOffset as number;
          owed -= batch.length;
          options.debug?.(`${spec.topic}/${partition}: writing offsets ${batch.firstOffset}..${last}`);
          await this.groups.write(partition, batch);
          this.buffers.drop(buffer, batch.length);
          this.next.set(partition, last + 1);
          this.updateLag(partition);
        }
        await this.settlePassed(partition);
      } finally {
        buffer.writing = false;
      }
      buffer.since = buffer.messages.length ? Date.now() : 0;
      if (buffer.messages.length) this.flushAfterBatchMs(partition, buffer);
    });
    return buffer.chain;
  }

  private record(outcome: BatchOutcome, count: number): void {
    this.result.loaded += outcome.inserted;
    this.result.duplicates += outcome.duplicates;
    this.result.deadLetters += outcome.deadLetters;
    this.result.messages += count - outcome.skipped;
  }

  /** The client passed over offsets `first`..`last` without a readable message: right after what the partition has read, the position moves past them once the buffer before them is written. */
  private readonly onPassed = (partition: number, first: number | null, last: number): void => {
    if (this.assigned && !this.assigned.has(partition)) return;
    const from = this.resumeAt(partition);
    if ((first ?? last) > from || last < from) return;
    this.passedTo.set(partition, Math.max(this.passedTo.get(partition) ?? 0, last + 1));
    const buffer = this.buffers.of(partition);
    buffer.chain = buffer.chain.then(() => this.settlePassed(partition)).then(this.finishIfDone, this.fail);
  };

  /**
   * With nothing buffered, stores the position after a passed-over run (passedTo): a log that ends with a commit
   * marker has no message after it to move the position, and --once would wait for it forever.
   */
  private async settlePassed(partition: number): Promise<void> {
    const { spec, options, writer } = this;
    const to = this.passedTo.get(partition);
    if (to === undefined || this.buffers.of(partition).messages.length) return;
    this.passedTo.delete(partition);
    const at = this.next.get(partition) ?? 0;
    if (at >= to) return;
    const now = await withRetries(() => writer.reposition(partition, at, to), options);
    if (now === to) {
      this.result.gaps += to - at;
      options.debug?.(`${spec.topic}/${partition}: offsets ${at}..${to - 1} hold no readable message (transaction markers, aborted or compacted messages): stored position ${to}`);
    }
    this.next.set(partition, Math.max(at, now));
    this.updateLag();
  }

  /** Reads the partition's log range again; when `expected` fell outside it, applies offset_reset and returns where to go on. */
  private async recheck(partition: number, expected: number): Promise<number | null> {
    // Brokers that cannot say: seek as decided (the next fetch asks again).
    const range = (await topicWatermarks(this.spec, this.options).catch(() => [] as Watermark[])).find((w) => w.partition === partition);
    if (!range || (expected >= range.low && expected <= range.high)) return null;
    // What is buffered is still readable here: write it, then move the stored position.
    await this.flush(partition, true);
    const position = this.resumeAt(partition);
    this.low.set(partition, range.low);
    const to = await this.inRange(partition, position, range);
    this.next.set(partition, to);
    this.updateLag();
    return to;
  }

  /**
   * Stops the consumer once the load has ended. A stop lets the batches being written commit;
   * messages still only buffered are simply read again next time (their positions were never stored).
   */
  async stop(): Promise<void> {
    for (const buffer of this.buffers.values()) if (buffer.timer) clearTimeout(buffer.timer);
    await Promise.all([...this.buffers.values()].map((b) => b.chain.catch(() => undefined)));
    await (await this.consuming)?.stop().catch(() => undefined);
  }

  /** The load's result, or the failure that ended it. */
  finished(): LoadResult {
    if (this.failure) throw this.failure instanceof Error ? this.failure : new Error(String(this.failure));
    this.updateLag();
    return this.result;
  }
}

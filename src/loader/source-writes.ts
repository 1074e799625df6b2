// A source load's writes (source-load.ts hands it what each partition fetched): the partitions'
// buffers, when a buffer is due (batch_size, batch_ms, the end offset), the idle write slots it
// fills (write-groups.ts), the batches written in order per partition, the result's counts, and
// the position stored past offsets the client passed over.
import type { BatchOutcome, BatchWriter, PartitionWrite } from './batch-writer.js';
import type { KafkaSourceSpec } from './kafka-source.js';
import type { LoadPositions } from './load-positions.js';
import type { LoadOptions, LoadResult } from './load-setup.js';
import { PartitionBuffers, type PartitionBuffer } from './partition-buffers.js';
import { withRetries } from './write-retries.js';
import { partitionsForIdleSlots, WriteGroups } from './write-groups.js';

/** What the writes ask of the load they belong to. */
export interface LoadState {
  /** The load failed: no further batch is written. */
  failed(): boolean;
  /** The load ended or failed: no idle write slot is filled. */
  stopped(): boolean;
  /** A write finished: the load checks whether it is done. */
  written(): void;
  fail(err: unknown): void;
}

export class SourceWrites {
  /** What each partition fetched and has not written yet. */
  readonly buffers = new PartitionBuffers();
  /**
   * Offsets without a readable message that the client passed over by itself (a fetch of only a
   * transaction marker, aborted or compacted messages), right after what the partition has read:
   * where such a run ends (+1). Kept until the buffer before it is written.
   */
  private readonly passedTo = new Map<number, number>();
  /**
   * Due batches of several partitions, written together (write-groups.ts): up to `threads` writes
   * at once, each of up to `batch_size` messages.
   */
  private readonly groups: WriteGroups;

  constructor(
    private readonly spec: KafkaSourceSpec,
    private readonly options: LoadOptions,
    private readonly writer: BatchWriter,
    private readonly result: LoadResult,
    private readonly positions: LoadPositions,
    writeSlots: number,
    private readonly load: LoadState,
  ) {
    // Where writeMany writes one batch after the other (no transactions), a write takes one batch.
    this.groups = new WriteGroups(this.writeGroup, writeSlots, writer.sharesTransactions ? spec.batchSize : 0, writer.sharesTransactions ? this.fillIdle : undefined);
  }

  private readonly done = (): void => this.load.written();
  private readonly fail = (err: unknown): void => this.load.fail(err);

  /** One write of several partitions' batches (one transaction where the warehouse has them), retried as a whole. */
  private readonly writeGroup = async (writes: PartitionWrite[]): Promise<void> => {
    const { spec, options, writer } = this;
    const count = writes.reduce((sum, w) => sum + w.messages.length, 0);
    if (writes.length > 1) options.debug?.(`${spec.topic}: one write of ${count} messages of partitions ${writes.map((w) => w.partition).join(', ')}`);
    const outcome = await withRetries(() => writer.writeMany(writes), options);
    this.record(outcome, count);
  };

  /** The next offset a partition's fetches should start at: after its buffer, else its position. */
  resumeAt(partition: number): number {
    const bufferedLast = this.buffers.get(partition)?.messages.lastOffset;
    return bufferedLast !== undefined ? bufferedLast + 1 : (this.positions.next.get(partition) ?? 0);
  }

  /**
   * Starts writing the partition's buffer once it holds a full batch, waited `batch_ms`, or reached
   * the end offset (else arms the `batch_ms` timer). Returns the write when the buffer holds a full
   * batch: the partition's next fetch waits for it. A free write slot then takes what is buffered.
   */
  writeWhenDue(partition: number, buffer: PartitionBuffer, last: number | undefined, stop: number): Promise<void> | null {
    const { spec, options } = this;
    const reachedEnd = options.untilEnd && buffer.messages.length > 0 && (last ?? -1) + 1 >= stop;
    const due = buffer.since > 0 && Date.now() - buffer.since >= spec.batchMs;
    let backPressure: Promise<void> | null = null;
    if (buffer.messages.length >= spec.batchSize || due || reachedEnd) {
      // Batches are written while fetching goes on, one partition's after the other and up to
      // the target's threads at once. Back-pressure: this partition's next fetch waits while
      // its buffer holds a full batch, the one being written included.
      const writing = this.flush(partition, due || reachedEnd);
      if (buffer.messages.length >= spec.batchSize) backPressure = writing;
      else void writing.then(this.done, this.fail);
    } else if (buffer.messages.length && !buffer.timer) this.flushAfterBatchMs(partition, buffer);
    if (this.writer.sharesTransactions && this.groups.idle) this.fillIdle();
    return backPressure;
  }

  /**
   * A write slot is free and no batch waits for one: the partitions not being written give it what
   * they buffer (write-groups.ts' partitionsForIdleSlots), rather than leave the warehouse idle until
   * a batch is due. Writing so starts with the first fetches instead of `batch_ms` later.
   */
  private readonly fillIdle = (): void => {
    if (this.load.stopped()) return;
    const free: [number, number][] = [];
    for (const [partition, buffer] of this.buffers.entries()) if (buffer.messages.length > 0 && !buffer.flushQueued && !buffer.writing) free.push([partition, buffer.messages.length]);
    for (const partition of partitionsForIdleSlots(free, this.spec.batchSize, this.groups.idleSlots)) this.flushThenCheck(partition);
  };

  /** Writes what the partition buffers, then has the load check whether it is done. */
  private flushThenCheck(partition: number): void {
    void this.flush(partition, true).then(this.done, this.fail);
  }

  /** Writes what the partition buffers once `batch_ms` has passed. */
  private flushAfterBatchMs(partition: number, buffer: PartitionBuffer): void {
    buffer.timer = setTimeout(() => this.flushThenCheck(partition), this.spec.batchMs);
  }

  /**
   * Writes the partition's buffer in batches, after the writes already on its chain: everything
   * buffered when the flush starts (`all`), then while a full batch is there (messages keep
   * arriving while a batch is written). Calls made before a queued flush starts join it.
   */
  flush(partition: number, all: boolean): Promise<void> {
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
        while ((owed > 0 || buffer.messages.length >= spec.batchSize) && buffer.messages.length > 0 && !this.load.failed()) {
          const batch = buffer.messages.peekBatch(spec.batchSize);
          const last = batch.lastOffset as number;
          owed -= batch.length;
          options.debug?.(`${spec.topic}/${partition}: writing offsets ${batch.firstOffset}..${last}`);
          await this.groups.write(partition, batch);
          this.buffers.drop(buffer, batch.length);
          this.positions.next.set(partition, last + 1);
          this.positions.updateLag(partition);
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
  passedOver(partition: number, first: number | null, last: number): void {
    const from = this.resumeAt(partition);
    if ((first ?? last) > from || last < from) return;
    this.passedTo.set(partition, Math.max(this.passedTo.get(partition) ?? 0, last + 1));
    const buffer = this.buffers.of(partition);
    buffer.chain = buffer.chain.then(() => this.settlePassed(partition)).then(this.done, this.fail);
  }

  /**
   * With nothing buffered, stores the position after a passed-over run (passedTo): a log that ends with a commit
   * marker has no message after it to move the position, and --once would wait for it forever.
   */
  private async settlePassed(partition: number): Promise<void> {
    const { spec, options, writer } = this;
    const to = this.passedTo.get(partition);
    if (to === undefined || this.buffers.of(partition).messages.length) return;
    this.passedTo.delete(partition);
    const at = this.positions.next.get(partition) ?? 0;
    if (at >= to) return;
    const now = await withRetries(() => writer.reposition(partition, at, to), options);
    if (now === to) {
      this.result.gaps += to - at;
      options.debug?.(`${spec.topic}/${partition}: offsets ${at}..${to - 1} hold no readable message (transaction markers, aborted or compacted messages): stored position ${to}`);
    }
    this.positions.next.set(partition, Math.max(at, now));
    this.positions.updateLag();
  }

  /** The partition moved to another member: its unwritten buffer is dropped (the new owner reads it again from the warehouse's position). */
  drop(partition: number): void {
    const buffer = this.buffers.get(partition);
    if (buffer?.timer) clearTimeout(buffer.timer);
    this.buffers.delete(partition);
  }

  /** The load ended: no timer writes again, and the writes under way finish (failed ones are the load's failure already). */
  async settle(): Promise<void> {
    for (const buffer of this.buffers.values()) if (buffer.timer) clearTimeout(buffer.timer);
    await Promise.all([...this.buffers.values()].map((b) => b.chain.catch(() => undefined)));
  }
}

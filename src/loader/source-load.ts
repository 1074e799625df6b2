// One source's load once its tables exist (kafka-loader.ts makes them and starts it): each fetch
// taken into its partition's buffer or the consumer moved, back-pressure on its fetches, rebalances,
// the end of a --once load, and offset_reset when the log moved under a partition. Where partitions
// stand is load-positions.ts; how the topic is read, load-consumer.ts; the buffers and their writes
// (batch_size, batch_ms, idle write slots, passed-over offsets), source-writes.ts.
import type { BatchWriter } from './batch-writer.js';
import type { ConsumerControl, KafkaConsumerHandle, PartitionBatch, Watermark } from './kafka-client.js';
import { decideRange, type RangeDecision } from './fetch-position.js';
import type { KafkaSourceSpec } from './kafka-source.js';
import { startConsumer } from './load-consumer.js';
import { LoadPositions } from './load-positions.js';
import { positionSubject, topicWatermarks, type LoadOptions, type LoadResult } from './load-setup.js';
import type { LoaderTables } from './loader-tables.js';
import { PackedMessages } from './packed-messages.js';
import { checkPosition, type LogRange } from './offset-range.js';
import type { PartitionBuffer } from './partition-buffers.js';
import { SourceWrites } from './source-writes.js';

/**
 * One source's load once its tables exist: where each partition stands, its buffers and their
 * writes (source-writes.ts), and the consumer. The consumer's callbacks read and move this state;
 * the callbacks handed out are bound (arrow properties).
 */
export class SourceLoad {
  readonly result: LoadResult = { loaded: 0, duplicates: 0, deadLetters: 0, messages: 0, gaps: 0, lost: 0, lag: {} };
  /** Where each partition stands (load-positions.ts); the lag it reports is the result's. */
  readonly positions = new LoadPositions(this.result.lag);
  /** The partitions this member owns (members of one group share them), known after joining. */
  private assigned: Set<number> | null = null;
  /** The partitions' buffers and their writes (source-writes.ts). */
  private readonly writes: SourceWrites;
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
    this.writes = new SourceWrites(spec, options, writer, this.result, this.positions, writeSlots, {
      failed: () => Boolean(this.failure),
      stopped: () => this.ended || Boolean(this.failure),
      written: () => this.finishIfDone(),
      fail: (err) => this.fail(err),
    });
  }

  /** Where each partition resumes: the warehouse's stored position (offset_reset applied when the log moved under it), else the configured start. */
  async startPositions(stored: Map<number, number>, ends: Watermark[]): Promise<void> {
    const { spec } = this;
    for (const w of ends) {
      this.positions.low.set(w.partition, w.low);
      this.positions.initial.set(w.partition, spec.start === 'earliest' ? w.low : w.high);
      const position = stored.get(w.partition);
      this.positions.next.set(w.partition, position === undefined ? (this.positions.initial.get(w.partition) as number) : await this.inRange(w.partition, position, w));
      this.positions.end.set(w.partition, w.high);
      this.positions.high.set(w.partition, w.high);
    }
    this.positions.updateLag();
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
    if (!options.untilEnd || !this.assigned || this.positions.anyPending(this.assigned) || this.checking) return;
    this.checking = true;
    void this.writer
      .positions()
      .then((latest) => {
        this.checking = false;
        const behind = this.positions.behind(latest);
        if (behind.length === 0) return this.endLoad();
        options.debug?.(`${spec.topic}: waiting for ${behind.map(([p, last]) => `partition ${p} (at ${this.positions.storedOrInitial(latest, p)} of ${last})`).join(', ')}`);
        setTimeout(this.finishIfDone, 250);
      })
      .catch(() => {
        this.checking = false;
        setTimeout(this.finishIfDone, 250);
      });
  };

  /** Starts the consumer (load-consumer.ts): a reader of the pending partitions under `--once`, else a member of the consumer group. */
  private startConsumer(): Promise<KafkaConsumerHandle | null> {
    return startConsumer(this.spec, this.options, this.positions, {
      onBatch: this.onBatch,
      onPassed: this.onPassed,
      onAssigned: this.onAssigned,
      fail: this.fail,
      own: (partitions) => (this.assigned = partitions),
      started: (h, group) => {
        this.handle = h;
        if (group) for (const partition of this.assigned ?? []) h.seek(partition, this.writes.resumeAt(partition));
        this.finishIfDone();
      },
    });
  }

  /** After a rebalance: drops the buffers of partitions that moved away, and starts each owned one at the warehouse's position. */
  private readonly onAssigned = (partitions: number[]): void => {
    this.options.debug?.(`${this.spec.topic}: assigned partitions ${partitions.join(', ') || '(none)'}`);
    const owned = new Set(partitions);
    // Partitions that moved to another member: their unwritten buffers are dropped (the
    // new owner reads them again from the warehouse's position).
    for (const [partition] of [...this.writes.buffers.entries()]) if (!owned.has(partition)) this.writes.drop(partition);
    this.assigned = owned;
    // Each owned partition starts at the warehouse's position (another member may have
    // moved it since this process read the positions).
    void this.writer
      .positions()
      .then((latest) => {
        for (const partition of partitions) {
          const offset = Math.max(this.positions.next.get(partition) ?? 0, latest.get(partition) ?? 0);
          this.positions.next.set(partition, offset);
          const buffer = this.writes.buffers.get(partition);
          if (buffer?.messages.length && buffer.messages.firstOffset !== offset) this.writes.buffers.delete(partition);
          // A kept buffer goes on after its last message (seeking to its start had the
          // consumer fetch what it holds again).
          this.handle?.seek(partition, this.writes.resumeAt(partition));
        }
        this.positions.updateLag();
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
    if (highWatermark !== undefined) this.positions.sawHigh(partition, highWatermark);
    const buffer = this.writes.buffers.of(partition);
    const expected = this.writes.resumeAt(partition);
    const stop = options.untilEnd ? (this.positions.end.get(partition) ?? 0) : Number.POSITIVE_INFINITY;
    const decision = decideRange(fetched.length, (i) => fetched.offsetAt(i), fetchedOffset, { expected, stop, low: this.positions.low.get(partition) });
    if (decision.action === 'seek') {
      // Before the expected offset: already buffered or written. Past it (the consumer's
      // position was not moved back yet): writing it would skip messages. Unless the log
      // itself moved (retention past the expected offset, a recreated topic): then the client
      // reset its position, and seeking back would fetch out of range again and again.
      const offset = (await this.failing(this.recheck(partition, expected))) ?? decision.offset;
      options.debug?.(`${spec.topic}/${partition}: fetched from ${fetchedOffset ?? (fetched.length ? fetched.firstOffset : '-')}, expected ${expected}: seeking to ${offset}`);
      control.seek(partition, offset);
      return;
    }
    const last = this.take(partition, buffer, fetched, decision, expected, control);
    const backPressure = this.writes.writeWhenDue(partition, buffer, last, stop);
    if (backPressure) await this.failing(backPressure);
    this.positions.updateLag(partition);
    this.finishIfDone();
  };

  /** What a fetch's callback waits for: its failure ends the load and reaches the consumer too. */
  private async failing<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (err) {
      this.fail(err);
      throw err;
    }
  }

  /** Buffers the messages a fetch brought (counting the offsets it passed over); returns the offset of the last of them. */
  private take(partition: number, buffer: PartitionBuffer, fetched: PackedMessages, decision: Exclude<RangeDecision, { action: 'seek' }>, expected: number, control: ConsumerControl): number | undefined {
    const { spec, options } = this;
    if (decision.action !== 'take') return undefined;
    if (decision.gap > 0) {
      this.result.gaps += decision.gap;
      options.debug?.(`${spec.topic}/${partition}: ${decision.gap} offset${decision.gap === 1 ? '' : 's'} without a readable message (transaction markers, compaction or retention) from ${expected}`);
    }
    const taken = fetched.slice(decision.from, decision.to);
    this.writes.buffers.push(buffer, taken);
    if (!buffer.since) buffer.since = Date.now();
    control.done(partition, taken.lastOffset);
    return taken.lastOffset;
  }

  /** The client passed over offsets `first`..`last` without a readable message: right after what the partition has read, the position moves past them once the buffer before them is written. */
  private readonly onPassed = (partition: number, first: number | null, last: number): void => {
    if (this.assigned && !this.assigned.has(partition)) return;
    this.writes.passedOver(partition, first, last);
  };

  /** Reads the partition's log range again; when `expected` fell outside it, applies offset_reset and returns where to go on. */
  private async recheck(partition: number, expected: number): Promise<number | null> {
    // Brokers that cannot say: seek as decided (the next fetch asks again).
    const range = (await topicWatermarks(this.spec, this.options).catch(() => [] as Watermark[])).find((w) => w.partition === partition);
    if (!range || (expected >= range.low && expected <= range.high)) return null;
    // What is buffered is still readable here: write it, then move the stored position.
    await this.writes.flush(partition, true);
    const position = this.writes.resumeAt(partition);
    this.positions.low.set(partition, range.low);
    const to = await this.inRange(partition, position, range);
    this.positions.next.set(partition, to);
    this.positions.updateLag();
    return to;
  }

  /**
   * Stops the consumer once the load has ended. A stop lets the batches being written commit;
   * messages still only buffered are simply read again next time (their positions were never stored).
   */
  async stop(): Promise<void> {
    await this.writes.settle();
    await (await this.consuming)?.stop().catch(() => undefined);
  }

  /** The load's result, or the failure that ended it. */
  finished(): LoadResult {
    if (this.failure) throw this.failure instanceof Error ? this.failure : new Error(String(this.failure));
    this.positions.updateLag();
    return this.result;
  }
}

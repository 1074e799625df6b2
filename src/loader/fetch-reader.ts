// How `tsdbt load --once` reads a topic: every partition from the position the warehouse stores to
// the end offset seen at the start, by fetching from each partition's leader directly, without
// joining a consumer group (joining costs the broker's initial rebalance delay, 3 s by default,
// before a byte is read; the positions live in the warehouse, so a group has nothing to give a
// --once run). Batches are handed over as a group member's are (kafka-client.ts' PartitionBatch,
// ConsumerControl): one partition's batches one after the other, several partitions' at once, a
// partition fetched again once its batch is handled (back-pressure). Each partition's record set is
// read straight into packed messages (record-batches.ts, no object per message): transaction markers
// and the messages of aborted transactions are dropped as kafkajs' consumer drops them; a fetch of
// nothing else is reported through `onPassed`. Exactly once does not rest on this reader:
// the batch writer checks the stored position in the write's transaction, so a concurrent group
// member or another --once run writing the same partition skips what is already written.
import type { ConsumerControl, KafkaConsumerHandle, KafkaMessage, PartitionBatch } from './kafka-message.js';
import { ReadPositions } from './fetch-position.js';
import { ISOLATION_LEVEL, type Cluster, type FetchedPartition, type KafkaJSError } from './kafkajs-internals.js';
import type { PackedMessages } from './packed-messages.js';
import { readRecordSet } from './record-batches.js';

export interface ReadRange {
  partition: number;
  /** The first offset to read. */
  from: number;
  /** Reading stops once the partition's position reaches it (a seek below it starts it again). */
  to: number;
}

export interface ReadOptions {
  partitions: ReadRange[];
  /** Also hand over messages of open and aborted transactions. */
  readUncommitted?: boolean;
  /** Where a partition goes on when the broker says its position is out of range (as the consumer: the log start, else its end). */
  fromBeginning: boolean;
  /** How long a fetch with nothing to read waits (ms). */
  maxWaitMs: number;
  onPassed?: (partition: number, first: number | null, last: number) => void;
  /** Told when a retriable error is retried after `delayMs`. */
  onRestart?: (error: Error, delayMs: number) => void;
  /** Told when reading stopped on an error (with the brokers that did not answer named). */
  onFailed: (error: Error) => void;
}

/** Broker errors after which the partitions' leaders are looked up again (the consumer's list). */
const STALE_METADATA = new Set(['LEADER_NOT_AVAILABLE', 'NOT_LEADER_FOR_PARTITION', 'FENCED_LEADER_EPOCH', 'UNKNOWN_LEADER_EPOCH', 'UNKNOWN_TOPIC_OR_PARTITION']);
const STALE_NAMES = new Set(['KafkaJSTopicMetadataNotLoaded', 'KafkaJSBrokerNotFound', 'KafkaJSConnectionClosedError', 'KafkaJSStaleTopicMetadataAssignment']);
/** Retriable errors in a row before the read fails. */
const MAX_RETRIES = 5;
const MAX_BYTES = 10 * 1024 * 1024;
const MAX_BYTES_PER_PARTITION = 1024 * 1024;

type OnBatch = (batch: PartitionBatch, control: ConsumerControl) => Promise<void>;

export class FetchReader {
  private readonly position = new Map<number, number>();
  private readonly end = new Map<number, number>();
  /** Bumped by a seek: a fetch sent before it is not handed over. */
  private readonly epoch = new Map<number, number>();
  /** Partitions whose batch is being handled (not fetched meanwhile). */
  private readonly busy = new Set<number>();
  private readonly handling = new Set<Promise<void>>();
  private readonly reading = new ReadPositions();
  private waiters: (() => void)[] = [];
  private stopped = false;
  /** Bumped when the leaders are looked up again: the fetch loops of the older lookup end. */
  private generation = 0;
  private failures = 0;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly cluster: Cluster,
    private readonly topic: string,
    private readonly options: ReadOptions,
    private readonly onBatch: OnBatch,
    /** The error to report for `err`, naming the brokers that did not answer. */
    private readonly explain: (err: unknown) => Error,
  ) {
    for (const { partition, from, to } of options.partitions) {
      this.position.set(partition, from);
      this.end.set(partition, to);
      this.reading.moved(partition, from);
    }
  }

  /** Connects and reads the topic's metadata (a failure throws), then reads until stopped. */
  async start(): Promise<KafkaConsumerHandle> {
    await this.cluster.connect();
    await this.cluster.addTargetTopic(this.topic);
    this.running = this.run().catch((err: unknown) => this.fail(err));
    return { seek: this.seek, stop: this.stop };
  }

  readonly seek = (partition: number, offset: number): void => {
    this.position.set(partition, offset);
    this.epoch.set(partition, (this.epoch.get(partition) ?? 0) + 1);
    this.reading.moved(partition, offset);
    this.wake();
  };

  readonly stop = async (): Promise<void> => {
    this.stopped = true;
    this.wake();
    await this.running;
    await Promise.all([...this.handling]);
    await this.cluster.disconnect().catch(() => undefined);
  };

  private readonly control: ConsumerControl = {
    seek: this.seek,
    done: (partition, offset) => {
      this.position.set(partition, offset + 1);
      this.reading.moved(partition, offset + 1);
    },
  };

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private nextWake(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private fail(err: unknown): void {
    if (this.stopped) return;
    this.stopped = true;
    this.wake();
    this.options.onFailed(this.explain(err));
  }

  /** One fetch loop per leader; all start again after the leaders were looked up again. */
  private async run(): Promise<void> {
    while (!this.stopped) {
      const generation = ++this.generation;
      const leaders = this.cluster.findLeaderForPartitions(this.topic, [...this.position.keys()]);
      if (Object.keys(leaders).length === 0) {
        await this.nextWake();
        continue;
      }
      await Promise.all(Object.entries(leaders).map(([nodeId, partitions]) => this.fetchLoop(nodeId, partitions, generation)));
    }
  }

  private due(partition: number): boolean {
    return !this.busy.has(partition) && (this.position.get(partition) ?? 0) < (this.end.get(partition) ?? 0);
  }

  /** Fetches the leader's partitions that are due, hands each partition's batch over, and fetches again. */
  private async fetchLoop(nodeId: string, partitions: number[], generation: number): Promise<void> {
    const { options, topic } = this;
    while (!this.stopped && this.generation === generation) {
      const due = partitions.filter((p) => this.due(p));
      if (due.length === 0) {
        await this.nextWake();
        continue;
      }
      const asked = due.map((partition) => ({ partition, fetchOffset: this.position.get(partition) as number, epoch: this.epoch.get(partition) ?? 0 }));
      let answer: FetchedPartition[];
      try {
        const broker = await this.cluster.findBroker({ nodeId });
        const { responses } = await broker.fetch({
          isolationLevel: options.readUncommitted ? ISOLATION_LEVEL.READ_UNCOMMITTED : ISOLATION_LEVEL.READ_COMMITTED,
          maxWaitTime: options.maxWaitMs,
          minBytes: 1,
          maxBytes: MAX_BYTES,
          topics: [{ topic, partitions: asked.map(({ partition, fetchOffset }) => ({ partition, fetchOffset: String(fetchOffset), maxBytes: MAX_BYTES_PER_PARTITION })) }],
        });
        answer = responses.find((r) => r.topicName === topic)?.partitions ?? [];
        this.failures = 0;
      } catch (err) {
        if (await this.recover(err as KafkaJSError)) return;
        continue;
      }
      if (this.stopped) return;
      for (const data of answer) {
        const request = asked.find((a) => a.partition === data.partition);
        // A seek since the fetch was sent: what it brought is not where the partition reads now.
        if (!request || request.epoch !== (this.epoch.get(data.partition) ?? 0)) continue;
        this.dispatch(data, request.fetchOffset);
      }
    }
  }

  /** Handles one partition's answer while the loops go on; the partition is fetched again once it is handled. */
  private dispatch(data: FetchedPartition, fetchOffset: number): void {
    const { partition } = data;
    this.busy.add(partition);
    const handled = this.handle(data, fetchOffset)
      .catch((err: unknown) => this.fail(err))
      .finally(() => {
        this.busy.delete(partition);
        this.handling.delete(handled);
        this.wake();
      });
    this.handling.add(handled);
  }

  private async handle(data: FetchedPartition, fetchOffset: number): Promise<void> {
    const { partition } = data;
    const read = await readRecordSet(data.recordSet, fetchOffset, data.abortedTransactions);
    if (read.messages.length > 0) return this.handOver(partition, read.messages, data.highWatermark, fetchOffset);
    // Only transaction markers, aborted or compacted messages: passed over, as kafkajs' consumer
    // passes them (its Batch's firstOffset and lastOffset: the fetched offset when no record is at
    // or after it).
    if (read.records > 0) {
      const first = read.firstWithin;
      const last = read.lastWithin ?? fetchOffset;
      this.position.set(partition, last + 1);
      this.reading.passed(partition, first, last);
      this.options.onPassed?.(partition, first, last);
    }
  }

  private handOver(partition: number, packed: PackedMessages, highWatermark: number, fetchOffset: number): Promise<void> {
    const fetchedOffset = this.reading.fetched(partition, fetchOffset);
    let messages: KafkaMessage[] | null = null;
    // The loader reads `packed`; the messages as objects are made only for a reader that asks.
    const batch: PartitionBatch = {
      partition,
      packed,
      highWatermark,
      fetchedOffset,
      get messages() {
        return (messages ??= packed.toMessages());
      },
    };
    return this.onBatch(batch, this.control);
  }

  /**
   * After a failed fetch: looks the leaders up again (true: this loop ends, the loops start again),
   * moves an out-of-range partition to the log start or end, retries a retriable error after a
   * backoff, or fails the read.
   */
  private async recover(err: KafkaJSError): Promise<boolean> {
    if (this.stopped) return true;
    if (err.name === 'KafkaJSOffsetOutOfRange' && err.partition !== undefined) {
      // The next batch is handed over as fetched from there: the loader sees where the log moved
      // and applies offset_reset (source-load.ts' recheck).
      const [reset] = await this.cluster.fetchTopicsOffset([{ topic: this.topic, fromBeginning: this.options.fromBeginning, partitions: [{ partition: err.partition }] }]);
      const offset = Number(reset?.partitions.find((p) => p.partition === err.partition)?.offset);
      if (Number.isFinite(offset)) {
        this.position.set(err.partition, offset);
        this.reading.moved(err.partition, offset);
        return false;
      }
    }
    if (this.failures >= MAX_RETRIES || (!STALE_METADATA.has(err.type ?? '') && !STALE_NAMES.has(err.name) && !err.retriable)) {
      this.fail(err);
      return true;
    }
    const delay = Math.min(30_000, 500 * 2 ** this.failures++);
    this.options.onRestart?.(err, delay);
    await new Promise((resolve) => setTimeout(resolve, delay));
    if (!STALE_METADATA.has(err.type ?? '') && !STALE_NAMES.has(err.name)) return false;
    if (err.name === 'KafkaJSConnectionClosedError' && err.host && err.port) this.cluster.removeBroker({ host: err.host, port: err.port });
    await this.cluster.refreshMetadata();
    this.generation++;
    this.wake();
    return true;
  }
}

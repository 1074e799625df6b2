// The loader's view of Kafka, small enough that the client library can be swapped: partition
// watermarks, and a consumer that hands over one partition's batch at a time and can seek.
// Implemented on kafkajs (pure JavaScript: installs instantly and speaks to every broker tested,
// including librdkafka's mock cluster; no release since 2023, hence this seam).
import type { KafkaConnectionSettings } from './kafka-connection.js';
import { BrokerSockets } from './broker-sockets.js';
import { ReadPositions } from './fetch-position.js';
import { FetchReader, type ReadOptions } from './fetch-reader.js';
import { createCluster } from './kafkajs-internals.js';
import { Kafka, logLevel, type Consumer, type EachBatchPayload, type KafkaConfig, type Producer } from 'kafkajs';

import type { ConsumerControl, KafkaConsumerHandle, KafkaMessage, PartitionBatch } from './kafka-message.js';

export type { ConsumerControl, KafkaConsumerHandle, KafkaMessage, PartitionBatch };

export interface Watermark {
  partition: number;
  low: number;
  high: number;
}

export interface KafkaTransport {
  watermarks(topic: string): Promise<Watermark[]>;
  /** Sends messages (keyed, so one key always lands in one partition), waiting for the brokers' acks. */
  produce(topic: string, messages: { key: string; value: string }[]): Promise<void>;
  /** Closes the producer, if one was opened. */
  close(): Promise<void>;
  /**
   * Joins `groupId` (members of one group share the partitions) and hands over batches.
   * `onAssigned` is told the partitions this member owns after every rebalance.
   */
  consume(
    topic: string,
    options: {
      groupId: string;
      fromBeginning: boolean;
      /** Also hand over messages of open and aborted transactions (default: only committed ones). */
      readUncommitted?: boolean;
      /** Told when the client passed over offsets `first`..`last` (`first` null: none at or after the fetched offset) holding no readable message. */
      onPassed?: (partition: number, first: number | null, last: number) => void;
      onAssigned?: (partitions: number[]) => void;
      /** Told when the consumer died of an error and rejoins after `delayMs`. */
      onRestart?: (error: Error, delayMs: number) => void;
    },
    onBatch: (batch: PartitionBatch, control: ConsumerControl) => Promise<void>,
  ): Promise<KafkaConsumerHandle>;
  /**
   * Reads the partitions given from their positions to their end offsets without joining a
   * consumer group (`tsdbt load --once`; fetch-reader.ts), handing batches over as `consume` does.
   * Transports without it are read through `consume`.
   */
  read?(topic: string, options: Omit<ReadOptions, 'maxWaitMs'>, onBatch: (batch: PartitionBatch, control: ConsumerControl) => Promise<void>): Promise<KafkaConsumerHandle>;
}

export interface KafkaTransportOptions extends KafkaConnectionSettings {
  /** How long an empty fetch waits (ms). */
  maxWaitMs?: number;
  /** Partitions whose batches are handled at the same time (the warehouse's threads). */
  concurrency?: number;
}

/** How long opening a connection to a broker may take (dbt-postgres' connect_timeout is 10 s too). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** How long a broker may take to answer a request (Kafka's own request.timeout.ms default). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export function kafkajsTransport(options: KafkaTransportOptions): KafkaTransport {
  const timeouts = { connectMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, requestMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS };
  const sockets = new BrokerSockets(timeouts);
  const kafka = kafkaClient(options, sockets, timeouts);
  let producer: Promise<Producer> | null = null;
  return {
    async produce(topic, messages) {
      producer ??= (async () => {
        const p = kafka.producer({ allowAutoTopicCreation: true, idempotent: false });
        await p.connect();
        return p;
      })();
      try {
        await (await producer).send({ topic, messages, acks: -1 });
      } catch (err) {
        throw sockets.wrap(err);
      }
    },

    async close() {
      if (producer) await (await producer).disconnect().catch(() => undefined);
      producer = null;
    },

    async watermarks(topic) {
      const admin = kafka.admin();
      try {
        await admin.connect();
        return (await admin.fetchTopicOffsets(topic)).map((w) => ({ partition: w.partition, low: Number(w.low), high: Number(w.high) }));
      } catch (err) {
        throw sockets.wrap(err);
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    },

    async consume(topic, consumeOptions, onBatch) {
      const member = new GroupMember(kafka, options, topic, consumeOptions, onBatch);
      try {
        await member.start();
      } catch (err) {
        throw sockets.wrap(err);
      }
      return { seek: member.seek, stop: member.stop };
    },

    async read(topic, readOptions, onBatch) {
      const cluster = createCluster({
        brokers: options.brokers,
        clientId: options.clientId ?? 'tsdbt',
        ssl: options.ssl,
        sasl: options.sasl as KafkaConfig['sasl'],
        connectionTimeout: timeouts.connectMs,
        requestTimeout: timeouts.requestMs,
        socketFactory: sockets.factory,
      });
      const reader = new FetchReader(cluster, topic, { ...readOptions, maxWaitMs: options.maxWaitMs ?? 200 }, onBatch, (err) => sockets.wrap(err));
      try {
        return await reader.start();
      } catch (err) {
        await cluster.disconnect().catch(() => undefined);
        throw sockets.wrap(err);
      }
    },
  };
}

/** The kafkajs client: the brokers' connection settings, its sockets opened through `sockets`. */
function kafkaClient(options: KafkaTransportOptions, sockets: BrokerSockets, timeouts: { connectMs: number; requestMs: number }): Kafka {
  return new Kafka({
    clientId: options.clientId ?? 'tsdbt',
    brokers: options.brokers,
    ssl: options.ssl,
    sasl: options.sasl as KafkaConfig['sasl'],
    connectionTimeout: timeouts.connectMs,
    requestTimeout: timeouts.requestMs,
    enforceRequestTimeout: true,
    socketFactory: sockets.factory,
    logLevel: process.env.TSDBT_KAFKA_LOG === 'debug' ? logLevel.DEBUG : logLevel.NOTHING,
    retry: { retries: 3 },
  });
}

type ConsumeOptions = Parameters<KafkaTransport['consume']>[1];

/**
 * One member of the consumer group, as KafkaTransport.consume hands it out: a kafkajs consumer
 * that hands over batches, replaced by a new one after a crash, until stopped. `seek` and `stop`
 * are bound (the handle passes them on).
 */
class GroupMember {
  private consumer: Consumer | null = null;
  private stopped = false;
  private failures = 0;
  private readonly reading = new ReadPositions();

  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkaTransportOptions,
    private readonly topic: string,
    private readonly consumeOptions: ConsumeOptions,
    private readonly onBatch: (batch: PartitionBatch, control: ConsumerControl) => Promise<void>,
  ) {}

  readonly seek = (partition: number, offset: number): void => {
    this.reading.moved(partition, offset);
    this.consumer?.seek({ topic: this.topic, partition, offset: String(offset) });
  };

  readonly stop = async (): Promise<void> => {
    this.stopped = true;
    await this.consumer?.disconnect();
  };

  /** Disconnects `c` when the handle was stopped meanwhile; true when it did. */
  private async stoppedMeanwhile(c: Consumer): Promise<boolean> {
    if (!this.stopped) return false;
    await c.disconnect().catch(() => undefined);
    return true;
  }

  /** Joins the group with a new consumer and runs it. */
  async start(): Promise<void> {
    if (this.stopped) return;
    const { groupId, fromBeginning, readUncommitted = false } = this.consumeOptions;
    const current = this.kafka.consumer({ groupId, readUncommitted, allowAutoTopicCreation: false, maxWaitTimeInMs: this.options.maxWaitMs ?? 200, sessionTimeout: 6000, rebalanceTimeout: 6000, heartbeatInterval: 1000 });
    this.consumer = current;
    this.listen(current);
    // stop() may come while this consumer is still connecting (a restart racing the end of a
    // --once load): then it is disconnected here, since stop() could not reach it yet.
    await current.connect();
    if (await this.stoppedMeanwhile(current)) return;
    await current.subscribe({ topic: this.topic, fromBeginning });
    if (await this.stoppedMeanwhile(current)) return;
    await current.run({
      autoCommit: false,
      partitionsConsumedConcurrently: Math.max(1, this.options.concurrency ?? 1),
      eachBatchAutoResolve: false,
      eachBatch: this.eachBatch,
    });
    await this.stoppedMeanwhile(current);
  }

  /** The consumer's events: a (re)join's assignment, offsets passed over, a crash. */
  private listen(current: Consumer): void {
    const { topic } = this;
    const { onPassed, onAssigned, onRestart } = this.consumeOptions;
    current.on(current.events.GROUP_JOIN, ({ payload }) => {
      this.failures = 0;
      this.reading.forget();
      onAssigned?.(payload.memberAssignment[topic] ?? []);
    });
    // A fetch of only transaction markers or aborted messages is passed over by kafkajs itself.
    current.on(current.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.topic !== topic || payload.batchSize !== 0) return;
      const first = payload.firstOffset == null ? null : Number(payload.firstOffset);
      this.reading.passed(payload.partition, first, Number(payload.lastOffset));
      onPassed?.(payload.partition, first, Number(payload.lastOffset));
    });
    // kafkajs restarts itself after retriable errors; after any other (a broker answering a
    // group request with an error it does not retry, as during a rebalance race) the consumer
    // is dead. Rejoin with a new one after a backoff instead of stalling.
    current.on(current.events.CRASH, ({ payload }) => {
      // Only the live consumer restarts, once: a replaced one (a late event of a consumer being
      // disconnected) must not start a second member that nothing would ever stop.
      if (payload.restart || this.stopped || this.consumer !== current) return;
      this.consumer = null;
      const delay = Math.min(30_000, 500 * 2 ** this.failures++);
      onRestart?.(payload.error, delay);
      void current
        .disconnect()
        .catch(() => undefined)
        .then(() => new Promise((r) => setTimeout(r, delay)))
        .then(() => (this.stopped ? undefined : this.start()))
        .catch(() => undefined);
    });
  }

  /** Hands one fetched batch over, with the offset it was fetched from; then heartbeats. */
  private readonly eachBatch = async (payload: EachBatchPayload): Promise<void> => {
    const { batch } = payload;
    const messages = batch.messages.map((m) => ({ offset: Number(m.offset), key: m.key, value: m.value }));
    // Not in kafkajs' types, but set on every batch: the offset the fetch asked for.
    const asked = Number((batch as unknown as { fetchedOffset?: string }).fetchedOffset);
    const fetchedOffset = Number.isFinite(asked) ? this.reading.fetched(batch.partition, asked) : undefined;
    const done = (partition: number, offset: number) => {
      this.reading.moved(partition, offset + 1);
      payload.resolveOffset(String(offset));
    };
    await this.onBatch({ partition: batch.partition, messages, highWatermark: Number(batch.highWatermark), fetchedOffset }, { seek: this.seek, done });
    await payload.heartbeat();
  };
}

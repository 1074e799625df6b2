// The loader's view of Kafka, small enough that the client library can be swapped: partition
// watermarks, and a consumer that hands over one partition's batch at a time and can seek.
// Implemented on kafkajs (pure JavaScript: installs instantly and speaks to every broker tested,
// including librdkafka's mock cluster; no release since 2023, hence this seam).
import { Kafka, logLevel, type Consumer, type EachBatchPayload } from 'kafkajs';

export interface KafkaMessage {
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
}

export interface PartitionBatch {
  partition: number;
  messages: KafkaMessage[];
}

export interface Watermark {
  partition: number;
  low: number;
  high: number;
}

export interface ConsumerControl {
  seek(partition: number, offset: number): void;
  /** Everything up to and including `offset` is written (Kafka-side bookkeeping only). */
  done(partition: number, offset: number): void;
}

export interface KafkaConsumerHandle {
  seek(partition: number, offset: number): void;
  stop(): Promise<void>;
}

export interface KafkaTransport {
  watermarks(topic: string): Promise<Watermark[]>;
  /**
   * Joins `groupId` (members of one group share the partitions) and hands over batches.
   * `onAssigned` is told the partitions this member owns after every rebalance.
   */
  consume(
    topic: string,
    options: { groupId: string; fromBeginning: boolean; onAssigned?: (partitions: number[]) => void },
    onBatch: (batch: PartitionBatch, control: ConsumerControl) => Promise<void>,
  ): Promise<KafkaConsumerHandle>;
}

export interface KafkaTransportOptions {
  brokers: string[];
  clientId?: string;
  /** How long an empty fetch waits (ms). */
  maxWaitMs?: number;
}

export function kafkajsTransport(options: KafkaTransportOptions): KafkaTransport {
  const kafka = new Kafka({ clientId: options.clientId ?? 'tsdbt', brokers: options.brokers, logLevel: logLevel.NOTHING, retry: { retries: 3 } });
  return {
    async watermarks(topic) {
      const admin = kafka.admin();
      try {
        await admin.connect();
        return (await admin.fetchTopicOffsets(topic)).map((w) => ({ partition: w.partition, low: Number(w.low), high: Number(w.high) }));
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    },

    async consume(topic, { groupId, fromBeginning, onAssigned }, onBatch) {
      const consumer: Consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: options.maxWaitMs ?? 200, sessionTimeout: 6000, rebalanceTimeout: 6000, heartbeatInterval: 1000 });
      if (onAssigned) consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => onAssigned(payload.memberAssignment[topic] ?? []));
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning });
      const seek = (partition: number, offset: number) => consumer.seek({ topic, partition, offset: String(offset) });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, heartbeat }: EachBatchPayload) => {
          const messages = batch.messages.map((m) => ({ offset: Number(m.offset), key: m.key, value: m.value }));
          await onBatch({ partition: batch.partition, messages }, { seek, done: (_p, offset) => resolveOffset(String(offset)) });
          await heartbeat();
        },
      });
      return { seek, stop: () => consumer.disconnect() };
    },
  };
}

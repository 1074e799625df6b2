// The parts of kafkajs below its consumer that `tsdbt load --once` reads through (fetch-reader.ts):
// the cluster (metadata, the leader of each partition, its connections with their timeouts), a
// broker's Fetch request, and the Batch that drops control records and aborted transactions' messages
// as the consumer does. Its consumer joins a group first, which costs the broker's initial rebalance
// delay (3 s) before a byte is read; --once reads its partitions itself and needs no group. These
// modules are not kafkajs' public API and it has had no release since 2023: package.json pins the
// exact version (2.2.4) these descriptions were written from (node_modules/kafkajs/src/cluster/index.js,
// broker/index.js, consumer/batch.js), and this is the one module that loads them (through
// createRequire: they have no type definitions).
import { createRequire } from 'node:module';
import type { ISocketFactory, KafkaConfig } from 'kafkajs';

const require = createRequire(import.meta.url);

/** One message of a fetch as kafkajs decodes it (offset as decimal text). */
export interface FetchedMessage {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  isControlRecord?: boolean;
}

/** A broker's answer for one partition. */
export interface FetchedPartition {
  partition: number;
  highWatermark: string;
  lastStableOffset?: string;
  abortedTransactions?: unknown[];
  messages: FetchedMessage[];
}

export interface FetchResponse {
  responses: { topicName: string; partitions: FetchedPartition[] }[];
}

export interface FetchBroker {
  fetch(request: {
    isolationLevel: number;
    maxWaitTime: number;
    minBytes: number;
    maxBytes: number;
    topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
  }): Promise<FetchResponse>;
}

export interface Cluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  refreshMetadata(): Promise<void>;
  findBroker(args: { nodeId: string }): Promise<FetchBroker>;
  /** Partitions by the node id of their leader. */
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  removeBroker(args: { host: string; port: number }): void;
  /** The earliest (`fromBeginning`) or latest offset of each partition. */
  fetchTopicsOffset(topics: { topic: string; fromBeginning: boolean; partitions: { partition: number }[] }[]): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
}

/** kafkajs' Batch: the messages of one partition's fetch a consumer hands over. */
export interface Batch {
  readonly messages: FetchedMessage[];
  isEmpty(): boolean;
  isEmptyDueToFiltering(): boolean;
  firstOffset(): string | null;
  lastOffset(): string;
}

type BatchClass = new (topic: string, fetchedOffset: string, partitionData: FetchedPartition) => Batch;

export const ISOLATION_LEVEL = require('kafkajs/src/protocol/isolationLevel.js') as { READ_UNCOMMITTED: number; READ_COMMITTED: number };

/** kafkajs' protocol errors carry the error's `type` (NOT_LEADER_FOR_PARTITION...), `retriable`, and for a closed connection the broker. */
export interface KafkaJSError extends Error {
  type?: string;
  retriable?: boolean;
  host?: string;
  port?: number;
  topic?: string;
  partition?: number;
}

export interface ClusterSettings {
  brokers: string[];
  clientId: string;
  ssl?: KafkaConfig['ssl'];
  sasl?: KafkaConfig['sasl'];
  connectionTimeout: number;
  requestTimeout: number;
  socketFactory: ISocketFactory;
}

/** A kafkajs cluster as its Kafka client makes one (enforced request timeouts, 3 retries, no logging). */
export function createCluster(settings: ClusterSettings): Cluster {
  const ClusterClass = require('kafkajs/src/cluster/index.js') as new (options: Record<string, unknown>) => Cluster;
  const { createLogger, LEVELS } = require('kafkajs/src/loggers/index.js') as { createLogger: (o: { level: number; logCreator: () => () => void }) => unknown; LEVELS: { NOTHING: number } };
  return new ClusterClass({
    ...settings,
    logger: createLogger({ level: LEVELS.NOTHING, logCreator: () => () => undefined }),
    enforceRequestTimeout: true,
    retry: { retries: 3 },
    allowAutoTopicCreation: false,
    metadataMaxAge: 300_000,
    offsets: new Map(),
  });
}

/** kafkajs' Batch of one partition's answer, fetched from `fetchedOffset`. */
export function batchOf(topic: string, fetchedOffset: number, partition: FetchedPartition): Batch {
  const BatchClass = require('kafkajs/src/consumer/batch.js') as BatchClass;
  return new BatchClass(topic, String(fetchedOffset), partition);
}

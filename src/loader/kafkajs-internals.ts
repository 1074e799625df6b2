// The parts of kafkajs below its consumer that `tsdbt load --once` reads through (fetch-reader.ts):
// the cluster (metadata, the leader of each partition, its connections with their timeouts), a
// broker's Fetch request with its answer left undecoded (fetch-response.ts reads the partitions'
// headers, record-batches.ts their records, instead of kafkajs' object per message), kafkajs'
// compression codecs (GZIP, and any codec a program registered in kafkajs' CompressionCodecs) and
// its decoder of the message sets of brokers older than Kafka 0.11. Its consumer joins a group
// first, which costs the broker's initial rebalance delay (3 s) before a byte is read; --once reads
// its partitions itself and needs no group. These modules are not kafkajs' public API and it has
// had no release since 2023: package.json pins the exact version (2.2.4) these descriptions were
// written from (node_modules/kafkajs/src/cluster/index.js, cluster/brokerPool.js, broker/index.js,
// protocol/requests/fetch/, protocol/message/compression/, protocol/messageSet/decoder.js), and
// this is the one module that loads them (through createRequire: they have no type definitions).
import { createRequire } from 'node:module';
import type { ISocketFactory, KafkaConfig } from 'kafkajs';
import { decodeFetchResponse, type FetchResponse } from './fetch-response.js';

export type { AbortedTransaction, FetchedPartition, FetchResponse } from './fetch-response.js';

const require = createRequire(import.meta.url);

/** One message of a legacy message set as kafkajs decodes it (offset as decimal text). */
export interface FetchedMessage {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
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

/**
 * A kafkajs cluster as its Kafka client makes one (enforced request timeouts, 3 retries, no
 * logging), whose brokers' `fetch` answers with each partition's record set undecoded.
 */
export function createCluster(settings: ClusterSettings): Cluster {
  const ClusterClass = require('kafkajs/src/cluster/index.js') as new (options: Record<string, unknown>) => Cluster;
  const { createLogger, LEVELS } = require('kafkajs/src/loggers/index.js') as { createLogger: (o: { level: number; logCreator: () => () => void }) => unknown; LEVELS: { NOTHING: number } };
  const cluster = new ClusterClass({
    ...settings,
    logger: createLogger({ level: LEVELS.NOTHING, logCreator: () => () => undefined }),
    enforceRequestTimeout: true,
    retry: { retries: 3 },
    allowAutoTopicCreation: false,
    metadataMaxAge: 300_000,
    offsets: new Map(),
  });
  // Every broker of the cluster (the seed broker too) is made by its pool's createBroker.
  const pool = (cluster as unknown as { brokerPool: { createBroker: (options: unknown) => KafkajsBroker } }).brokerPool;
  const createBroker = pool.createBroker;
  pool.createBroker = (options) => withRecordSetFetch(createBroker(options));
  return cluster;
}

/** What fetchRecordSets uses of a kafkajs Broker. */
interface KafkajsBroker extends FetchBroker {
  lookupRequest(apiKey: number, definition: unknown): (request: Record<string, unknown>) => ProtocolRequest;
  connectionPool: { send(request: ProtocolRequest): Promise<unknown> };
  disconnect(): Promise<void>;
}

interface ProtocolRequest {
  request: { apiVersion: number };
  response: { decode(payload: Buffer): Promise<unknown>; parse(data: unknown): Promise<unknown> };
  requestTimeout?: number;
}

const FETCH_API_KEY = (require('kafkajs/src/protocol/requests/apiKeys.js') as { Fetch: number }).Fetch;

/** The broker, its `fetch` replaced by fetchRecordSets. */
function withRecordSetFetch(broker: KafkajsBroker): KafkajsBroker {
  broker.fetch = (request) => fetchRecordSets(broker, request);
  return broker;
}

/**
 * kafkajs' Broker.fetch (broker/index.js) with the answer decoded by fetch-response.ts: the same
 * request at the version kafkajs chose, the partitions in a random order (KIP-74: the broker fills
 * the answer's byte budget in the request's order), partition errors thrown as kafkajs throws them
 * (its Fetch v0 `parse`: KafkaJSOffsetOutOfRange with the partition, else the code's error), and a
 * closed connection's broker disconnected.
 */
async function fetchRecordSets(broker: KafkajsBroker, request: Parameters<FetchBroker['fetch']>[0]): Promise<FetchResponse> {
  const { requests } = require('kafkajs/src/protocol/requests/index.js') as { requests: { Fetch: unknown } };
  const { parse } = require('kafkajs/src/protocol/requests/fetch/v0/response.js') as { parse: (data: unknown) => Promise<unknown> };
  const topics = request.topics.map(({ topic, partitions }) => ({ topic, partitions: shuffled(partitions) }));
  const protocol = broker.lookupRequest(FETCH_API_KEY, requests.Fetch)({ ...request, topics, rackId: '' });
  const version = protocol.request.apiVersion;
  const response = { decode: (payload: Buffer) => Promise.resolve(decodeFetchResponse(payload, version)), parse };
  try {
    return (await broker.connectionPool.send({ ...protocol, response })) as FetchResponse;
  } catch (err) {
    if ((err as Error).name === 'KafkaJSConnectionClosedError') await broker.disconnect();
    throw err;
  }
}

function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** A codec's decompression (kafkajs' own or one registered in its CompressionCodecs). */
export interface Codec {
  decompress(buffer: Buffer): Promise<Buffer>;
}

/** kafkajs' codec for a record batch's attributes (null: not compressed); throws kafkajs' KafkaJSNotImplemented for a codec nobody registered. */
export function codecOf(attributes: number): Codec | null {
  const { lookupCodecByAttributes } = require('kafkajs/src/protocol/message/compression/index.js') as { lookupCodecByAttributes: (attributes: number) => Codec | null };
  return lookupCodecByAttributes(attributes);
}

/** The messages of a legacy message set (magic 0 or 1, brokers before Kafka 0.11) as kafkajs decodes them. */
export async function legacyMessages(messageSet: Buffer): Promise<FetchedMessage[]> {
  const Decoder = require('kafkajs/src/protocol/decoder.js') as new (buffer: Buffer) => unknown;
  const decode = require('kafkajs/src/protocol/messageSet/decoder.js') as (decoder: unknown, size: number) => Promise<FetchedMessage[]>;
  return decode(new Decoder(messageSet), messageSet.length);
}

// What a source's load starts from and with: its options and result (LoadOptions, LoadResult), the
// batch writer the warehouse calls for, its loader tables (made under a lock), the topic's log
// ranges, and what an offset_reset decision names. The load itself is kafka-loader.ts (source-load.ts).
import type { Adapter } from '../adapters/adapter.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { appendOnlyBatchWriter } from './append-only-writer.js';
import { transactionalBatchWriter, type BatchWriter } from './batch-writer.js';
import type { KafkaTransport, Watermark } from './kafka-client.js';
import type { KafkaSourceSpec } from './kafka-source.js';
import { ensureLoaderTables, type LoaderTables } from './loader-tables.js';
import type { RetryOptions } from './write-retries.js';

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
  /** Told of rebalances, seeks and writes (dbt.log; the console with `--debug`). */
  debug?: (message: string) => void;
  /**
   * Told of every fetch (`--debug` only: a load of the bench's 1M events makes 6,400 fetches, and a
   * line each in dbt.log took 4% of its CPU).
   */
  trace?: (message: string) => void;
}

/** One transaction per write where the warehouse has them, else ordered idempotent inserts (batch-writer.ts, append-only-writer.ts). */
export function batchWriterFor(adapter: Adapter, tables: LoaderTables, spec: KafkaSourceSpec): BatchWriter {
  return adapter.capabilities.transactions ? transactionalBatchWriter(adapter, tables, spec) : appendOnlyBatchWriter(adapter, tables, spec);
}

/**
 * The source's loader tables, made if missing. Several loaders may start at once: one creates the
 * tables while the others wait on its lock (CREATE TABLE IF NOT EXISTS alone races on PostgreSQL's
 * catalog).
 */
export function lockedLoaderTables(adapter: Adapter, spec: KafkaSourceSpec): Promise<LoaderTables> {
  return adapter.withConnection((conn) =>
    conn.transaction(async (tx) => {
      await adapter.lockRelation(tx, adapter.relation({ database: spec.source.database, schema: spec.source.schema, identifier: spec.source.identifier, type: 'table' }));
      return ensureLoaderTables(adapter, tx, spec);
    }),
  );
}

/** The topic's partitions with their log ranges, or the error saying Kafka could not be read. */
export async function topicWatermarks(spec: KafkaSourceSpec, options: LoadOptions): Promise<Watermark[]> {
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
}

/** What an offset_reset decision about one partition's stored position names. */
export function positionSubject(spec: KafkaSourceSpec, tables: LoaderTables, partition: number) {
  return {
    source: `${spec.source.source_name}.${spec.source.name}`,
    topic: spec.topic,
    partition,
    offsetsTable: tables.offsets.render(),
    groupId: spec.groupId,
    location: { file: spec.source.original_file_path, line: spec.source.line },
  };
}

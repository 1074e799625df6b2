// How a load (source-load.ts) reads its topic: `--once` with a transport that can read without a
// group (fetch-reader.ts) reads every partition not yet loaded, from its position to its end offset;
// otherwise it joins the consumer group, whose consumer hands over fetched batches, passed-over
// offsets and assignments. Either way the load's callbacks (`ConsumerHooks`) receive what is read.
import type { ConsumerControl, KafkaConsumerHandle, KafkaTransport, PartitionBatch } from './kafka-client.js';
import type { KafkaSourceSpec } from './kafka-source.js';
import type { LoadPositions } from './load-positions.js';
import type { LoadOptions } from './load-setup.js';

/** The load's side of its consumer. */
export interface ConsumerHooks {
  onBatch: (batch: PartitionBatch, control: ConsumerControl) => Promise<void>;
  onPassed: (partition: number, first: number | null, last: number) => void;
  onAssigned: (partitions: number[]) => void;
  fail: (err: unknown) => void;
  /** Reading without a group: the load owns these partitions (told before the reader starts). */
  own: (partitions: Set<number>) => void;
  /** The consumer runs; `group`: it joined the consumer group (its assigned partitions are then moved to where the load resumes). */
  started: (handle: KafkaConsumerHandle, group: boolean) => void;
}

/** Starts the load's consumer; settles with its handle, or null once `hooks.fail` was told why it could not start. */
export function startConsumer(spec: KafkaSourceSpec, options: LoadOptions, positions: LoadPositions, hooks: ConsumerHooks): Promise<KafkaConsumerHandle | null> {
  if (options.untilEnd && options.transport.read) return startReader(spec, options, positions, hooks, options.transport.read.bind(options.transport));
  return options.transport
    .consume(
      spec.topic,
      {
        // The positions live in the warehouse, keyed by the source's group_id. The Kafka
        // consumer group (the same id) only shares the partitions among processes.
        groupId: spec.groupId,
        fromBeginning: spec.start === 'earliest',
        readUncommitted: spec.isolationLevel === 'read_uncommitted',
        onPassed: hooks.onPassed,
        onRestart: (error, delayMs) => options.onRetry?.(new Error(`Kafka consumer stopped (${error.message}); rejoining the group`), 0, delayMs),
        onAssigned: hooks.onAssigned,
      },
      hooks.onBatch,
    )
    .then((h) => {
      hooks.started(h, true);
      return h;
    })
    .catch((err: unknown) => {
      hooks.fail(err);
      return null;
    });
}

/** Reads the pending partitions without a consumer group: this load owns them all. */
function startReader(spec: KafkaSourceSpec, options: LoadOptions, positions: LoadPositions, hooks: ConsumerHooks, read: NonNullable<KafkaTransport['read']>): Promise<KafkaConsumerHandle | null> {
  const pending = positions.pending();
  hooks.own(new Set(pending.map(([partition]) => partition)));
  options.debug?.(`${spec.topic}: reading partitions ${pending.map(([p]) => p).join(', ')} up to their end offsets (no consumer group)`);
  return read(
    spec.topic,
    {
      partitions: pending.map(([partition, from]) => ({ partition, from, to: positions.end.get(partition) ?? 0 })),
      fromBeginning: spec.start === 'earliest',
      readUncommitted: spec.isolationLevel === 'read_uncommitted',
      onPassed: hooks.onPassed,
      onRestart: (error, delayMs) => options.onRetry?.(new Error(`Kafka fetch failed (${error.message}); retrying`), 0, delayMs),
      onFailed: hooks.fail,
    },
    hooks.onBatch,
  )
    .then((h) => {
      hooks.started(h, false);
      return h;
    })
    .catch((err: unknown) => {
      hooks.fail(err);
      return null;
    });
}

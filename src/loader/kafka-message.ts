// One message of a partition as the loader reads it, and how batches of them are handed over
// (kafka-client.ts and fetch-reader.ts hand them out; the fetch position and the batch writer read
// them): a module of its own so none of them imports another. A message is declared beside its
// packed form (packed-messages.ts), which imports nothing.
import type { KafkaMessage, PackedMessages } from './packed-messages.js';

export type { KafkaMessage };

export interface PartitionBatch {
  partition: number;
  messages: KafkaMessage[];
  /** The same messages packed, when the client read them so (fetch-reader.ts): the loader reads these instead. */
  packed?: PackedMessages;
  /** The partition's end offset (next offset to be produced) as the broker reported it. */
  highWatermark?: number;
  /**
   * The offset the batch was fetched from: no readable message lies between it and the first
   * message (offsets in between are transaction markers, aborted or compacted messages).
   */
  fetchedOffset?: number;
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

// One message of a partition as the loader reads it, and how batches of them are handed over
// (kafka-client.ts and fetch-reader.ts hand them out; the fetch position and the batch writer read
// them): a module of its own so none of them imports another.
export interface KafkaMessage {
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
}

export interface PartitionBatch {
  partition: number;
  messages: KafkaMessage[];
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

// One message of a partition as the loader reads it (kafka-client.ts hands them out; the fetch
// position and the batch writer read them): a module of its own so neither imports the other.
export interface KafkaMessage {
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
}

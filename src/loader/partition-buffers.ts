// What a load's writes (source-writes.ts) hold per partition: the messages fetched and not yet written
// (packed, message-queue.ts) and the state of their writes. Every message that enters or leaves a
// buffer goes through here.
import { MessageQueue } from './message-queue.js';
import type { PackedMessages } from './packed-messages.js';

export interface PartitionBuffer {
  /** Packed (message-queue.ts): a buffer holds few objects however many messages it holds. */
  messages: MessageQueue;
  /** When the oldest buffered message arrived (ms), 0 when empty. */
  since: number;
  timer: NodeJS.Timeout | null;
  /** Flushes of this partition, one after the other. */
  chain: Promise<void>;
  /** A flush is on the chain and has not started: later calls join it. */
  flushQueued: boolean;
  /** That flush writes everything buffered when it starts, not only full batches. */
  flushAll: boolean;
  /** A flush of this partition is running. */
  writing: boolean;
}

export class PartitionBuffers {
  private readonly buffers = new Map<number, PartitionBuffer>();

  /** The partition's buffer, made empty the first time. */
  of(partition: number): PartitionBuffer {
    let buffer = this.buffers.get(partition);
    if (!buffer) this.buffers.set(partition, (buffer = { messages: new MessageQueue(), since: 0, timer: null, chain: Promise.resolve(), flushQueued: false, flushAll: false, writing: false }));
    return buffer;
  }

  /** The partition's buffer, if it has one. */
  get(partition: number): PartitionBuffer | undefined {
    return this.buffers.get(partition);
  }

  /** Messages fetched: buffered. */
  push(buffer: PartitionBuffer, messages: PackedMessages): void {
    buffer.messages.pushPacked(messages);
  }

  /** The first `count` messages are written: dropped. */
  drop(buffer: PartitionBuffer, count: number): void {
    buffer.messages.drop(count);
  }

  /** The partition's buffer is dropped unwritten (the partition moved, or is read again from elsewhere); its timer is the caller's. */
  delete(partition: number): void {
    this.buffers.delete(partition);
  }

  entries(): IterableIterator<[number, PartitionBuffer]> {
    return this.buffers.entries();
  }

  values(): IterableIterator<PartitionBuffer> {
    return this.buffers.values();
  }
}

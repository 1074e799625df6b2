// A partition's buffered messages, packed (packed-messages.ts): each buffered fetch is a few
// objects (its bytes outside the JavaScript heap) instead of three objects per message that every
// young-generation collection copies while the batch waits for its write (bench/loader: most of
// the collector's time). A fetch read by `--once` arrives packed already; a group member's
// messages are copied in. A write takes its batch as a MessageBatch of the blocks.
import { MessageBatch, PackedMessages, type KafkaMessage } from './packed-messages.js';

/** Contiguous messages of one partition, oldest first. */
export class MessageQueue {
  private blocks: PackedMessages[] = [];
  /** Messages queued. */
  length = 0;

  /** Appends messages (copied: the queue keeps no reference to them or their buffers). */
  push(messages: readonly KafkaMessage[]): void {
    if (messages.length > 0) this.pushPacked(PackedMessages.of(messages));
  }

  /** Appends a packed block (kept as it is: its bytes must not change). */
  pushPacked(block: PackedMessages): void {
    if (block.length === 0) return;
    this.blocks.push(block);
    this.length += block.length;
  }

  /** The first message's offset (undefined when empty). */
  get firstOffset(): number | undefined {
    return this.blocks[0]?.firstOffset;
  }

  /** The last message's offset (undefined when empty). */
  get lastOffset(): number | undefined {
    return this.blocks[this.blocks.length - 1]?.lastOffset;
  }

  /** The first `count` messages (or all there are), left in the queue. */
  peekBatch(count: number): MessageBatch {
    const taken: PackedMessages[] = [];
    let rest = count;
    for (const block of this.blocks) {
      if (rest <= 0) break;
      const part = block.length <= rest ? block : block.slice(0, rest);
      taken.push(part);
      rest -= part.length;
    }
    return new MessageBatch(taken);
  }

  /** The first `count` messages (or all there are) as objects, left in the queue. */
  peek(count: number): KafkaMessage[] {
    return this.peekBatch(count).messages();
  }

  /** Removes the first `count` messages. */
  drop(count: number): void {
    let rest = Math.min(count, this.length);
    this.length -= rest;
    while (rest > 0) {
      const block = this.blocks[0] as PackedMessages;
      if (rest < block.length) {
        this.blocks[0] = block.slice(rest);
        return;
      }
      rest -= block.length;
      this.blocks.shift();
    }
  }
}

// Messages of one partition packed into a few objects: their keys' and values' bytes in one buffer,
// their offsets and the bounds of each key and value in typed arrays. `tsdbt load --once` decodes a
// fetch's record batches straight into this form (record-batches.ts), the partition buffer queues
// it (message-queue.ts) and the batch writer writes rows from it (batch-writer.ts), so a message
// is never an object of its own on the way from the broker's bytes to the COPY text, unless a
// slow path asks for one (`message(i)`: a dead letter, decode.ts' way). A MessageBatch is the run
// of such blocks one write takes.

/** One message of a partition as the loader reads it. */
export interface KafkaMessage {
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
}

/** Contiguous messages (increasing offsets): those at `start`..`end` of the arrays. */
export class PackedMessages {
  constructor(
    /** The keys' and values' bytes (other bytes may lie between them). */
    readonly bytes: Buffer,
    readonly offsets: Float64Array,
    /** Per message (slot 4 * index): key start, key end, value start, value end in `bytes` (start -1: null). */
    readonly bounds: Int32Array,
    readonly start = 0,
    readonly end = offsets.length,
  ) {}

  /** `messages` copied (the block keeps no reference to them or their buffers). */
  static of(messages: readonly KafkaMessage[]): PackedMessages {
    const count = messages.length;
    let size = 0;
    for (const m of messages) size += (m.key?.length ?? 0) + (m.value?.length ?? 0);
    const bytes = Buffer.allocUnsafe(size);
    const offsets = new Float64Array(count);
    const bounds = new Int32Array(count * 4);
    let at = 0;
    for (let i = 0; i < count; i++) {
      const m = messages[i] as KafkaMessage;
      offsets[i] = m.offset;
      at = pack(bytes, at, m.key, bounds, i * 4);
      at = pack(bytes, at, m.value, bounds, i * 4 + 2);
    }
    return new PackedMessages(bytes, offsets, bounds);
  }

  get length(): number {
    return this.end - this.start;
  }

  /** The offset of the message at `i` (0: the first of this block). */
  offsetAt(i: number): number {
    return this.offsets[this.start + i] as number;
  }

  get firstOffset(): number {
    return this.offsets[this.start] as number;
  }

  get lastOffset(): number {
    return this.offsets[this.end - 1] as number;
  }

  /** Messages `from`..`to` of this block (0: its first), viewing the same bytes. */
  slice(from: number, to = this.length): PackedMessages {
    if (from === 0 && to === this.length) return this;
    return new PackedMessages(this.bytes, this.offsets, this.bounds, this.start + from, this.start + to);
  }

  /** The message at `i` as an object (its key and value viewing the packed bytes, made when read). */
  message(i: number): KafkaMessage {
    return new PackedMessage(this.offsets[this.start + i] as number, this.bytes, this.bounds, (this.start + i) * 4);
  }

  /** Every message as an object (tests and slow paths). */
  toMessages(): KafkaMessage[] {
    return Array.from({ length: this.length }, (_v, i) => this.message(i));
  }
}

/** Copies `part` into `bytes` at `at`, its bounds into `bounds` at `slot`; returns where the next part goes. */
function pack(bytes: Buffer, at: number, part: Buffer | null, bounds: Int32Array, slot: number): number {
  if (part === null) {
    bounds[slot] = -1;
    bounds[slot + 1] = -1;
    return at;
  }
  bytes.set(part, at);
  bounds[slot] = at;
  bounds[slot + 1] = at + part.length;
  return at + part.length;
}

/** A packed message made again: its key and value are views of the packed bytes, made when read (most keys never are). */
class PackedMessage implements KafkaMessage {
  constructor(
    readonly offset: number,
    private readonly bytes: Buffer,
    private readonly bounds: Int32Array,
    private readonly slot: number,
  ) {}

  get key(): Buffer | null {
    return this.part(this.slot);
  }

  get value(): Buffer | null {
    return this.part(this.slot + 2);
  }

  private part(slot: number): Buffer | null {
    const start = this.bounds[slot] as number;
    return start < 0 ? null : this.bytes.subarray(start, this.bounds[slot + 1]);
  }
}

/** The messages one write takes: contiguous blocks of one partition, oldest first. */
export class MessageBatch {
  readonly length: number;

  constructor(readonly blocks: readonly PackedMessages[]) {
    let length = 0;
    for (const b of blocks) length += b.length;
    this.length = length;
  }

  /** The first message's offset (undefined when empty). */
  get firstOffset(): number | undefined {
    return this.blocks[0]?.firstOffset;
  }

  /** The last message's offset (undefined when empty). */
  get lastOffset(): number | undefined {
    return this.blocks[this.blocks.length - 1]?.lastOffset;
  }

  /** The messages from offset `offset` on. */
  from(offset: number): MessageBatch {
    const kept: PackedMessages[] = [];
    for (const block of this.blocks) {
      if (block.lastOffset < offset) continue;
      let i = 0;
      while (block.offsetAt(i) < offset) i++;
      kept.push(block.slice(i));
    }
    return new MessageBatch(kept);
  }

  /** Every message as an object (the slow paths: row by row after a refusal, warehouses without COPY text). */
  messages(): KafkaMessage[] {
    return this.blocks.flatMap((b) => b.toMessages());
  }
}

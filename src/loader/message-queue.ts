// A partition's buffered messages, packed: the keys and values of each fetch that is buffered are
// copied into one byte buffer, their offsets and bounds into typed arrays, so a buffer of thousands
// of messages is a few objects per fetch (their bytes outside the JavaScript heap) instead of
// three objects per message that every young-generation collection copies while the batch waits
// for its write (bench/loader: most of the collector's time). The messages of the batch being
// written are made again, as KafkaMessage objects viewing the packed bytes.
import type { KafkaMessage } from './kafka-message.js';

/** One buffered fetch's messages. */
interface Run {
  offsets: Float64Array;
  /** Per message: key start, key end, value start, value end in `bytes` (start -1: null). */
  bounds: Int32Array;
  bytes: Buffer;
  /** Messages of the run already dropped from the queue's front. */
  head: number;
}

/** Copies `part` into `bytes` at `at`, its bounds into `bounds` at `slot`; returns where the next part goes. */
function pack(bytes: Buffer, at: number, part: Buffer | null, bounds: Int32Array, slot: number): number {
  if (part === null) {
    bounds[slot] = -1;
    return at;
  }
  bytes.set(part, at);
  bounds[slot] = at;
  bounds[slot + 1] = at + part.length;
  return at + part.length;
}

/** A queued message made again: its key and value are views of the packed bytes, made when read (most keys never are). */
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

/** Contiguous messages of one partition, oldest first. */
export class MessageQueue {
  private runs: Run[] = [];
  /** Messages queued. */
  length = 0;

  /** Appends messages (copied: the queue keeps no reference to them or their buffers). */
  push(messages: readonly KafkaMessage[]): void {
    const count = messages.length;
    if (count === 0) return;
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
    this.runs.push({ offsets, bounds, bytes, head: 0 });
    this.length += count;
  }

  /** The first message's offset (undefined when empty). */
  get firstOffset(): number | undefined {
    const run = this.runs[0];
    return run ? run.offsets[run.head] : undefined;
  }

  /** The last message's offset (undefined when empty). */
  get lastOffset(): number | undefined {
    const run = this.runs[this.runs.length - 1];
    return run ? run.offsets[run.offsets.length - 1] : undefined;
  }

  /** The first `count` messages (or all there are), left in the queue. */
  peek(count: number): KafkaMessage[] {
    const out: KafkaMessage[] = [];
    for (const run of this.runs) {
      const { offsets, bounds, bytes } = run;
      for (let i = run.head; i < offsets.length && out.length < count; i++) {
        out.push(new PackedMessage(offsets[i] as number, bytes, bounds, i * 4));
      }
      if (out.length >= count) break;
    }
    return out;
  }

  /** Removes the first `count` messages. */
  drop(count: number): void {
    let rest = Math.min(count, this.length);
    this.length -= rest;
    while (rest > 0) {
      const run = this.runs[0] as Run;
      const left = run.offsets.length - run.head;
      if (rest < left) {
        run.head += rest;
        return;
      }
      rest -= left;
      this.runs.shift();
    }
  }
}

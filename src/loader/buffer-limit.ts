// How many messages a `--once` load buffers across all its partitions before fetching waits
// (kafka-loader.ts): each partition's own limit is a full batch, so 64 partitions could hold 64
// batches, and the fetches of a topic with a long backlog ran ahead of the writes in one burst at
// the start (the whole topic read into memory while the writes waited for the main thread). With
// this limit the fetching goes on as the writes take the messages, a few batches ahead of them.
/** The messages buffered across partitions; `room()` waits while they are `most` or more. */
export class BufferLimit {
  private count = 0;
  private waiters: (() => void)[] = [];
  private closed = false;

  constructor(readonly most: number) {}

  /** Messages were buffered. */
  added(n: number): void {
    this.count += n;
  }

  /** Messages left the buffers (written, or dropped): a waiting fetch goes on once there is room. */
  removed(n: number): void {
    this.count -= n;
    if (this.count < this.most) this.wake();
  }

  /** Messages buffered now. */
  get buffered(): number {
    return this.count;
  }

  /** Resolves once fewer than `most` messages are buffered (at once when the limit is closed). */
  async room(): Promise<void> {
    while (!this.closed && this.count >= this.most) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** The load ended or failed: nothing waits any more. */
  close(): void {
    this.closed = true;
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/**
 * The limit of a load writing `batchSize` messages a write through `slots` write connections: two
 * writes' worth per slot, so every slot finds a full write ready while the next fetches arrive.
 */
export function bufferLimitFor(batchSize: number, slots: number): BufferLimit {
  return new BufferLimit(2 * batchSize * Math.max(1, slots));
}

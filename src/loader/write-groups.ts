// Gathers the batches partitions have due into shared writes (group commit): a partition's batch
// waits while every write slot (the target's threads) is busy, and the next free slot takes every
// waiting partition's batch at once, up to GROUP_BATCHES times `batch_size` messages, so a load of
// many partitions makes a few large transactions instead of many small ones (each costs the server
// CPU of its own: locks, position reads, the COPY's start and end, the offsets upsert, the commit;
// and concurrent small COPYs into one table contend for its extension lock and index pages).
// Batches due in the same turn of the event loop (the batch_ms timers of partitions fetched
// together) start together. A slot that a write leaves with nothing waiting is told (`onIdle`), and
// takes what partitions buffer (partitionsForIdleSlots). A partition has at most one batch waiting
// or in flight (its flush waits for the write), and a write never holds two batches of one
// partition: each partition's position is checked and stored in the write's transaction
// (batch-writer.ts), as when it was written alone. A write that fails (after its retries) fails the
// load: the batches still waiting then fail with it, unwritten, as a partition's flush starts no
// batch once the load failed.
import type { PartitionWrite } from './batch-writer.js';
import type { MessageBatch } from './packed-messages.js';

interface Waiting extends PartitionWrite {
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * A shared write takes waiting batches up to this many times `batch_size` messages. The bench's load
 * of 1M events (64 partitions, batch_size 10,000) made 112 writes at 1x and 46 at 4x, with 8-10%
 * less CPU in the server and in the loader; the messages are buffered either way (a partition's
 * back-pressure counts its own batch, not the write's).
 */
export const GROUP_BATCHES = 4;

export class WriteGroups {
  private waiting: Waiting[] = [];
  private running = 0;
  private scheduled = false;
  /** The first write's failure: every later write fails with it. */
  private failure: Error | null = null;
  /** The messages a write takes at most (a first batch larger than that goes alone). */
  private readonly maxMessages: number;

  constructor(
    /** Writes one group (retries included); its partitions' writes settle with it. */
    private readonly writeGroup: (writes: PartitionWrite[]) => Promise<void>,
    private readonly slots: number,
    /** A partition's batch size: a write takes up to GROUP_BATCHES of them together (0: one batch a write). */
    batchSize: number,
    /** Told when a write ended and left a slot with nothing waiting for it. */
    private readonly onIdle?: () => void,
  ) {
    this.maxMessages = batchSize * GROUP_BATCHES;
  }

  /** Whether a write could start at once: a slot is free and no batch waits for one. */
  get idle(): boolean {
    return this.idleSlots > 0;
  }

  /** The slots free with no batch waiting for them (0 once a write failed). */
  get idleSlots(): number {
    return this.failure === null && this.waiting.length === 0 && !this.scheduled ? this.slots - this.running : 0;
  }

  /** Writes the partition's batch together with what other partitions have due; settles once it is committed. */
  write(partition: number, messages: MessageBatch): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ partition, messages, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(this.start);
    });
  }

  private readonly start = (): void => {
    this.scheduled = false;
    while (this.running < this.slots && this.waiting.length > 0) {
      const group = this.takeGroup();
      this.running++;
      this.writeGroup(group.map(({ partition, messages }) => ({ partition, messages })))
        .then(
          () => group.forEach((w) => w.resolve()),
          (err: unknown) => {
            this.failure ??= err instanceof Error ? err : new Error(String(err));
            group.forEach((w) => w.reject(err));
            const waiting = this.waiting;
            this.waiting = [];
            waiting.forEach((w) => w.reject(err));
          },
        )
        .finally(() => {
          this.running--;
          this.start();
          if (this.idle) this.onIdle?.();
        });
    }
  };

  /** The oldest waiting batch, and every later one that still fits (one per partition). */
  private takeGroup(): Waiting[] {
    const group: Waiting[] = [];
    const rest: Waiting[] = [];
    const partitions = new Set<number>();
    let total = 0;
    for (const w of this.waiting) {
      const fits = group.length === 0 || (total + w.messages.length <= this.maxMessages && !partitions.has(w.partition));
      if (!fits) {
        rest.push(w);
        continue;
      }
      group.push(w);
      partitions.add(w.partition);
      total += w.messages.length;
    }
    this.waiting = rest;
    return group;
  }
}

/**
 * Which partitions a free write slot takes (source-writes.ts' fillIdle): of `free` (partition, messages
 * buffered and not being written), the largest first, up to `batchSize` messages shared among the
 * `idleSlots` free slots (partitions left can fill the next one); none while they hold less than a
 * quarter of `batchSize` together (that many small transactions would cost the warehouse more than
 * waiting).
 */
export function partitionsForIdleSlots(free: [number, number][], batchSize: number, idleSlots: number): number[] {
  const least = Math.ceil(batchSize / 4);
  let total = 0;
  for (const [, count] of free) total += count;
  if (total < least || idleSlots <= 0) return [];
  const most = Math.max(least, Math.min(batchSize, Math.ceil(total / idleSlots)));
  const taken: number[] = [];
  let count = 0;
  for (const [partition, buffered] of [...free].sort((x, y) => y[1] - x[1])) {
    if (count >= most) break;
    taken.push(partition);
    count += buffered;
  }
  return taken;
}

// What the loader does with one fetched batch of a partition, given where the partition stands:
// take the messages that come next, or move the consumer to the right offset first. Pure, so
// every case is testable without a broker.
//
// A partition's log may have gaps: offsets with no readable message (transaction commit/abort
// markers, aborted messages, compacted-away keys). A fetch asked for offset `fetchedOffset` and its
// first message is the first readable one at or after it, so when `fetchedOffset` is at or before
// the offset the loader expects, everything between the expected offset and the first message is
// a gap: it is accepted (and counted). Only when the consumer fetched from PAST the expected offset
// (its position was never moved back, e.g. after a rebalance) would taking the batch skip readable
// messages: then it seeks back. A batch entirely before the expected offset (a redelivery of what
// is already buffered or written) seeks forward, or the consumer would fetch it again forever.
import type { KafkaMessage } from './kafka-message.js';

export interface FetchedBatch {
  messages: KafkaMessage[];
  /** The offset the consumer asked for; unknown when the client does not say. */
  fetchedOffset?: number;
}

export interface PartitionPosition {
  /** The next offset to load: after the last buffered message, else the loaded position. */
  expected: number;
  /** Offsets from `stop` on are not loaded (the end offset of `--once`). */
  stop: number;
  /** The partition's earliest readable offset when known: offsets below it are gone (retention). */
  low?: number;
}

export type FetchDecision =
  /** Buffer `messages`; `gap` offsets between `expected` and the last of them had no readable message. */
  | { action: 'take'; messages: KafkaMessage[]; gap: number }
  /** Nothing usable here: move the consumer to `offset` (the expected one). */
  | { action: 'seek'; offset: number; reason: 'ahead' | 'behind' }
  /** Nothing to take (past the end offset, or an empty fetch). */
  | { action: 'skip' };

export function decideFetch(batch: FetchedBatch, position: PartitionPosition): FetchDecision {
  const all = batch.messages;
  const decision = decideRange(all.length, (i) => (all[i] as KafkaMessage).offset, batch.fetchedOffset, position);
  if (decision.action !== 'take') return decision;
  const { from, to, gap } = decision;
  return { action: 'take', messages: from === 0 && to === all.length ? all : all.slice(from, to), gap };
}

/** decideFetch's decision, with the messages to take as the indexes `from`..`to` of the fetched ones. */
export type RangeDecision = { action: 'take'; from: number; to: number; gap: number } | Exclude<FetchDecision, { action: 'take' }>;

/**
 * decideFetch over `count` fetched messages (offsets increasing) whose offsets `offsetAt` gives,
 * fetched from `fetchedFrom`: for messages packed without an object each (packed-messages.ts).
 */
export function decideRange(count: number, offsetAt: (i: number) => number, fetchedFrom: number | undefined, position: PartitionPosition): RangeDecision {
  const { expected, stop } = position;
  // Where the next readable message can be: nothing below the low watermark is readable any more.
  const readableFrom = Math.max(expected, position.low ?? 0);
  // The consumer read from past the expected offset: messages in between were never seen.
  if ((fetchedFrom !== undefined && fetchedFrom > readableFrom) || (fetchedFrom === undefined && count > 0 && offsetAt(0) > readableFrom)) {
    return { action: 'seek', offset: readableFrom, reason: 'ahead' };
  }
  // The whole batch, unless some of it lies before the expected offset or from the stop on.
  let from = 0;
  while (from < count && offsetAt(from) < expected) from++;
  let to = count;
  while (to > from && offsetAt(to - 1) >= stop) to--;
  if (to === from) {
    // All of it before the expected offset: without a seek the consumer fetches it again and again.
    if (count > 0 && offsetAt(count - 1) < expected) return { action: 'seek', offset: readableFrom, reason: 'behind' };
    return { action: 'skip' };
  }
  return { action: 'take', from, to, gap: offsetAt(to - 1) + 1 - expected - (to - from) };
}

/**
 * Where the consumer reads each partition next, as far as the client can tell, and where a run of
 * offsets without a readable message began. kafkajs passes over a fetch that holds only
 * transaction markers or aborted messages by itself, without handing it over; the next batch it
 * hands over was fetched from after them, so the loader would see a fetch from past the offset it
 * expects. Such a batch is reported as fetched from where the run began, but only when the run is
 * proven to start at or before the tracked position (its first record is at or before it).
 */
export class ReadPositions {
  private readonly positions = new Map<number, { at: number; gapFrom?: number }>();

  /** The consumer will fetch `partition` from `offset` (a seek, or everything before it is done). */
  moved(partition: number, offset: number): void {
    this.positions.set(partition, { at: offset });
  }

  /** The positions are unknown again (a rebalance: the client resets them). */
  forget(): void {
    this.positions.clear();
  }

  /** The client passed over offsets `first`..`last` (`first` null: none at or after the fetched offset) without a readable message. */
  passed(partition: number, first: number | null, last: number): void {
    const known = this.positions.get(partition);
    if (!known) return;
    if ((first ?? last) <= known.at && last >= known.at) this.positions.set(partition, { at: last + 1, gapFrom: known.gapFrom ?? known.at });
    else this.positions.delete(partition);
  }

  /** A batch fetched from `fetchedOffset` is handed over: the offset it can be taken as fetched from. */
  fetched(partition: number, fetchedOffset: number): number {
    const known = this.positions.get(partition);
    const from = known && known.at === fetchedOffset && known.gapFrom !== undefined ? known.gapFrom : fetchedOffset;
    this.positions.set(partition, { at: fetchedOffset, gapFrom: from === fetchedOffset ? undefined : from });
    return from;
  }
}

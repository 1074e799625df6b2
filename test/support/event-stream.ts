// Random click-event streams for property tests: events cut into batches, shuffled (out of
// order), some redelivered in a later batch (duplicates), reproducible from a seed.
import { seededRandom } from '../../src/loader/sample-events.js';

export interface Event {
  event_id: string;
  user_id: string;
  event_ts: string;
  amount: number;
}

/** Seedable numbers in [0, 1): the generator `tsdbt produce-sample` uses. */
export const prng = seededRandom;

/** Events cut into batches: shuffled (out of order), some redelivered later (duplicates). */
export function eventBatches(seed: number): (Event & { batch_no: number })[][] {
  const rand = prng(seed);
  const events: Event[] = Array.from({ length: 60 + Math.floor(rand() * 60) }, (_v, i) => ({
    event_id: `e${i}`,
    user_id: `u${Math.floor(rand() * 8)}`,
    event_ts: new Date(Date.UTC(2024, 0, 1) + Math.floor(rand() * 3 * 86400) * 1000).toISOString().slice(0, 19).replace('T', ' '),
    amount: Math.floor(rand() * 100),
  }));
  const deliveries = [...events, ...events.filter(() => rand() < 0.15)].sort(() => rand() - 0.5);
  const batchCount = 3 + Math.floor(rand() * 3);
  const batches: (Event & { batch_no: number })[][] = Array.from({ length: batchCount }, () => []);
  deliveries.forEach((e) => {
    const b = Math.floor(rand() * batchCount);
    batches[b]!.push({ ...e, batch_no: b });
  });
  return batches;
}

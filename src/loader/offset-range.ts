// Whether a partition's stored position still lies in its log, and what `offset_reset` does when it
// does not. Two ways to fall outside: below the log start (retention deleted messages before they
// were loaded: OFFSET_OUT_OF_RANGE on fetch) or past the end (the topic was deleted and recreated,
// or truncated). Pure: the loader asks it at start and whenever a fetch lands somewhere else than
// expected.
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { OffsetReset } from './kafka-source.js';

export interface LogRange {
  /** The earliest readable offset. */
  low: number;
  /** The end offset: the next offset to be written. */
  high: number;
}

export type RangeDecision =
  | { action: 'keep' }
  /** Go on from `to`; `lost` messages will never be loaded. `message` is the warning. */
  | { action: 'reset'; to: number; lost: number; message: string }
  | { action: 'fail'; error: TsdbtError };

export interface RangeSubject {
  /** `raw.events`: the source, for messages. */
  source: string;
  topic: string;
  partition: number;
  /** Where the positions are stored (`schema.tsdbt_kafka_offsets`), for the hint. */
  offsetsTable: string;
  groupId: string;
  /** For the error's location. */
  location?: { file: string; line?: number };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function checkPosition(position: number, range: LogRange, reset: OffsetReset, subject: RangeSubject): RangeDecision {
  const { low, high } = range;
  if (position >= low && position <= high) return { action: 'keep' };
  const where = `topic ${subject.topic} partition ${subject.partition}`;
  const below = position < low;
  const what = below
    ? `the stored offset ${position} is below the log start ${low}: retention deleted ${plural(low - position, 'message')} before they were loaded`
    : `the stored offset ${position} is past the end of the log (${high}): the topic was deleted and recreated, or truncated`;
  if (reset === 'fail') {
    return {
      action: 'fail',
      error: new TsdbtError(`source ${subject.source}: ${where}: ${what}`, {
        code: 'kafka-offset-out-of-range',
        category: 'user',
        location: subject.location,
        hint:
          `to go on from the log start, set \`offset_reset: earliest\` under meta.kafka (or delete the row of group '${subject.groupId}', ` +
          `topic '${subject.topic}', partition ${subject.partition} from ${subject.offsetsTable}); to go on from the newest message, set \`offset_reset: latest\``,
      }),
    };
  }
  if (reset === 'earliest') {
    return { action: 'reset', to: low, lost: below ? low - position : 0, message: `source ${subject.source}: ${where}: ${what}; going on from the log start ${low} (offset_reset: earliest)` };
  }
  // latest: everything still readable is passed over too.
  const skipped = below ? high - position : high - low;
  return { action: 'reset', to: high, lost: skipped, message: `source ${subject.source}: ${where}: ${what}; going on from the end ${high} (offset_reset: latest), ${plural(skipped, 'message')} not loaded` };
}

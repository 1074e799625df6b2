// When the scheduler's builds start: every 5 minutes by default, or on a cron expression (croner:
// 5 or 6 fields, seconds optional). After downtime (the process slept, or a tick came late) the
// missed ticks collapse into one build at once, then the schedule resumes from now: runs never stack.
import { Cron } from 'croner';
import { TsdbtError } from '../errors/tsdbt-error.js';

export const DEFAULT_CRON = '*/5 * * * *';

export interface TickSchedule {
  /** The expression, for messages. */
  readonly expression: string;
  /** The first tick strictly after `after`. */
  next(after: Date): Date;
}

export function tickSchedule(expression: string = DEFAULT_CRON): TickSchedule {
  let cron: Cron;
  try {
    cron = new Cron(expression, { paused: true, timezone: 'UTC' });
  } catch (err) {
    throw new TsdbtError(`--cron '${expression}' is not a cron expression: ${(err as Error).message}`, {
      code: 'schedule-cron-invalid',
      hint: "write five fields (minute hour day month weekday), e.g. --cron '*/5 * * * *', or six with seconds first",
    });
  }
  return {
    expression,
    next(after) {
      const next = cron.nextRun(after);
      if (!next) throw new TsdbtError(`--cron '${expression}' has no future tick`, { code: 'schedule-cron-invalid', hint: "e.g. --cron '*/5 * * * *'" });
      return next;
    },
  };
}

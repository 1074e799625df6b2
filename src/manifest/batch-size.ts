// A microbatch model's `batch_size`: minute, hour, day, month or year, or a multiple such as
// `5 minute` (dbt stops at hour). Read at parse (graph/microbatch-checks.ts) and by the
// materialization (materializations/microbatch-windows.ts), so both accept the same values.
import { TsdbtError } from '../errors/tsdbt-error.js';

export type BatchUnit = 'minute' | 'hour' | 'day' | 'month' | 'year';

export interface BatchSize {
  count: number;
  unit: BatchUnit;
}

export function parseBatchSize(value: unknown, where: { file: string }): BatchSize {
  const match = typeof value === 'string' ? /^\s*(\d+)?\s*(minute|hour|day|month|year)s?\s*$/i.exec(value) : null;
  if (!match) {
    throw new TsdbtError(`batch_size must be minute, hour, day, month or year, optionally with a count such as '5 minute' (got ${JSON.stringify(value ?? null)})`, {
      code: 'microbatch-config',
      location: where,
      hint: "set batch_size='day' or batch_size='5 minute'",
    });
  }
  const count = match[1] ? Number(match[1]) : 1;
  if (count < 1) throw new TsdbtError('batch_size count must be at least 1', { code: 'microbatch-config', location: where, hint: "e.g. batch_size='5 minute'" });
  return { count, unit: (match[2] as string).toLowerCase() as BatchUnit };
}

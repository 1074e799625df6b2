// Microbatch windows: `batch_size` of minute, hour, day, month or year, or a multiple such as
// `5 minute` (dbt stops at hour). Windows are aligned to the unit (UTC) and cover [start, end).
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { BatchSize } from '../manifest/batch-size.js';

export type { BatchSize, BatchUnit } from '../manifest/batch-size.js';
export { parseBatchSize } from '../manifest/batch-size.js';

export interface Window {
  start: Date;
  end: Date;
}

/** The start of the window containing `date`. */
export function floorToBatch(date: Date, size: BatchSize): Date {
  const d = date;
  switch (size.unit) {
    case 'minute': {
      const minutes = Math.floor(d.getTime() / 60000);
      return new Date((minutes - (minutes % size.count)) * 60000);
    }
    case 'hour': {
      const hours = Math.floor(d.getTime() / 3600000);
      return new Date((hours - (hours % size.count)) * 3600000);
    }
    case 'day': {
      const days = Math.floor(d.getTime() / 86400000);
      return new Date((days - (days % size.count)) * 86400000);
    }
    case 'month': {
      const months = d.getUTCFullYear() * 12 + d.getUTCMonth();
      const m = months - (months % size.count);
      return new Date(Date.UTC(Math.floor(m / 12), m % 12, 1));
    }
    case 'year': {
      const y = d.getUTCFullYear() - (d.getUTCFullYear() % size.count);
      return new Date(Date.UTC(y, 0, 1));
    }
  }
}

/** The next window boundary after a window start. */
export function addBatches(start: Date, size: BatchSize, n = 1): Date {
  switch (size.unit) {
    case 'minute':
      return new Date(start.getTime() + n * size.count * 60000);
    case 'hour':
      return new Date(start.getTime() + n * size.count * 3600000);
    case 'day':
      return new Date(start.getTime() + n * size.count * 86400000);
    case 'month':
      return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + n * size.count, 1));
    case 'year':
      return new Date(Date.UTC(start.getUTCFullYear() + n * size.count, 0, 1));
  }
}

/** Every window from the one containing `from` up to the one containing `to` (exclusive end). */
export function windowsBetween(from: Date, to: Date, size: BatchSize, limit = 100_000): Window[] {
  const windows: Window[] = [];
  for (let start = floorToBatch(from, size); start < to; start = addBatches(start, size)) {
    windows.push({ start, end: addBatches(start, size) });
    if (windows.length > limit) throw new TsdbtError(`more than ${limit} batches to run`, { code: 'microbatch-too-many', hint: 'use a larger batch_size or a later begin / --event-time-start' });
  }
  return windows;
}

const two = (n: number) => String(n).padStart(2, '0');

/**
 * dbt's MicrobatchBuilder.format_batch_start: `2024` for a year, `2024-09` a month, `2024-09-17` a
 * day, `2024-09-17T16` an hour; a minute-sized batch (tsdbt's) adds the minutes, `2024-09-17T1605`.
 * It names a batch's compiled and run files (`models/m/m_2024-09-17.sql`).
 */
export function formatBatchStart(start: Date, size: BatchSize): string {
  const year = String(start.getUTCFullYear()).padStart(4, '0');
  const month = `${year}-${two(start.getUTCMonth() + 1)}`;
  if (size.unit === 'year') return year;
  if (size.unit === 'month') return month;
  const day = `${month}-${two(start.getUTCDate())}`;
  if (size.unit === 'day') return day;
  const hour = `${day}T${two(start.getUTCHours())}`;
  return size.unit === 'hour' ? hour : hour + two(start.getUTCMinutes());
}

/** dbt's batch id (MicrobatchBuilder.batch_id): the formatted batch start without its dashes, `20240917T16`. */
export function batchId(start: Date, size: BatchSize): string {
  return formatBatchStart(start, size).replaceAll('-', '');
}

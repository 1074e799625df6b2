// Source freshness criteria (`freshness: {warn_after: {count: 5, period: minute}, error_after: ...,
// filter: ...}`) and dbt's status rule: older than error_after is `error`, else older than
// warn_after is `warn`, else `pass`. Pure: the query and the clock live elsewhere.
import { TsdbtError, type SourceLocation } from '../errors/tsdbt-error.js';

export type Period = 'minute' | 'hour' | 'day';
const SECONDS: Record<Period, number> = { minute: 60, hour: 3600, day: 86400 };

export interface Threshold {
  count: number;
  period: Period;
}

export interface FreshnessCriteria {
  warn_after: Threshold | null;
  error_after: Threshold | null;
  filter: string | null;
}

export type FreshnessStatus = 'pass' | 'warn' | 'error';

/** Whether one threshold (`warn_after`, `error_after`) is set: a count and a period (dbt's Time is false without). */
export function isTimeSet(t: unknown): boolean {
  return typeof t === 'object' && t !== null && (t as { count?: unknown }).count != null && (t as { period?: unknown }).period != null;
}

/** Whether a source's `freshness` sets a threshold (dbt's FreshnessThreshold is false without one; sources carry the empty one). */
export function hasThreshold(freshness: unknown): boolean {
  if (typeof freshness !== 'object' || freshness === null) return false;
  return isTimeSet((freshness as Record<string, unknown>).warn_after) || isTimeSet((freshness as Record<string, unknown>).error_after);
}

function threshold(value: unknown, key: string, location: SourceLocation): Threshold | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new TsdbtError(`freshness ${key} must be a mapping with count and period`, { code: 'freshness-invalid', location, hint: `write ${key}: {count: 15, period: minute}` });
  }
  const { count, period } = value as { count?: unknown; period?: unknown };
  // dbt: a threshold without a count (or with count: null) is not checked.
  if (count === undefined || count === null) return null;
  const n = Number(count);
  if (!Number.isFinite(n) || n < 0) {
    throw new TsdbtError(`freshness ${key}.count must be a non-negative number, got ${JSON.stringify(count)}`, { code: 'freshness-invalid', location, hint: `write ${key}: {count: 15, period: minute}` });
  }
  if (period !== 'minute' && period !== 'hour' && period !== 'day') {
    throw new TsdbtError(`freshness ${key}.period must be minute, hour or day, got ${JSON.stringify(period ?? null)}`, { code: 'freshness-invalid', location, hint: `write ${key}: {count: ${n}, period: minute}` });
  }
  return { count: n, period };
}

/** The criteria of a source table, or null when it declares no threshold (dbt skips it). */
export function parseCriteria(raw: Record<string, unknown> | null | undefined, location: SourceLocation): FreshnessCriteria | null {
  if (!raw) return null;
  const criteria: FreshnessCriteria = {
    warn_after: threshold(raw.warn_after, 'warn_after', location),
    error_after: threshold(raw.error_after, 'error_after', location),
    filter: typeof raw.filter === 'string' && raw.filter.trim() ? raw.filter : null,
  };
  return criteria.warn_after || criteria.error_after ? criteria : null;
}

export function thresholdSeconds(t: Threshold): number {
  return t.count * SECONDS[t.period];
}

/**
 * dbt's rule; `ageSeconds` null means the table has no loaded_at value at all (empty, or every
 * value null): tsdbt counts that as older than any threshold.
 */
export function freshnessStatus(ageSeconds: number | null, criteria: FreshnessCriteria): FreshnessStatus {
  const older = (t: Threshold | null) => t !== null && (ageSeconds === null || ageSeconds > thresholdSeconds(t));
  if (older(criteria.error_after)) return 'error';
  if (older(criteria.warn_after)) return 'warn';
  return 'pass';
}

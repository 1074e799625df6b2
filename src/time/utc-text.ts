// Times as text, in UTC: how tsdbt writes its own timestamps (loader, run history) into warehouse
// columns, and how it reads a date or timestamp given on the command line (a time without a zone
// is UTC, as dbt reads --event-time-start and --sample's window).
export function utcTimestampText(at: Date): string {
  return at.toISOString().replace('T', ' ').replace('Z', '');
}

/** `2024-01-01`, `2024-01-01 10:00:00` (UTC) or an ISO time with its zone, as a Date; null when it is none of these. */
export function parseUtcTimestamp(text: string): Date | null {
  const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

// A moment as the text of a time without zone, in UTC (`2026-01-01 10:05:00.123`): how tsdbt
// writes its own timestamps (loader, run history) into warehouse columns.
export function utcTimestampText(at: Date): string {
  return at.toISOString().replace('T', ' ').replace('Z', '');
}

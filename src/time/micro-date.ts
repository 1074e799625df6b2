// A timestamp read from the warehouse keeps its microseconds: PostgreSQL prints `...:40.021212`,
// psycopg2 hands dbt a datetime with microsecond 21212, and a template that renders it into SQL
// (`where detected_time = '{{ last_run }}'`, re_data's schema-change models) must match the stored
// value. A JavaScript Date holds milliseconds, so the parser returns this Date (it is one, for every
// other reader) with the 0-999 microseconds past its millisecond.
export class MicroDate extends Date {
  constructor(
    epochMs: number,
    /** Microseconds past the Date's millisecond, 0-999. */
    readonly extraMicroseconds: number,
  ) {
    super(epochMs);
  }
}

/** The microseconds a Date holds past its millisecond (0 for a plain Date). */
export function extraMicroseconds(date: Date): number {
  return date instanceof MicroDate ? date.extraMicroseconds : 0;
}

/** A Date from epoch milliseconds and a fraction of a second as printed (`.021212`), to the microsecond. */
export function dateWithFraction(epochMsWithoutFraction: number, fraction: string | undefined): Date {
  const digits = (fraction ?? '').replace('.', '').padEnd(6, '0').slice(0, 6);
  const us = Number(digits);
  const extra = us % 1000;
  const ms = epochMsWithoutFraction + (us - extra) / 1000;
  return extra === 0 ? new Date(ms) : new MicroDate(ms, extra);
}

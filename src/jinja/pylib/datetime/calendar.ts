// Calendar arithmetic on "epoch days" (days since 1970-01-01) and microseconds of the day:
// civil dates, weekdays, the ISO calendar, range checks and exact integer helpers.
import { renderError } from '../../engine/values.js';

export const DAY_US = 86_400_000_000;
export const BIG_DAY_US = 86_400_000_000n;
export const ORDINAL_EPOCH = 719_163; // date(1970, 1, 1).toordinal()
export const MIN_DAYS = -719_162; // 0001-01-01
export const MAX_DAYS = 2_932_896; // 9999-12-31

export const pad = (n: number, width = 2) => String(n).padStart(width, '0');
export const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
export const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

const isLeap = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** Epoch days of a proleptic Gregorian date (years 0-99 included, unlike Date.UTC). */
export function epochDays(y: number, m: number, d: number): number {
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d);
  return Math.round(t.getTime() / 86_400_000);
}

export function civil(days: number): { year: number; month: number; day: number } {
  const t = new Date(days * 86_400_000);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** 0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday). */
export const weekdayOf = (days: number) => (((days + 3) % 7) + 7) % 7;

export function isoCalendarOf(days: number): [number, number, number] {
  const wd = weekdayOf(days);
  const thursday = days - wd + 3;
  const isoYear = civil(thursday).year;
  const week = Math.floor((thursday - epochDays(isoYear, 1, 1)) / 7) + 1;
  return [isoYear, week, wd + 1];
}

export function isoWeekStart(isoYear: number, week: number, isoWeekday: number): number {
  const jan4 = epochDays(isoYear, 1, 4);
  return jan4 - weekdayOf(jan4) + (week - 1) * 7 + (isoWeekday - 1);
}

export function checkDate(year: number, month: number, day: number): void {
  if (year < 1 || year > 9999) throw renderError(`year ${year} is out of range`);
  if (month < 1 || month > 12) throw renderError('month must be in 1..12');
  if (day < 1 || day > daysInMonth(year, month)) throw renderError('day is out of range for month');
}

export function checkTime(hour: number, minute: number, second: number, microsecond: number): void {
  if (hour < 0 || hour > 23) throw renderError('hour must be in 0..23');
  if (minute < 0 || minute > 59) throw renderError('minute must be in 0..59');
  if (second < 0 || second > 59) throw renderError('second must be in 0..59');
  if (microsecond < 0 || microsecond > 999_999) throw renderError('microsecond must be in 0..999999');
}

export const floorDiv = (a: bigint, b: bigint) => (a / b) - ((a % b !== 0n && (a < 0n) !== (b < 0n)) ? 1n : 0n);

/** Splits total microseconds into epoch days and microseconds of the day. */
export function splitUs(total: bigint): [number, number] {
  const days = floorDiv(total, BIG_DAY_US);
  return [Number(days), Number(total - days * BIG_DAY_US)];
}

export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

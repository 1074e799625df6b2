// Rows in PostgreSQL COPY's binary format (Connection.bulkLoadBinary), written into copy-text.ts'
// byte chunks: a signature and header, then per row its field count and each field as its length
// and bytes (-1: NULL), then a trailer. The server reads this without parsing a timestamp's or an
// integer's text (issue 18: ~10% of its CPU for the loader's rows). fast-decode.ts writes a
// message's columns this way only where the value's binary form is certainly what the column's text
// input makes of its text form: text as its bytes, a plain integer in the column's range, true or
// false, a timestamp written `YYYY-MM-DD HH:MM:SS[.ffffff]` (or with `T`) between 1715 and 2285;
// for any other value the row is written as text instead (batch-rows.ts).
import type { BinaryLoadKind } from '../adapters/adapter.js';
import type { TsvChunks } from './copy-text.js';
import { FALSE, MISSING, NULL, NUMBER, STRING, TRUE } from './scan-kinds.js';

const TEXT = 0;
const INT16 = 1;
const INT32 = 2;
const INT64 = 3;
const BOOLEAN = 4;
const TIMESTAMP = 5;
const CODES: Record<BinaryLoadKind, number> = { text: TEXT, int16: INT16, int32: INT32, int64: INT64, boolean: BOOLEAN, timestamp: TIMESTAMP };

/** The source columns' kinds as fast-decode.ts writes them, and how many fields a row has in all (the loader's columns after them). */
export interface BinaryColumnKinds {
  kinds: Uint8Array;
  fieldCount: number;
}

export function binaryColumnKinds(kinds: readonly BinaryLoadKind[], fieldCount: number): BinaryColumnKinds {
  return { kinds: Uint8Array.from(kinds, (k) => CODES[k]), fieldCount };
}

/** The signature, flags (none) and header extension length (0) a binary COPY starts with. */
export const BINARY_HEADER = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
/** A field count of -1: the end of the rows. */
export const BINARY_TRAILER = Buffer.from([0xff, 0xff]);

/** Room for a number's text (String(Number(text))) and its length. */
const NUMBER_ROOM = 30;
const TWO_32 = 4294967296;
/** Days from 1970-01-01 to 2000-01-01, PostgreSQL's epoch. */
const EPOCH_DAYS = 10957;
/** Seconds from 2000 whose microseconds are still exact in a double. */
const MAX_SECONDS = Math.floor(Number.MAX_SAFE_INTEGER / 1e6) - 1;

/**
 * Writes a row's field count and the source columns of a message scanned by fast-decode.ts
 * (`kinds`: its JSON kinds, `starts`/`ends`: where each value's text lies in `b`), with room for
 * `room` more bytes; or nothing and false when a value has no binary form here.
 */
export function writeBinaryRow(b: Buffer, kinds: Uint8Array, starts: Int32Array, ends: Int32Array, columns: BinaryColumnKinds, out: TsvChunks, room: number): boolean {
  const types = columns.kinds;
  out.reserve(room + 2 + types.length * NUMBER_ROOM);
  const begin = out.at;
  const buf = out.buf;
  let at = begin;
  buf[at++] = columns.fieldCount >> 8;
  buf[at++] = columns.fieldCount & 0xff;
  for (let c = 0; c < types.length; c++) {
    const kind = kinds[c] as number;
    const start = starts[c] as number;
    const end = ends[c] as number;
    if (kind === NULL || kind === MISSING) {
      buf[at] = buf[at + 1] = buf[at + 2] = buf[at + 3] = 0xff;
      at += 4;
      continue;
    }
    switch (types[c]) {
      case TEXT:
        if (kind === STRING || kind === NUMBER) {
          at = writeLength(buf, at, end - start);
          for (let i = start; i < end; i++) buf[at++] = b[i] as number;
        } else {
          const text = kind === TRUE ? 'true' : kind === FALSE ? 'false' : String(Number(b.toString('latin1', start, end)));
          buf.writeInt32BE(text.length, at);
          at += 4;
          at += buf.write(text, at, 'latin1');
        }
        break;
      case INT16:
      case INT32:
      case INT64: {
        if (kind !== NUMBER) return undo(out, begin);
        const n = integerAt(b, start, end);
        const type = types[c];
        if (type === INT16) {
          if (n < -32768 || n > 32767) return undo(out, begin);
          buf.writeInt32BE(2, at);
          buf.writeInt16BE(n, at + 4);
          at += 6;
        } else if (type === INT32) {
          if (n < -2147483648 || n > 2147483647) return undo(out, begin);
          buf.writeInt32BE(4, at);
          buf.writeInt32BE(n, at + 4);
          at += 8;
        } else at = writeInt64Field(buf, at, n);
        break;
      }
      case BOOLEAN:
        if (kind !== TRUE && kind !== FALSE) return undo(out, begin);
        buf.writeInt32BE(1, at);
        buf[at + 4] = kind === TRUE ? 1 : 0;
        at += 5;
        break;
      default: {
        // Written in place: a timestamp's microseconds returned as a number were a heap object a
        // message (16 MB of young garbage per 1M messages).
        const next = kind === STRING ? timestampField(b, start, end, buf, at) : -1;
        if (next < 0) return undo(out, begin);
        at = next;
      }
    }
  }
  out.at = at;
  return true;
}

function undo(out: TsvChunks, begin: number): false {
  out.at = begin;
  return false;
}

/** The digits (and sign) of a plain integer of at most 15 digits (fast-decode.ts' NUMBER) as a number. */
function integerAt(b: Buffer, start: number, end: number): number {
  const negative = b[start] === 0x2d;
  let n = 0;
  for (let i = negative ? start + 1 : start; i < end; i++) n = n * 10 + ((b[i] as number) - 0x30);
  return negative ? -n : n;
}

/** A field of 8 bytes holding the (safe) integer `n`, big-endian; returns where the next field goes. */
export function writeInt64Field(buf: Uint8Array, at: number, n: number): number {
  at = writeLength(buf, at, 8);
  const high = Math.floor(n / TWO_32);
  const low = n - high * TWO_32;
  buf[at] = high >> 24;
  buf[at + 1] = high >> 16;
  buf[at + 2] = high >> 8;
  buf[at + 3] = high;
  buf[at + 4] = low >>> 24;
  buf[at + 5] = low >>> 16;
  buf[at + 6] = low >>> 8;
  buf[at + 7] = low;
  return at + 8;
}

/** A field's length (0 to 2^31 - 1), big-endian, by hand (Buffer's writeInt32BE checks its arguments first); returns where the field's bytes go. */
function writeLength(buf: Uint8Array, at: number, length: number): number {
  buf[at] = length >>> 24;
  buf[at + 1] = length >>> 16;
  buf[at + 2] = length >>> 8;
  buf[at + 3] = length;
  return at + 4;
}

const digit = (b: Uint8Array, i: number) => {
  const d = (b[i] as number) - 0x30;
  return d >= 0 && d <= 9 ? d : Number.NaN;
};
const digits = (b: Uint8Array, i: number, count: number) => {
  let n = 0;
  for (let k = 0; k < count; k++) n = n * 10 + digit(b, i + k);
  return n;
};

/**
 * The microseconds since 2000-01-01 00:00 of a timestamp written `YYYY-MM-DD HH:MM:SS` (or `T`
 * between date and time) with at most 6 digits of a second's fraction, a valid date and time
 * (no leap second) whose microseconds a double holds exactly (years 1715 to 2285): what
 * PostgreSQL's timestamp input makes of it. NaN for any other text.
 */
export function timestampMicros(b: Uint8Array, start: number, end: number): number {
  if (timestampField(b, start, end, SCRATCH, 0) < 0) return Number.NaN;
  return SCRATCH_VIEW.getInt32(4) * TWO_32 + SCRATCH_VIEW.getUint32(8);
}

const SCRATCH = new Uint8Array(12);
const SCRATCH_VIEW = new DataView(SCRATCH.buffer);

/** The last date timestampField read (year * 512 + month * 32 + day) and its days since 1970 (a topic's timestamps share few dates). */
let lastDate = -1;
let lastDays = 0;

/**
 * timestampMicros' microseconds written as a binary COPY field (length 8, then the int64) at `at`
 * of `buf`; returns where the next field goes, or -1 (nothing meant) for any other text.
 */
export function timestampField(b: Uint8Array, start: number, end: number, buf: Uint8Array, at: number): number {
  const length = end - start;
  if (length !== 19 && (length < 21 || length > 26)) return -1;
  const s = start;
  if (b[s + 4] !== 0x2d || b[s + 7] !== 0x2d || (b[s + 10] !== 0x20 && b[s + 10] !== 0x54) || b[s + 13] !== 0x3a || b[s + 16] !== 0x3a) return -1;
  const year = digits(b, s, 4);
  const month = digits(b, s + 5, 2);
  const day = digits(b, s + 8, 2);
  const hour = digits(b, s + 11, 2);
  const minute = digits(b, s + 14, 2);
  const second = digits(b, s + 17, 2);
  let micros = 0;
  if (length > 19) {
    if (b[s + 19] !== 0x2e) return -1;
    micros = digits(b, s + 20, length - 20) * 10 ** (26 - length);
  }
  // NaN (a non-digit) fails every comparison below.
  if (!(year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 59 && micros >= 0)) return -1;
  let days: number;
  const date = year * 512 + month * 32 + day;
  if (date === lastDate) days = lastDays;
  else {
    if (day > daysInMonth(year, month)) return -1;
    days = lastDays = daysFromCivil(year, month, day);
    lastDate = date;
  }
  const seconds = ((days - EPOCH_DAYS) * 24 + hour) * 3600 + minute * 60 + second;
  if (!(Math.abs(seconds) <= MAX_SECONDS)) return -1;
  return writeInt64Field(buf, at, seconds * 1e6 + micros);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

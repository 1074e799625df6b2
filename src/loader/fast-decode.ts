// The common case of decode.ts without JSON.parse: a JSON object whose columns are top-level fields
// holding strings without escapes, numbers, booleans or null is scanned byte by byte and its
// values written straight into the load's tab-separated chunks (copy-text.ts), with no string,
// object or array per message. The scan checks the whole document as JSON.parse would (a message
// JSON.parse refuses is never written here); anything else it meets (an escape in a column's
// string, a nested value in a column, invalid UTF-8, a missing key, deep nesting) gives up, and
// the message goes the exact way of decode.ts. So every message is written as decodeMessage would
// have it, only faster when it can.
import { isUtf8 } from 'node:buffer';
import { writeBinaryRow, type BinaryColumnKinds } from './copy-binary.js';
import type { TsvChunks } from './copy-text.js';
import type { KafkaSourceSpec } from './kafka-source.js';
import { FALSE, MISSING, NULL, NUMBER, NUMBER_OTHER, STRING, TRUE } from './scan-kinds.js';


const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
/** Nested values deeper than this (in fields no column reads) are left to decode.ts. */
const MAX_SKIP_DEPTH = 64;
/** The longest String(Number(text)) of a finite number (`-1.2345678901234567e-308`) and a tab. */
const NUMBER_ROOM = 26;

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const isDigit = (c: number) => c >= ZERO && c <= NINE;

/**
 * Writes one message's columns (tab-separated, no newline) into the chunks, with room left for
 * `more` bytes of the row after them; or says it cannot (false, nothing written). The message is
 * bytes `start`..`end` of `value` (all of it by default: a packed fetch's values are read in place,
 * packed-messages.ts); nothing outside them is read.
 */
export type FastRowWriter = (value: Buffer, out: TsvChunks, more: number, start?: number, end?: number) => boolean;

/**
 * The spec's fast writer, or null when its messages always need decode.ts (a JSON Schema, dotted
 * fields). With `binary` (the source columns' kinds), it writes a row's start in COPY's binary
 * format instead (its field count, then the columns: copy-binary.ts), and also says it cannot when
 * a value has no binary form it knows to be the text form's (the row then goes as text).
 */
export function fastRowWriter(spec: KafkaSourceSpec, binary?: BinaryColumnKinds): FastRowWriter | null {
  if (spec.validate) return null;
  const paths = spec.columns.map((c) => spec.fields[c.name] ?? c.name);
  if (paths.some((p) => p.includes('.'))) return null;
  const scanner = new FastScanner(paths, spec.key ? spec.columns.findIndex((c) => c.name === spec.key) : -1, spec.format === 'confluent-json' ? 5 : 0, binary ?? null);
  return scanner.write;
}

class FastScanner {
  private readonly names: Buffer[];
  /** Each column's name between quotes, as a key holding it is written (null: a name JSON escapes). */
  private readonly quoted: (Buffer | null)[];
  /** Whether the name has a byte of 0x80 or more (the document is then checked as UTF-8, as when the key is read). */
  private readonly quotedHigh: boolean[];
  private readonly kinds: Uint8Array;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  /** The buffer holding the message being scanned, where the message ends in it, and whether it has a byte of 0x80 or more. */
  private b: Buffer = Buffer.alloc(0);
  private end = 0;
  private high = false;
  /** The column columnOf tries first: the one after the last it found. */
  private nextGuess = 0;

  constructor(
    paths: string[],
    private readonly keyIndex: number,
    /** Bytes before the JSON document (Confluent's magic byte and schema id). */
    private readonly skip: number,
    /** Write the row in COPY's binary format, the columns of these kinds (else text). */
    private readonly binary: BinaryColumnKinds | null,
  ) {
    this.names = paths.map((p) => Buffer.from(p, 'utf8'));
    // A name that JSON writes as its own bytes (no quote, backslash or control character) is
    // matched with its quotes in one pass, where a key was read to its end and then compared.
    this.quoted = this.names.map((name) => (name.some((c) => c === QUOTE || c === BACKSLASH || c < 0x20) ? null : Buffer.concat([QUOTE_BYTE, name, QUOTE_BYTE])));
    this.quotedHigh = this.names.map((name) => name.some((c) => c >= 0x80));
    this.kinds = new Uint8Array(paths.length);
    this.starts = new Int32Array(paths.length);
    this.ends = new Int32Array(paths.length);
  }

  readonly write: FastRowWriter = (value, out, more, start = 0, end = value.length) => {
    if (this.skip > 0 && (end - start < this.skip || value[start] !== 0)) return false;
    this.b = value;
    this.end = end;
    this.high = false;
    this.kinds.fill(MISSING);
    this.nextGuess = 0;
    let ok = this.scanDocument(start + this.skip) && (!this.high || isUtf8(value.subarray(start + this.skip, end))) && this.keyPresent();
    if (ok) {
      if (this.binary) ok = writeBinaryRow(value, this.kinds, this.starts, this.ends, this.binary, out, end - start + more);
      else this.emit(out, more, end - start);
    }
    this.b = EMPTY;
    this.end = 0;
    return ok;
  };

  /** The byte at `i` of the message, -1 past its end. */
  private at(i: number): number {
    return i < this.end ? (this.b[i] as number) : -1;
  }

  /** The key column holds a value that is neither null nor empty text. */
  private keyPresent(): boolean {
    const k = this.keyIndex;
    if (k < 0) return true;
    const kind = this.kinds[k];
    if (kind === STRING) return (this.ends[k] as number) > (this.starts[k] as number);
    return kind !== MISSING && kind !== NULL;
  }

  private emit(out: TsvChunks, more: number, length: number): void {
    const { b, kinds, starts, ends } = this;
    out.reserve(length + kinds.length * NUMBER_ROOM + more);
    for (let c = 0; c < kinds.length; c++) {
      if (c > 0) out.tab();
      switch (kinds[c]) {
        case STRING:
        case NUMBER:
          copyBytes(b, starts[c] as number, ends[c] as number, out);
          break;
        case NUMBER_OTHER:
          out.writeAscii(String(Number(b.toString('latin1', starts[c], ends[c]))));
          break;
        case TRUE:
          out.writeAscii('true');
          break;
        case FALSE:
          out.writeAscii('false');
          break;
        default:
          out.nullField();
      }
    }
  }

  private space(i: number): number {
    const { b, end } = this;
    // Most documents have no whitespace between tokens: one byte above space ends it at once.
    if (i < end && (b[i] as number) > 0x20) return i;
    while (i < end && isSpace(b[i] as number)) i++;
    return i;
  }

  /** The whole document: one object, nothing but whitespace after it. */
  private scanDocument(from: number): boolean {
    let i = this.space(from);
    if (this.at(i) !== OPEN_OBJECT) return false;
    i = this.space(i + 1);
    if (this.at(i) === CLOSE_OBJECT) return this.space(i + 1) === this.end;
    for (;;) {
      if (this.at(i) !== QUOTE) return false;
      let column = this.quotedAt(i);
      let keyEnd: number;
      if (column >= 0) keyEnd = i + (this.quoted[column] as Buffer).length - 1;
      else {
        keyEnd = this.stringEnd(i + 1, false);
        if (keyEnd < 0) return false;
        column = this.columnOf(i + 1, keyEnd);
      }
      i = this.space(keyEnd + 1);
      if (this.at(i) !== COLON) return false;
      i = this.space(i + 1);
      i = column < 0 ? this.skipValue(i, 1) : this.columnValue(i, column);
      if (i < 0) return false;
      i = this.space(i);
      const c = this.at(i);
      if (c === COMMA) {
        i = this.space(i + 1);
        continue;
      }
      if (c !== CLOSE_OBJECT) return false;
      return this.space(i + 1) === this.end;
    }
  }

  /**
   * The column whose quoted name is at `i` (the key's opening quote): the column after the last one
   * found, as messages of a topic usually hold their fields in one order; else -1 (the key is read
   * to its end and looked up by columnOf).
   */
  private quotedAt(i: number): number {
    const guess = this.nextGuess;
    if (guess >= this.quoted.length) return -1;
    const quoted = this.quoted[guess];
    if (!quoted || i + quoted.length > this.end) return -1;
    const { b } = this;
    for (let k = 1; k < quoted.length; k++) if (b[i + k] !== quoted[k]) return -1;
    if (this.quotedHigh[guess]) this.high = true;
    this.nextGuess = guess + 1;
    return guess;
  }

  /** The column named by the key's bytes, else -1. */
  private columnOf(start: number, end: number): number {
    const { names } = this;
    // Messages of a topic usually hold their fields in one order: the column after the last one
    // found is tried first.
    const guess = this.nextGuess;
    if (guess < names.length && this.named(guess, start, end)) {
      this.nextGuess = guess + 1;
      return guess;
    }
    for (let c = 0; c < names.length; c++) {
      if (c !== guess && this.named(c, start, end)) {
        this.nextGuess = c + 1;
        return c;
      }
    }
    return -1;
  }

  /** Whether the key's bytes `start`..`end` are column `c`'s name. */
  private named(c: number, start: number, end: number): boolean {
    const name = this.names[c] as Buffer;
    const length = end - start;
    if (name.length !== length) return false;
    const { b } = this;
    for (let j = 0; j < length; j++) if (name[j] !== b[start + j]) return false;
    return true;
  }

  /**
   * Where the string starting at `start` (after its quote) ends (its closing quote), or -1: not
   * valid JSON, or an escape where `escapes` is false (a key or a column's value, whose text would
   * need decoding).
   */
  private stringEnd(start: number, escapes: boolean): number {
    const { b, end } = this;
    for (let i = start; i < end; i++) {
      const c = b[i] as number;
      if (c === QUOTE) return i;
      if (c < 0x20) return -1;
      if (c >= 0x80) this.high = true;
      else if (c === BACKSLASH) {
        if (!escapes) return -1;
        const e = this.at(i + 1);
        if (e === 0x75) {
          for (let k = 2; k <= 5; k++) if (!isHex(this.at(i + k))) return -1;
          i += 5;
        } else if (e === QUOTE || e === BACKSLASH || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) i++;
        else return -1;
      }
    }
    return -1;
  }

  /** A column's value at `i`: recorded, and where it ends; -1 when it is not one this scan writes. */
  private columnValue(i: number, column: number): number {
    const { b } = this;
    const c = this.at(i);
    let kind: number;
    let end: number;
    let start = i;
    if (c === QUOTE) {
      start = i + 1;
      end = this.stringEnd(start, false);
      if (end < 0) return -1;
      kind = STRING;
      this.record(column, kind, start, end);
      return end + 1;
    }
    if (c === MINUS || isDigit(c)) {
      end = this.numberEnd(i);
      if (end < 0) return -1;
      kind = isPlainInteger(b, i, end) ? NUMBER : NUMBER_OTHER;
    } else {
      end = this.literalEnd(i);
      if (end < 0) return -1;
      kind = c === 0x74 ? TRUE : c === 0x66 ? FALSE : NULL;
    }
    this.record(column, kind, start, end);
    return end;
  }

  private record(column: number, kind: number, start: number, end: number): void {
    this.kinds[column] = kind;
    this.starts[column] = start;
    this.ends[column] = end;
  }

  /** Skips any JSON value at `i` (a field no column reads); -1 when invalid or nested too deep. */
  private skipValue(i: number, depth: number): number {
    const c = this.at(i);
    if (c === QUOTE) {
      const end = this.stringEnd(i + 1, true);
      return end < 0 ? -1 : end + 1;
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (depth >= MAX_SKIP_DEPTH) return -1;
      const close = c === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY;
      i = this.space(i + 1);
      if (this.at(i) === close) return i + 1;
      for (;;) {
        if (c === OPEN_OBJECT) {
          if (this.at(i) !== QUOTE) return -1;
          const keyEnd = this.stringEnd(i + 1, true);
          if (keyEnd < 0) return -1;
          i = this.space(keyEnd + 1);
          if (this.at(i) !== COLON) return -1;
          i = this.space(i + 1);
        }
        i = this.skipValue(i, depth + 1);
        if (i < 0) return -1;
        i = this.space(i);
        const next = this.at(i);
        if (next === close) return i + 1;
        if (next !== COMMA) return -1;
        i = this.space(i + 1);
      }
    }
    if (c === MINUS || isDigit(c)) return this.numberEnd(i);
    return this.literalEnd(i);
  }

  /** JSON's number grammar: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?; where it ends, or -1. */
  private numberEnd(i: number): number {
    if (this.at(i) === MINUS) i++;
    if (this.at(i) === ZERO) i++;
    else if (isDigit(this.at(i))) while (isDigit(this.at(i))) i++;
    else return -1;
    if (this.at(i) === 0x2e) {
      i++;
      if (!isDigit(this.at(i))) return -1;
      while (isDigit(this.at(i))) i++;
    }
    const e = this.at(i);
    if (e === 0x65 || e === 0x45) {
      i++;
      const sign = this.at(i);
      if (sign === 0x2b || sign === MINUS) i++;
      if (!isDigit(this.at(i))) return -1;
      while (isDigit(this.at(i))) i++;
    }
    return i;
  }

  /** `true`, `false` or `null` at `i`: where it ends, or -1. */
  private literalEnd(i: number): number {
    const c = this.at(i);
    const word = c === 0x74 ? TRUE_BYTES : c === 0x66 ? FALSE_BYTES : c === 0x6e ? NULL_BYTES : null;
    if (!word) return -1;
    for (let k = 0; k < word.length; k++) if (this.at(i + k) !== word[k]) return -1;
    return i + word.length;
  }
}

const EMPTY = Buffer.alloc(0);
const QUOTE_BYTE = Buffer.from([QUOTE]);
const TRUE_BYTES = Buffer.from('true');
const FALSE_BYTES = Buffer.from('false');
const NULL_BYTES = Buffer.from('null');

function isHex(c: number): boolean {
  return (c >= ZERO && c <= NINE) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/** An integer String(Number(text)) writes back as the same text: no fraction or exponent, not -0, at most 15 digits. */
function isPlainInteger(b: Buffer, start: number, end: number): boolean {
  const negative = b[start] === MINUS;
  const digits = end - start - (negative ? 1 : 0);
  if (digits > 15) return false;
  for (let i = negative ? start + 1 : start; i < end; i++) if (!isDigit(b[i] as number)) return false;
  return !(negative && digits === 1 && b[start + 1] === ZERO);
}

/** Bytes `start`..`end` of `b` into the chunk (short values by hand: a native copy costs more). */
function copyBytes(b: Buffer, start: number, end: number, out: TsvChunks): void {
  if (end - start > 48) {
    b.copy(out.buf, out.at, start, end);
    out.at += end - start;
    return;
  }
  const target = out.buf;
  let at = out.at;
  for (let i = start; i < end; i++) target[at++] = b[i] as number;
  out.at = at;
}

// How PostgreSQL text-format values become JavaScript values, shared by the server driver (pg) and
// PGlite so the same SQL returns the same JS types on both (the drivers' defaults differ: pg reads
// `timestamp` in local time and `date` as a local Date, PGlite reads both through `new Date()`,
// pg returns int8 as a string and PGlite as a number or bigint...).
//
// The choice, per type:
//   boolean                       -> boolean
//   smallint, integer, oid, real, double precision -> number (NaN / Infinity included)
//   bigint                        -> number when it is a safe integer, else the decimal string
//   numeric                       -> string (exact; `Number(x)` it yourself when precision allows)
//   date                          -> string `YYYY-MM-DD` (a calendar day has no time zone)
//   timestamp without time zone   -> Date, the wall-clock value read as UTC (never the process TZ)
//   timestamp with time zone      -> Date (the instant)
//   json, jsonb                   -> parsed value
//   bytea                         -> Buffer
//   arrays of the types above     -> (nested) arrays of the element values, null for NULL
//   everything else (text, uuid, time, interval...) -> the string PostgreSQL prints
// `infinity` / `-infinity` timestamps and dates stay strings.

import { dateWithFraction } from '../../time/micro-date.js';

/** Parses one text-format value. */
export type ValueParser = (text: string) => unknown;

const identity: ValueParser = (text) => text;

const parseBool: ValueParser = (text) => text === 't' || text === 'true';
const parseNumber: ValueParser = (text) => Number(text);

const parseBigint: ValueParser = (text) => {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
};

const parseJson: ValueParser = (text) => JSON.parse(text) as unknown;

const parseBytea: ValueParser = (text) =>
  text.startsWith('\\x') ? Buffer.from(text.slice(2), 'hex') : Buffer.from(text, 'latin1');

const TIMESTAMP_RE =
  /^(\d{4,})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(\.\d+)?(?:([+-])(\d\d)(?::?(\d\d))?(?::?(\d\d))?)?( BC)?$/;

/** Reads `YYYY-MM-DD HH:MM:SS[.ffffff][+HH[:MM[:SS]]][ BC]`; without an offset the value is UTC. */
function parseTimestamp(text: string): unknown {
  const m = TIMESTAMP_RE.exec(text);
  if (!m) return text;
  let year = Number(m[1]);
  if (m[12]) year = 1 - year;
  const date = new Date(0);
  date.setUTCFullYear(year, Number(m[2]) - 1, Number(m[3]));
  date.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]), 0);
  let time = date.getTime();
  if (m[8]) {
    const offsetSeconds = Number(m[9]) * 3600 + Number(m[10] ?? 0) * 60 + Number(m[11] ?? 0);
    time -= (m[8] === '-' ? -1 : 1) * offsetSeconds * 1000;
  }
  // PostgreSQL keeps microseconds; so does the value (psycopg2's datetime has them too).
  return dateWithFraction(time, m[7]);
}

/** Scalar parsers by type OID. */
const SCALARS: Record<number, ValueParser> = {
  16: parseBool,
  17: parseBytea,
  20: parseBigint,
  21: parseNumber,
  23: parseNumber,
  26: parseNumber,
  114: parseJson,
  700: parseNumber,
  701: parseNumber,
  1082: identity,
  1114: parseTimestamp,
  1184: parseTimestamp,
  3802: parseJson,
};

/** Array type OID -> element type OID, for the arrays tsdbt parses element-wise. */
const ARRAYS: Record<number, number> = {
  1000: 16,
  1001: 17,
  1005: 21,
  1007: 23,
  1016: 20,
  1028: 26,
  199: 114,
  1021: 700,
  1022: 701,
  1182: 1082,
  1115: 1114,
  1185: 1184,
  3807: 3802,
  1009: 25,
  1014: 1042,
  1015: 1043,
  1003: 19,
  1231: 1700,
  2951: 2950,
  1183: 1083,
  1187: 1186,
};

/** Type names (as `format_type` prints them) for the OIDs drivers report on result columns. */
const TYPE_NAMES: Record<number, string> = {
  16: 'boolean',
  17: 'bytea',
  18: '"char"',
  19: 'name',
  20: 'bigint',
  21: 'smallint',
  23: 'integer',
  25: 'text',
  26: 'oid',
  114: 'json',
  700: 'real',
  701: 'double precision',
  1042: 'character',
  1043: 'character varying',
  1082: 'date',
  1083: 'time without time zone',
  1114: 'timestamp without time zone',
  1184: 'timestamp with time zone',
  1186: 'interval',
  1266: 'time with time zone',
  1700: 'numeric',
  2950: 'uuid',
  3802: 'jsonb',
};

/** Parses a PostgreSQL array literal (`{1,NULL,"a,b"}`, nested `{{1},{2}}`) with `element`. */
export function parseArray(text: string, element: ValueParser): unknown {
  let i = 0;
  if (text.startsWith('[')) i = text.indexOf('=') + 1; // `[0:1]={...}` dimension decoration
  const parseLevel = (): unknown[] => {
    const out: unknown[] = [];
    i++; // '{'
    if (text[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      const ch = text[i];
      if (ch === '{') {
        out.push(parseLevel());
      } else if (ch === '"') {
        let value = '';
        i++;
        while (i < text.length && text[i] !== '"') {
          if (text[i] === '\\') i++;
          value += text[i] ?? '';
          i++;
        }
        i++; // closing quote
        out.push(element(value));
      } else {
        const start = i;
        while (i < text.length && text[i] !== ',' && text[i] !== '}') i++;
        const raw = text.slice(start, i);
        out.push(raw === 'NULL' ? null : element(raw));
      }
      if (text[i] === ',') {
        i++;
        continue;
      }
      i++; // '}'
      return out;
    }
  };
  return text[i] === '{' ? parseLevel() : text;
}

/** The parser for a type OID (identity for types without one). */
export function parserFor(oid: number): ValueParser {
  const scalar = SCALARS[oid];
  if (scalar) return scalar;
  const elementOid = ARRAYS[oid];
  if (elementOid !== undefined) {
    const element = SCALARS[elementOid] ?? identity;
    return (text) => parseArray(text, element);
  }
  return identity;
}

/** Every OID with a non-identity parser, as a map (the shape PGlite's `parsers` option takes). */
export function parserTable(): Record<number, ValueParser> {
  const table: Record<number, ValueParser> = {};
  for (const oid of [...Object.keys(SCALARS), ...Object.keys(ARRAYS)].map(Number)) table[oid] = parserFor(oid);
  return table;
}

/** The type name for a result column's OID, when it is a common built-in type. */
export function typeNameFor(oid: number): string | undefined {
  const scalar = TYPE_NAMES[oid];
  if (scalar) return scalar;
  const elementOid = ARRAYS[oid];
  const element = elementOid === undefined ? undefined : TYPE_NAMES[elementOid];
  return element ? `${element}[]` : undefined;
}

// Reads seed CSV files with a real CSV parser (csv-parse), streaming: one pass infers each column's
// type (dbt's agate rules, seed-types.ts), a second pass streams
// the rows into the warehouse. A blank line is a row of NULLs, as agate reads it (Python's csv.reader
// gives it as an empty row, which agate's Table pads with None). As in dbt (dbt_common's agate_helper), an empty field and the word
// `null` (any case, blanks around it) are NULL, and a column of nothing but NULLs is an integer
// column (agate's type tester keeps every type for it and picks the first, dbt's Integer).
// As Python's csv module (agate's reader, excel dialect, not strict), a quote inside a field that
// does not start with one is an ordinary character (`{ "a": 1 }` reads as is). As agate's Table, a
// row with fewer fields than the header is padded with NULLs. Malformed CSV (a row with more fields
// than the header, a quoted field never closed) is a user error with the file and line. Fields are
// split on the seed's `delimiter` config (dbt 1.7: one character, `,` by default).
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import type { LogicalType } from '../adapters/adapter.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { SeedTypeTester, agateNumber } from './seed-types.js';

export interface SeedColumn {
  name: string;
  type: LogicalType;
  /** A field of the column was empty, `null` or missing (unset: unknown, read as yes). */
  nullable?: boolean;
  /** Its timestamps are ISO 8601 (seed-types.ts). */
  isoTimestamp?: boolean;
  /** A number column some of whose values agate reads through group commas, currency or percent signs (`38,148`). */
  formattedNumbers?: boolean;
}

/** The type of a column whose every value is NULL (dbt's agate type tester: Integer). */
export const ALL_NULL_COLUMN_TYPE: LogicalType = 'integer';

/** dbt's seed null values: `''` and `null`, compared stripped and lower-cased (agate's cast). */
export function isSeedNull(value: string): boolean {
  const v = value.trim();
  return v === '' || v.toLowerCase() === 'null';
}

/**
 * The seed's `delimiter` config: one character (`,` when unset). Anything else is dbt's
 * `"delimiter" must be a 1-character string` (Python's csv module), reported at the seed's file.
 */
export function seedDelimiter(node: { config: Record<string, unknown>; original_file_path: string }): string {
  const delimiter = node.config.delimiter ?? ',';
  if (typeof delimiter === 'string' && [...delimiter].length === 1) return delimiter;
  throw new TsdbtError(`"delimiter" must be a 1-character string; this seed's delimiter config is ${JSON.stringify(delimiter)}`, {
    code: 'seed-config-invalid',
    location: { file: node.original_file_path },
    hint: "set the seed's `delimiter` to the one character between its fields, e.g. ',', '|' or ';'",
  });
}

function csvParser(file: string, displayPath: string, delimiter: string, info = false) {
  const parser = parse({ bom: true, delimiter, relax_column_count: false, relax_column_count_less: true, relax_quotes: true, skip_empty_lines: false, info });
  const stream = createReadStream(file);
  stream.pipe(parser);
  stream.on('error', (err) => parser.destroy(err));
  return { parser, toUserError: (err: unknown) => csvError(err, displayPath) };
}

function csvError(err: unknown, displayPath: string): TsdbtError {
  if (err instanceof TsdbtError) return err;
  const e = err as { message?: string; lines?: number; code?: string };
  const message = (e.message ?? String(err)).replace(/^Invalid (Record Length|Closing Quote|Opening Quote):\s*/, (m) => m);
  return new TsdbtError(`invalid CSV: ${message}`, {
    code: 'seed-csv-invalid',
    location: { file: displayPath, line: e.lines },
    hint: 'fix the CSV: every row needs as many fields as the header, and quotes must be balanced',
    cause: err,
  });
}

/** agate's letter_name: the Excel-like name of a column without one, `a`..`z`, then `aa`..`zz`, ... */
function letterName(index: number): string {
  return String.fromCharCode(97 + (index % 26)).repeat(Math.floor(index / 26) + 1);
}

/**
 * A header's names as agate's Table names them when dbt loads a seed (agate.utils.deduplicate): a
 * blank name becomes the column's letter (`a` for the first, agate's UnnamedColumnWarning;
 * fivetran/dbt_google_play's `stats_ratings_overview.csv` starts `,_file,_line,...`, a pandas
 * index), and a name given again becomes `name_2` (then `name_3`, ...), skipping any name already
 * taken, with a warning (agate's DuplicateColumnWarning). snowplow-ecommerce's integration tests
 * seed `schema_name,schema_name`.
 */
export function deduplicateHeader(header: string[], warn?: (message: string) => void): string[] {
  const taken = new Set<string>();
  return header.map((given, index) => {
    const name = given === '' ? letterName(index) : given;
    if (name !== given) warn?.(`column ${index + 1} of the header has no name; as dbt (agate) does, it is named '${name}'`);
    let final = name;
    for (let n = 2; taken.has(final); n++) final = `${name}_${n}`;
    if (final !== name) warn?.(`column name '${name}' appears again in the header; as dbt (agate) does, the later one is named '${final}'`);
    taken.add(final);
    return final;
  });
}

/** Reads the header and infers column types; `columnTypes` (dbt's `+column_types`) wins per column. */
export async function inferSeedColumns(file: string, displayPath: string, warn?: (message: string) => void, delimiter = ','): Promise<SeedColumn[]> {
  const { parser, toUserError } = csvParser(file, displayPath, delimiter);
  let header: string[] | null = null;
  let types: SeedTypeTester[] = [];
  let nullable: boolean[] = [];
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!header) {
        header = record.map((h) => h.trim());
        types = header.map(() => new SeedTypeTester());
        header = deduplicateHeader(header, (message) => warn?.(`${displayPath}:1: ${message}`));
        nullable = header.map(() => false);
        continue;
      }
      // A short row (a blank line too) is padded with NULLs, as agate's Table pads it.
      for (let i = record.length; i < header.length; i++) nullable[i] = true;
      for (let i = 0; i < record.length; i++) {
        const value = record[i] as string;
        if (isSeedNull(value)) {
          nullable[i] = true;
          continue;
        }
        types[i]?.see(value);
      }
    }
  } catch (err) {
    throw toUserError(err);
  }
  if (!header) {
    throw new TsdbtError('the seed file is empty (no header row)', {
      code: 'seed-csv-invalid',
      location: { file: displayPath, line: 1 },
      hint: 'add a header row naming the columns',
    });
  }
  return header.map((name, i) => ({
    name,
    type: types[i]?.type(ALL_NULL_COLUMN_TYPE) ?? ALL_NULL_COLUMN_TYPE,
    nullable: nullable[i] ?? true,
    ...(types[i]?.isoTimestamp() ? { isoTimestamp: true } : {}),
    ...(types[i]?.formattedNumbers() ? { formattedNumbers: true } : {}),
  }));
}

/**
 * Streams the data rows (header skipped), empty fields, `null` and missing trailing fields as NULL;
 * the fields of `numbers` (column indexes) as the number agate reads in them (`38,148` -> `38148`).
 */
export async function* readSeedRows(file: string, displayPath: string, delimiter = ',', numbers?: ReadonlySet<number>): AsyncGenerator<(string | null)[]> {
  const { parser, toUserError } = csvParser(file, displayPath, delimiter);
  let width = -1;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (width < 0) {
        width = record.length;
        continue;
      }
      const row: (string | null)[] = record.map((v, i) => (isSeedNull(v) ? null : numbers?.has(i) ? (agateNumber(v.trim()) ?? v) : v));
      while (row.length < width) row.push(null);
      yield row;
    }
  } catch (err) {
    throw toUserError(err);
  }
}

/** The line of the file where data row `row` (1-based, header excluded) starts, if the file has it. */
export async function seedRowLine(file: string, displayPath: string, row: number, delimiter = ','): Promise<number | undefined> {
  const { parser } = csvParser(file, displayPath, delimiter, true);
  let index = -1;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (++index < row) continue;
      // csv-parse counts lines up to the end of the record: step back over its values' newlines.
      const inside = record.reduce((n, v) => n + (v.match(/\n/g)?.length ?? 0), 0);
      return info.lines - inside;
    }
  } catch {
    // The file changed since it was loaded: there is no line to point at.
  } finally {
    parser.destroy();
  }
  return undefined;
}

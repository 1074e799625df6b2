// A unit test input that gives no rows reads its seed's CSV file, as dbt's unit test parser does
// (`_load_rows_from_seed`): the rows are mappings of the header's names to the values as written,
// every one a string (Python's csv.DictReader), typed later by the fixture's casts like any dict row.
import { readFileSync } from 'node:fs';
import { csvTextRows } from '../manifest/csv-text-rows.js';
import { TsdbtError } from '../errors/tsdbt-error.js';

/** The rows of the seed file at `absPath`, each a mapping of column name to its text. */
export function seedFileRows(absPath: string): Record<string, string | null>[] {
  let text: string;
  try {
    text = readFileSync(absPath, 'utf8');
  } catch (err) {
    throw new TsdbtError(`cannot read seed file ${absPath}: ${(err as Error).message}`, { code: 'unit-test-input', hint: 'check that the seed file exists and is readable' });
  }
  return csvTextRows(text);
}

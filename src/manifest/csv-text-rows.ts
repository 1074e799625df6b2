// CSV text as Python's csv.DictReader reads it, which dbt's unit test parser uses for a seed's file
// and for `format: csv` rows: a mapping of the header's names to each row's values, every one a
// string; a short row's missing fields are None (extra fields have no name and are dropped).
import { parse as parseCsv } from 'csv-parse/sync';

export function csvTextRows(text: string): Record<string, string | null>[] {
  const records: string[][] = parseCsv(text, { bom: true, skip_empty_lines: true, relax_quotes: true, relax_column_count: true });
  const [header, ...rows] = records;
  if (!header) return [];
  return rows.map((values) => Object.fromEntries(header.map((name, i) => [name, values[i] ?? null])));
}

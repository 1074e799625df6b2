// Seed rows as dbt reads them: dbt loads a seed with agate's Table.from_csv, over Python's
// csv.reader, which gives a blank line as an empty row, and agate's Table pads a short row with
// None: a blank line between rows is a row of NULLs (re_data's validate_ip.csv has one, and its
// expected output counts it).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deduplicateHeader, inferSeedColumns, readSeedRows } from './seed-csv.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'seed-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function rows(text: string): Promise<(string | null)[][]> {
  const file = path.join(dir, `s${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(file, text);
  const out: (string | null)[][] = [];
  for await (const row of readSeedRows(file, 'seeds/s.csv')) out.push(row);
  return out;
}

describe('seed rows (agate over csv.reader)', () => {
  it('reads a blank line between rows as a row of NULLs, in a one-column and a two-column seed', async () => {
    expect(await rows('ip\n1.2.3.4\n\n::1\n')).toEqual([['1.2.3.4'], [null], ['::1']]);
    expect(await rows('a,b\n1,x\n\n2,y\n')).toEqual([['1', 'x'], [null, null], ['2', 'y']]);
  });

  it('takes the last newline as the end of the last row, not as another row', async () => {
    expect(await rows('a,b\n1,x\n')).toEqual([['1', 'x']]);
  });

  it('infers types over the same rows', async () => {
    const file = path.join(dir, 'typed.csv');
    writeFileSync(file, 'n\n1\n\n2\n');
    expect(await inferSeedColumns(file, 'seeds/typed.csv')).toEqual([{ name: 'n', type: 'integer', nullable: true }]); // the blank line is a row of NULLs
  });
});

describe('header names (agate.utils.deduplicate)', () => {
  it('names a column without a name by its letter, as agate does (a, b, ... z, aa, bb), and keeps names unique', () => {
    const header = ['', '_file', 'a', ...Array.from({ length: 24 }, (_, i) => `c${i}`), ''];
    const warnings: string[] = [];
    const named = deduplicateHeader(header, (m) => warnings.push(m));
    expect(named.slice(0, 3)).toEqual(['a', '_file', 'a_2']);
    expect(named[27]).toBe('bb');
    expect(warnings[0]).toMatch(/column 1 of the header has no name; .* named 'a'/);
  });
});

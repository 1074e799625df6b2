import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileIfChanged } from './write-file.js';

describe('writeFileIfChanged', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-write-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const long = `select ${'x, '.repeat(100)}1 as last`;

  it('makes the folder and the file when missing', () => {
    const file = path.join(dir, 'new', 'deeper', 'm.sql');
    writeFileIfChanged(file, 'select 1');
    expect(readFileSync(file, 'utf8')).toBe('select 1');
  });

  it('leaves a file that already holds the text untouched (its modification time stays)', () => {
    const file = path.join(dir, 'same.sql');
    writeFileSync(file, long);
    const past = new Date('2020-01-02T03:04:05Z');
    utimesSync(file, past, past);
    writeFileIfChanged(file, long);
    expect(statSync(file).mtime.toISOString()).toBe(past.toISOString());
    expect(readFileSync(file, 'utf8')).toBe(long);
  });

  it('overwrites a file holding other text of any length, leaving nothing of the old text', () => {
    const file = path.join(dir, 'changed.sql');
    writeFileSync(file, long);
    writeFileIfChanged(file, 'select 2'); // shorter: cut to the new length
    expect(readFileSync(file, 'utf8')).toBe('select 2');
    writeFileIfChanged(file, `${long} -- é`); // longer, with a multi-byte character
    expect(readFileSync(file, 'utf8')).toBe(`${long} -- é`);
    writeFileIfChanged(file, `${long} -- e `); // same length in bytes, other text
    expect(readFileSync(file, 'utf8')).toBe(`${long} -- e `);
  });
});

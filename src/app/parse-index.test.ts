import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSqlFileEntries, readSqlFiles, saveSqlFiles, type ParseIndex, type SqlFileEntry, type SqlFiles } from './parse-index.js';

const entry = (id: string, chunk: number): SqlFileEntry => ({ id, cacheKey: `model:${id}.sql`, chunk, position: chunk * 3, skeleton: `s${chunk}` });

describe('the SQL files entries of the parse index', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-sqlfiles-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // Paths with quotes, backslashes and braces, and a value that spells another entry's key.
  const files: SqlFiles = {
    '/p/models/a.sql': entry('model.p.a', 0),
    '/p/models/we"ird\\{b}.sql': entry('model.p.b', 1),
    '/p/models/c.sql': { ...entry('model.p.c', 2), id: '"/p/models/d.sql":{"id":"fake"}' },
    '/p/models/d.sql': entry('model.p.d', 3),
  };
  const token = saveSqlFiles(dir, files);
  const index = { sqlFilesToken: token } as ParseIndex;

  it('reads only the entries asked for, each as saved', () => {
    const wanted = ['/p/models/we"ird\\{b}.sql', '/p/models/d.sql', '/p/models/c.sql'];
    expect(readSqlFileEntries(dir, index, wanted)).toEqual(Object.fromEntries(wanted.map((f) => [f, files[f]])));
    expect(readSqlFileEntries(dir, index, ['/p/models/none.sql'])).toEqual({});
    expect(readSqlFiles(dir, index)).toEqual(files);
  });

  it('gives null for the entries of another index', () => {
    expect(readSqlFileEntries(dir, { sqlFilesToken: 'other' } as ParseIndex, ['/p/models/a.sql'])).toBeNull();
    expect(readSqlFileEntries(path.join(dir, 'missing'), index, ['/p/models/a.sql'])).toBeNull();
  });
});

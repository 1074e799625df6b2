import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseFileStamps, statStamp } from './file-stamps.js';

describe('file stamps', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-stamps-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const files = ['a.sql', 'b.yml', 'c.sql'].map((name, i) => {
    const file = path.join(dir, name);
    writeFileSync(file, 'x'.repeat(i * 7 + 1));
    return file;
  });

  it("gives statSync's size and mtimeMs, and null for a missing file", () => {
    const stampOf = chooseFileStamps(files[0] as string);
    // On Node 20 (the supported version), the binding's stamps are the ones chosen.
    expect(stampOf).not.toBe(statStamp);
    for (const file of files) {
      const stat = statSync(file);
      expect(stampOf(file)).toEqual([stat.size, stat.mtimeMs]);
    }
    expect(stampOf(path.join(dir, 'missing.sql'))).toBeNull();
  });

  it("uses Node's binding only where it agrees with statSync", () => {
    const probe = files[1] as string;
    expect(chooseFileStamps(probe, () => null)).toBe(statStamp);
    expect(
      chooseFileStamps(probe, () => {
        throw new Error('no binding');
      }),
    ).toBe(statStamp);
    // A binding whose row is laid out otherwise (another Node) is not used.
    const other = { stat: () => new Float64Array(36).fill(3) };
    expect(chooseFileStamps(probe, () => other)).toBe(statStamp);
  });
});

// Unpacking package tarballs: one top-level folder is the package; anything else is refused, and
// an entry that would land outside the scratch folder is never written.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { create, list } from 'tar';
import { afterAll, describe, expect, it } from 'vitest';
import { unpackPackage } from './unpack.js';

describe('unpacking a package tarball', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-unpack-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const tarball = async (name: string, entries: string[], files: Record<string, string>, preservePaths = false) => {
    const src = path.join(dir, `${name}-src`, 'inner');
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(src, rel)), { recursive: true });
      writeFileSync(path.join(src, rel), text);
    }
    const file = path.join(dir, `${name}.tar.gz`);
    await create({ gzip: true, cwd: src, file, preservePaths }, entries);
    return file;
  };

  it('returns the one top-level folder', async () => {
    const file = await tarball('ok', ['pkg-1.0.0'], { 'pkg-1.0.0/dbt_project.yml': 'name: pkg\n' });
    const { dir: pkg, scratch } = await unpackPackage(file, dir, 'org/pkg@1.0.0');
    expect(readFileSync(path.join(pkg, 'dbt_project.yml'), 'utf8')).toBe('name: pkg\n');
    rmSync(scratch, { recursive: true });
  });

  it('refuses a tarball with several top-level entries', async () => {
    const file = await tarball('two', ['a', 'b'], { 'a/x': '1', 'b/y': '2' });
    await expect(unpackPackage(file, dir, 'two')).rejects.toThrow('the tarball of two has 2 entries at its top, not one folder holding the package');
  });

  it('refuses a file that is not a .tar.gz', async () => {
    const file = path.join(dir, 'junk.tar.gz');
    writeFileSync(file, 'this is not gzip');
    await expect(unpackPackage(file, dir, 'junk')).rejects.toThrow('the tarball of junk could not be unpacked');
  });

  it('never writes an entry outside its folder (`..` in a path)', async () => {
    const file = await tarball('evil', ['pkg/../../escaped.txt'], { 'pkg/x': '1', '../escaped.txt': 'gotcha' }, true);
    const outside = path.join(dir, 'escaped.txt');
    const names: string[] = [];
    await list({ file, onReadEntry: (e) => names.push(e.path) });
    expect(names).toContain('pkg/../../escaped.txt');
    await expect(unpackPackage(file, dir, 'evil')).rejects.toThrow();
    expect(existsSync(outside)).toBe(false);
  });
});

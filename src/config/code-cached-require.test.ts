import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const moduleUrl = new URL('./code-cached-require.ts', import.meta.url).href;
const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Loads `file` in a new process (each start is what the cache is for) and prints its answer and whether V8 took the cache. */
function loadInProcess(file: string, home: string): { answer: unknown; cacheFiles: string[] } {
  const script = `import { codeCachedRequire } from ${JSON.stringify(moduleUrl)};
const m = codeCachedRequire(${JSON.stringify(file)});
console.log(JSON.stringify(m.answer({ n: 20 })));`;
  const out = execFileSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], { env: { ...process.env, XDG_CACHE_HOME: home }, encoding: 'utf8' });
  return { answer: JSON.parse(out.trim()) as unknown, cacheFiles: readdirSync(path.dirname(file)).filter((name) => name.endsWith('.cache')) };
}

describe('codeCachedRequire', () => {
  it('runs a CommonJS file, writes its code cache beside it, and the next process reads it to the same exports', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-code-cache-'));
    dirs.push(dir);
    const file = path.join(dir, 'validators.cjs');
    writeFileSync(file, "const { sep } = require('node:path');\nexports.answer = (arg) => ({ doubled: arg.n * 2, sep, file: __filename.endsWith('validators.cjs') });\n");
    const first = loadInProcess(file, dir);
    expect(first.answer).toEqual({ doubled: 40, sep: path.sep, file: true });
    expect(first.cacheFiles).toHaveLength(1);
    expect(first.cacheFiles[0]).toMatch(/^validators-[0-9a-f]{16}\.cache$/);
    const second = loadInProcess(file, dir);
    expect(second).toEqual(first);
  });

  it('a cache of garbage is compiled without and replaced; an older build\'s cache is removed', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-code-cache-'));
    dirs.push(dir);
    const file = path.join(dir, 'validators.cjs');
    writeFileSync(file, 'exports.answer = (arg) => arg.n + 1;\n');
    const { cacheFiles } = loadInProcess(file, dir);
    const cacheFile = path.join(dir, cacheFiles[0] ?? 'none');
    writeFileSync(cacheFile, 'not a code cache');
    writeFileSync(path.join(dir, 'validators-0123456789abcdef.cache'), 'an older build');
    const again = loadInProcess(file, dir);
    expect(again.answer).toBe(21);
    expect(again.cacheFiles).toEqual(cacheFiles);
    expect(readdirSync(dir).sort()).toEqual([...cacheFiles, 'validators.cjs'].sort());
    expect(readFileSync(cacheFile, 'latin1')).not.toBe('not a code cache');
  });
});

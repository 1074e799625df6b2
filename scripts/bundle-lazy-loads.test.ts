// The bundle's deferred loads (bundle-lazy-loads.ts): each text patch still finds its eager
// require in the installed package (a changed package would otherwise quietly load it again at
// every start), and a lazy default import behaves as the package itself.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinModuleText, LAZY_REQUIRES, lazyDefaultImports, lazyRequires, sharedBuiltinDefaults } from './bundle-lazy-loads.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('lazy requires', () => {
  it.each(LAZY_REQUIRES.map((patch) => [patch.file, patch] as const))('%s holds its eager require once', (file, patch) => {
    expect(readFileSync(path.join(ROOT, 'node_modules', file), 'utf8').split(patch.eager).length).toBe(2);
  });
});

describe('lazy default imports', () => {
  it("gives semver's members through the stand-in, the package loaded at the first read", async () => {
    const esbuild = await import('esbuild');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-lazy-import-'));
    dirs.push(dir);
    mkdirSync(path.join(dir, 'src'));
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    writeFileSync(
      path.join(dir, 'src', 'entry.js'),
      "import semver from 'semver';\nexport const answers = () => [semver.satisfies('1.2.3', '>=1.1.0 <2.0.0-0'), new semver.Range('>=1.0.0').test('0.9.0'), semver.compare('1.10.0', '1.9.0'), 'parse' in semver];\n",
    );
    const out = path.join(dir, 'out.cjs');
    await esbuild.build({ entryPoints: [path.join(dir, 'src', 'entry.js')], outfile: out, bundle: true, format: 'cjs', platform: 'node', plugins: [lazyDefaultImports(dir), lazyRequires], logLevel: 'silent' });
    const text = readFileSync(out, 'utf8');
    // semver's own modules are in the bundle, but only the stand-in's load() requires them.
    expect(text).toContain('node_modules/semver/internal/re.js');
    expect(text).toMatch(/load = \(\) => loaded \?\?= require_semver\d*\(\)/);
    const { answers } = require(out) as { answers: () => unknown[] };
    expect(answers()).toEqual([true, false, 1, true]);
  });
});

/** `entry` (the source of src/entry.js) bundled with `plugins` in a temporary project; the bundle's text and its exports. */
async function bundled(entry: string, plugins: (root: string) => Plugin[]): Promise<{ text: string; exports: Record<string, unknown> }> {
  const esbuild = await import('esbuild');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-bundle-plugin-'));
  dirs.push(dir);
  mkdirSync(path.join(dir, 'src'));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  writeFileSync(path.join(dir, 'src', 'entry.js'), entry);
  const out = path.join(dir, 'out.cjs');
  await esbuild.build({ entryPoints: [path.join(dir, 'src', 'entry.js')], outfile: out, bundle: true, format: 'cjs', platform: 'node', plugins: plugins(dir), logLevel: 'silent' });
  return { text: readFileSync(out, 'utf8'), exports: require(out) as Record<string, unknown> };
}

describe('lazy default import of fastest-levenshtein', () => {
  it('gives its distance through the stand-in, its 256 KB table made at the first read', async () => {
    const { text, exports } = await bundled("import levenshtein from 'fastest-levenshtein';\nexport const answers = () => [levenshtein.distance('kitten', 'sitting'), levenshtein.distance('', 'abc')];\n", (dir) => [lazyDefaultImports(dir)]);
    expect(text).toMatch(/load = \(\) => loaded \?\?= require_mod\d*\(\)/);
    expect((exports.answers as () => unknown[])()).toEqual([3, 3]);
  });
});

describe('shared built-in defaults', () => {
  it('gives every importer of node:path one module (no copy of its members each), default and named imports alike', async () => {
    const entry = [
      "import path from 'node:path';",
      "import { dirname, sep } from 'node:path';",
      "import os from 'node:os';",
      "import { other } from './other.js';",
      "export const answers = () => [path.join('a', 'b'), dirname('/x/y'), sep, os.EOL, typeof os.platform(), other()];",
      'export const pathModule = () => path;',
      '',
    ].join('\n');
    const { text, exports } = await bundled(entry, (dir) => {
      writeFileSync(path.join(dir, 'src', 'other.js'), "import path from 'node:path';\nexport const other = () => path.basename('/a/b.sql');\n");
      return [sharedBuiltinDefaults(dir)];
    });
    expect(text).not.toContain('__toESM(require("node:path"))');
    expect(text.split('require("node:path")').length).toBe(2);
    expect((exports.answers as () => unknown[])()).toEqual([path.join('a', 'b'), '/x', path.sep, os.EOL, 'string', 'b.sql']);
    expect((exports.pathModule as () => unknown)()).toBe(require('node:path'));
  });

  it("lists each of the module's members as a named export", () => {
    const text = builtinModuleText('node:path');
    for (const member of Object.keys(path)) expect(text).toContain(`export const ${member} = builtin.${member};`);
  });
});

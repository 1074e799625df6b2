// The import-cycle lister on small graphs and files, and src/ without a circle, at run time or
// of type-only imports.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cycles, importGraph } from './import-cycles.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

describe('cycles', () => {
  it('finds strongly connected components and self-imports, largest first', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a', 'd'])],
      ['d', new Set(['e'])],
      ['e', new Set(['d'])],
      ['f', new Set(['f'])],
      ['g', new Set(['a'])],
    ]);
    expect(cycles(graph)).toEqual([['a', 'b', 'c'], ['d', 'e'], ['f']]);
  });
});

describe('importGraph', () => {
  const dir = mkdtempSync(join(tmpdir(), 'import-cycles-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  write('a.ts', "import { b } from './b.js';\nexport const a = b;\n");
  write('b.ts', "import type { A } from './c.js';\nexport const b = 1 as A;\n");
  write('c.ts', "export type A = number;\nexport { a } from './a.js';\nexport const load = () => import('./dir/index.js');\n");
  write('dir/index.ts', "import 'node:fs';\nexport const x = 1;\n");

  it('resolves .js specifiers, export-from and import() to files, with type-only imports unless runtimeOnly', () => {
    const names = (graph: Map<string, Set<string>>) =>
      Object.fromEntries([...graph].map(([f, ts]) => [relative(dir, f), [...ts].map((t) => relative(dir, t)).sort()]));
    expect(names(importGraph([dir]))).toEqual({ 'a.ts': ['b.ts'], 'b.ts': ['c.ts'], 'c.ts': ['a.ts', join('dir', 'index.ts')], [join('dir', 'index.ts')]: [] });
    expect(cycles(importGraph([dir]))).toHaveLength(1);
    expect(cycles(importGraph([dir], true))).toEqual([]);
  });
});

describe('src', () => {
  it('has no import circle, at run time or of types', () => {
    expect(cycles(importGraph([join(root, 'src')], true))).toEqual([]);
    expect(cycles(importGraph([join(root, 'src')])).map((c) => c.map((f) => relative(root, f)))).toEqual([]);
  });
});

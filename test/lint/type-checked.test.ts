// ESLint runs typescript-eslint's recommendedTypeChecked with no-explicit-any on (eslint.config.js,
// TYPE_AWARE_RULES; ARCHITECTURE.md, "Type-aware ESLint"): an `any` is refused in src/ and in the
// tests. The type-aware rules need files on disk, so these snippets show the one that does not.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ESLint } from 'eslint';
import { snippetLinter } from '../support/snippet-linter.js';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let eslint: ESLint;

async function rulesFired(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('type-checked lint', () => {
  beforeAll(() => {
    eslint = snippetLinter(root);
  });

  it('refuses an explicit any, in src/ and in the tests', async () => {
    const code = 'export function f(x: any): unknown {\n  return x;\n}\n';
    expect(await rulesFired(code, 'src/graph/x.ts')).toEqual(['@typescript-eslint/no-explicit-any']);
    expect(await rulesFired(code, 'src/execution/x.test.ts')).toEqual(['@typescript-eslint/no-explicit-any']);
    expect(await rulesFired(code, 'test/support/x.ts')).toEqual(['@typescript-eslint/no-explicit-any']);
  });

  it('takes unknown, narrowed before use', async () => {
    const code = 'export function f(x: unknown): string {\n  return typeof x === "string" ? x : "";\n}\n';
    expect(await rulesFired(code, 'src/graph/x.ts')).toEqual([]);
  });
});

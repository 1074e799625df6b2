// The ESLint rule that keeps dialect knowledge inside src/adapters/ (eslint.config.js,
// `dialectKnowledge`): each snippet is a shape of code that once lived outside the adapters
// (ARCHITECTURE.md, "Where the dialect lives"); linted as a core file it fails, as an adapter file
// it passes.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ESLint } from 'eslint';
import { snippetLinter } from '../support/snippet-linter.js';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let eslint: ESLint;

async function boundaryErrors(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => `${m.line}: ${m.message}`);
}

const CASES: Record<string, string> = {
  // src/loader/batch-writer.ts isDataError, before Adapter.rules.isDataError
  'error codes': "export const isDataError = (code: string) => /^(sqlstate-22|clickhouse-(6|27)$)/.test(code);\n",
  'an error code': "export const duplicate = (code: string) => code === 'sqlstate-42P06';\n",
  // src/jinja/dbt/agate-values.ts, before Adapter.rules.agateType
  'type-name patterns': "export const isTime = (t: string) => /^(?:timestamp|timestamptz|datetime64)\\b/.test(t);\n",
  // src/jinja/dbt/api-column.ts, before Adapter.rules.columnTypes
  'type names': "export const STRINGS = new Set(['text', 'character varying']);\n",
  // src/graph/manifest-builder.ts, before the dialect's dispatchPrefixes
  'prefixed macro names': 'export const overridden = (has: (n: string) => boolean, name: string) => has(`postgres__${name}`);\n',
  // src/config/profiles.ts, before EMBEDDED_DEFAULT
  'dialect names': "export const embedded = { type: 'pglite' };\n",
  'branching on the adapter': "export const f = (adapter: { type: string }) => (adapter.type === 'warehouse-x' ? 1 : 2);\n",
};

describe('dialect knowledge stays in src/adapters/', () => {
  beforeAll(() => {
    eslint = snippetLinter(root);
  });

  for (const [what, code] of Object.entries(CASES)) {
    it(`rejects ${what} in core code, accepts them in an adapter`, async () => {
      expect(await boundaryErrors(code, 'src/app/boundary-example.ts')).toHaveLength(1);
      expect(await boundaryErrors(code, 'src/adapters/example/boundary-example.ts')).toEqual([]);
    });
  }

  it('rejects SQL text in the loader, the scheduler, artifacts and docs, accepts it in an adapter', async () => {
    // src/loader/batch-writer.ts storedPositions, before Adapter.queries.maxByGroup
    const code = 'export const positions = (offsets: string) => `select partition as p, max(next_offset) as next_offset from ${offsets} group by partition`;\n';
    expect(await boundaryErrors(code, 'src/loader/boundary-example.ts')).toHaveLength(1);
    expect(await boundaryErrors(code, 'src/adapters/example/boundary-example.ts')).toEqual([]);
    expect(await boundaryErrors("export const isSelect = (type: string) => type === 'select';\n", 'src/docs/boundary-example.ts')).toEqual([]);
  });

  it('accepts asking the adapter', async () => {
    const code = [
      "import type { Adapter } from '../adapters/adapter.js';",
      'export const refused = (adapter: Adapter, err: unknown) => adapter.rules.isDataError(err);',
      "export const text = (adapter: Adapter) => adapter.sql.typeFor('text');",
      "export const agate = 'DateTime';",
      '',
    ].join('\n');
    expect(await boundaryErrors(code, 'src/app/boundary-example.ts')).toEqual([]);
  });
});

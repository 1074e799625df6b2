// The ESLint rules that keep src/'s layers (eslint.config.js, `LAYERS`; ARCHITECTURE.md, "Layers"):
// a folder imports only the folders below it. Each case is an import that would run up the layers,
// linted as a file of the lower folder (it fails) and as a file of a folder above (it passes); unit
// tests may import across layers; the named exceptions stay allowed, and only for their own file.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ESLint } from 'eslint';
import { snippetLinter } from '../support/snippet-linter.js';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let eslint: ESLint;

async function layerErrors(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

/** [importing file, import, a file of a higher folder that may import it] */
const UPWARD: [string, string, string][] = [
  ['src/manifest/x.ts', '../graph/dag.js', 'src/plan/x.ts'],
  ['src/adapters/x.ts', '../execution/compiler.js', 'src/materializations/x.ts'],
  ['src/adapters/postgres/x.ts', '../../jinja/dbt/node-context.js', 'src/graph/x.ts'],
  ['src/jinja/engine/x.ts', '../pylib/re/index.js', 'src/jinja/dbt/x.ts'],
  ['src/jinja/engine/x.ts', '../dbt/node-context.js', 'src/graph/x.ts'],
  ['src/graph/x.ts', '../plan/execution-plan.js', 'src/execution/x.ts'],
  ['src/selection/x.ts', '../graph/dag.js', 'src/plan/x.ts'],
  ['src/execution/x.ts', '../app/invocation.js', 'src/cli/x.ts'],
  ['src/app/x.ts', '../cli/main.js', 'src/cli/y.ts'],
  ['src/loader/x.ts', '../schedule/metrics.js', 'src/app/x.ts'],
];

describe('layers of src/', () => {
  beforeAll(() => {
    eslint = snippetLinter(root);
  });

  for (const [lower, specifier, upper] of UPWARD) {
    it(`${lower} may not import ${specifier}; ${upper} may`, async () => {
      const code = `import { x } from '${specifier}';\nexport const y = x;\n`;
      const errors = await layerErrors(code, lower);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/is below src\/[a-z/]+\/ and does not import it/);
      // The same import written from above, with the path it would have there.
      const fromUpper = path.relative(path.dirname(upper), path.resolve(path.dirname(lower), specifier)).replace(/^(?!\.)/, './');
      expect(await layerErrors(`import { x } from '${fromUpper}';\nexport const y = x;\n`, upper)).toEqual([]);
    });
  }

  it('lets one stage import itself, and execution and materializations each other', async () => {
    expect(await layerErrors("import { x } from './dag.js';\nexport const y = x;\n", 'src/graph/x.ts')).toEqual([]);
    expect(await layerErrors("import { x } from '../materializations/seed.js';\nexport const y = x;\n", 'src/execution/x.ts')).toEqual([]);
    expect(await layerErrors("import { x } from '../execution/results.js';\nexport const y = x;\n", 'src/materializations/x.ts')).toEqual([]);
  });

  it('lets a unit test import any layer', async () => {
    expect(await layerErrors("import { x } from '../execution/results.js';\nexport const y = x;\n", 'src/artifacts/x.test.ts')).toEqual([]);
  });

  it('has no exception left: the last ones are refused in their old files too', async () => {
    const code = "import { nodeJson } from '../artifacts/manifest-writer.js';\nexport const y = nodeJson;\n";
    expect(await layerErrors(code, 'src/graph/flat-graph.ts')).toHaveLength(1);
    expect(await layerErrors(code, 'src/graph/dag.ts')).toHaveLength(1);
  });

  it('keeps type-only imports in the layers too, and drivers out of every layer but the adapters', async () => {
    expect(await layerErrors("import type { X } from '../graph/dag.js';\nexport type Y = X;\n", 'src/manifest/x.ts')).toHaveLength(1);
    expect(await layerErrors("import pg from 'pg';\nexport const y = pg;\n", 'src/graph/x.ts')).toHaveLength(1);
    expect(await layerErrors("import pg from 'pg';\nexport const y = pg;\n", 'src/adapters/postgres/x.ts')).toEqual([]);
  });
});

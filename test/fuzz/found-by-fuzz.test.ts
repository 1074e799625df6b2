// Inputs the fuzz suite found failing, kept as plain regression tests (the YAML ones also have unit
// tests next to their fix): each used to end in "internal error (a tsdbt bug)".
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/app/parse-command.js';
import { createInvocation } from '../../src/app/invocation.js';
import { reportFatal } from '../../src/cli/error-output.js';
import { removeDir, testdir } from '../support/testdir.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) removeDir(dir);
  dir = undefined;
});

async function parse(files: Record<string, string>): Promise<{ code: number; output: string }> {
  dir = testdir({ 'dbt_project.yml': 'name: demo\nprofile: demo\n', 'models/m.sql': 'select 1 as id\n', ...files });
  const lines: string[] = [];
  const inv = createInvocation({ projectDir: dir, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: dir } });
  try {
    return { code: await parseCommand(inv), output: lines.join('\n') };
  } catch (err) {
    return { code: reportFatal(err, (l) => lines.push(l), 'text'), output: lines.join('\n') };
  }
}

describe('found by the YAML fuzz', () => {
  it("a test config rendering to a relation (`where: \"{{ ref('m') }}\"`) is kept as its text, and the parse cache is written", async () => {
    const out = await parse({ 'models/schema.yml': 'version: 2\nmodels:\n  - name: m\n    columns:\n      - name: id\n        data_tests:\n          - not_null:\n              config:\n                where: "{{ ref(\'m\') }}"\n' });
    expect(out.code, out.output).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(dir as string, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, { resource_type: string; config: { where?: unknown } }> };
    const test = Object.values(manifest.nodes).find((n) => n.resource_type === 'test');
    expect(test?.config.where).toBe('"m"');
  });

  it('an alias without its anchor in a property file is a project error at its line', async () => {
    const out = await parse({ 'models/schema.yml': 'vars<<: *a\n    ' });
    expect(out.code).toBe(2);
    expect(out.output).toContain('models/schema.yml:1: invalid YAML: Unresolved alias (the anchor must be set before the alias): a');
  });
});

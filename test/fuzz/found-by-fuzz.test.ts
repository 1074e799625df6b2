// Inputs the fuzz suite found failing, kept as plain regression tests (the YAML ones also have unit
// tests next to their fix): each used to end in "internal error (a tsdbt bug)".
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
  it("a test config calling ref() (`where: \"{{ ref('m') }}\"`) is dbt's one clear error at its line, not a crash", async () => {
    // The fuzz found the rendered relation crashing the parse cache's write; since then a generic
    // test's config renders in dbt's property-file context, where ref() is undefined (TestBuilder).
    const out = await parse({ 'models/schema.yml': 'version: 2\nmodels:\n  - name: m\n    columns:\n      - name: id\n        data_tests:\n          - not_null:\n              config:\n                where: "{{ ref(\'m\') }}"\n' });
    expect(out.code, out.output).toBe(2);
    expect(out.output).toContain(`models/schema.yml:7: Invalid generic test configuration given in models/schema.yml: The m.id column's "not_null" test references an undefined macro in its where configuration argument. The macro 'ref' is undefined.`);
    expect(out.output.match(/Invalid generic test configuration/g)).toHaveLength(1);
    expect(out.output).not.toMatch(/\n\s+at /);
  });

  it('an alias without its anchor in a property file is a project error at its line', async () => {
    const out = await parse({ 'models/schema.yml': 'vars<<: *a\n    ' });
    expect(out.code).toBe(2);
    expect(out.output).toContain('models/schema.yml:1: invalid YAML: Unresolved alias (the anchor must be set before the alias): a');
  });
});

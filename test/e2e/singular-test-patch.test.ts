// A `data_tests:` entry of a property file patches the singular test of its name (dbt 1.9's
// SingularTestPatchParser): its description (doc() rendered), its config under the test's own
// config() calls, and its meta; an entry without a name stops the section with dbt's warning.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

async function parse(files: Record<string, string>) {
  const dir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, ...files });
  dirs.push(dir);
  const result = await runTsdbt(['parse', '--project-dir', dir, '--no-partial-parse']);
  const manifest = JSON.parse(readFileSync(path.join(dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, Record<string, unknown> & { config: Record<string, unknown> }> };
  return { ...result, output: `${result.stdout}\n${result.stderr}`, nodes: manifest.nodes };
}

const TEST_SQL = "{{ config(severity='warn') }}\nselect 1 as id where false\n";

describe('data_tests: entries patch singular tests', () => {
  it('applies description (through doc()), config and meta; the SQL config() wins', async () => {
    const { code, nodes, output } = await parse({
      'tests/no_rows.sql': TEST_SQL,
      'tests/other.sql': 'select 1 as id where false\n',
      'tests/docs.md': '{% docs no_rows_doc %}\nNo row may come back.\n{% enddocs %}\n',
      'tests/schema.yml': `data_tests:
  - name: no_rows
    description: "{{ doc('no_rows_doc') }}"
    config:
      error_if: ">10"
      severity: error
      meta: {owner: ana}
`,
    });
    expect(code, output).toBe(0);
    const node = Object.values(nodes).find((n) => n.name === 'no_rows');
    expect(node).toMatchObject({ description: 'No row may come back.', meta: { owner: 'ana' }, patch_path: expect.stringMatching(/:\/\/tests\/schema\.yml$/) as unknown });
    expect(node?.config).toMatchObject({ error_if: '>10', severity: 'warn', meta: { owner: 'ana' } });
    const other = Object.values(nodes).find((n) => n.name === 'other');
    expect(other).toMatchObject({ description: '', patch_path: null });
  });

  it('warns as dbt does at an entry without a name, keeping the entries before it', async () => {
    const { code, nodes, output } = await parse({
      'tests/no_rows.sql': TEST_SQL,
      'tests/schema.yml': 'data_tests:\n  - name: no_rows\n    description: kept\n  - not_null:\n      where: x\n',
    });
    expect(code, output).toBe(0);
    expect(output).toContain("Unable to parse 'data_tests' section of file 'tests/schema.yml'");
    expect(output).toContain('Entry did not contain a name');
    expect(Object.values(nodes).find((n) => n.name === 'no_rows')?.description).toBe('kept');
  });
});

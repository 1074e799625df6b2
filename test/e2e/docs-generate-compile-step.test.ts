// dbt's `docs generate` runs the compile task first (task/docs/generate.py: GenerateTask.run calls
// CompileTask.run unless --no-compile), so, as `dbt compile`:
// - on success that step writes target/run_results.json (runnable.py GraphRunnableTask.run:
//   result.write(self.result_path())), `args.which` 'generate', one success per compiled node
//   (seeds too, without SQL; ephemeral models never: CompileTask._handle_result keeps those for
//   `dbt compile` only), and prints the compiled code of each node the first --select names
//   (CompileTask.task_end_messages);
// - a node that does not compile stops the command: CompileTask.raise_on_first_error makes the
//   runner raise a DbtRuntimeError, which leaves GenerateTask.run before it copies index.html,
//   reads the catalog or writes manifest.json, and before the compile step writes run_results.json
//   (the earlier run's stays); `requires.postflight` prints "Encountered an error:" and the CLI
//   exits 2 (ExceptionExit). The files of the nodes compiled before are in target/compiled.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { docsGenerateCommand } from '../../src/app/docs-command.js';
import { createInvocation } from '../../src/app/invocation.js';
import { MEMORY_PROFILE } from '../support/offline-project.js';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const FILES = {
  'profiles.yml': MEMORY_PROFILE,
  'dbt_project.yml': 'name: demo\nprofile: demo\n',
  'seeds/s.csv': 'id\n1\n',
  'models/m.sql': "select id from {{ ref('s') }}\n",
  'models/eph.sql': "{{ config(materialized='ephemeral') }}\nselect 2 as id\n",
  'models/uses_eph.sql': "select * from {{ ref('eph') }}\n",
  'models/schema.yml': 'version: 2\nmodels:\n  - name: m\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
};

interface RunResults {
  args: Record<string, unknown>;
  results: { unique_id: string; status: string; compiled: boolean | null; compiled_code: string | null }[];
}

describe("docs generate's compile step, as dbt's CompileTask.run", () => {
  const dir = testdir(FILES);
  afterAll(() => removeDir(dir));
  const env = { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: dir };
  const target = (file: string) => path.join(dir, 'target', file);

  it("writes run_results.json: 'generate', a success per compiled node, seeds without SQL, no ephemeral model", async () => {
    expect(await docsGenerateCommand(createInvocation({ projectDir: dir, write: () => {}, env }), { compile: true, emptyCatalog: true })).toBe(0);
    const run = JSON.parse(readFileSync(target('run_results.json'), 'utf8')) as RunResults;
    expect(run.args).toMatchObject({ which: 'generate', compile: true, empty_catalog: true, static: false });
    expect(run.results.map((r) => [r.unique_id, r.status, r.compiled]).sort()).toEqual([
      ['model.demo.m', 'success', true],
      ['model.demo.uses_eph', 'success', true],
      ['seed.demo.s', 'success', null],
      ['test.demo.not_null_m_id.41ed50364b', 'success', true],
    ]);
    expect(run.results.find((r) => r.unique_id === 'model.demo.uses_eph')?.compiled_code).toContain('__dbt__cte__eph as (');
  });

  it('prints the compiled code of the node --select names', async () => {
    const lines: string[] = [];
    const inv = createInvocation({ projectDir: dir, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env, select: ['m'] });
    expect(await docsGenerateCommand(inv, { compile: true, emptyCatalog: true })).toBe(0);
    const output = lines.join('\n');
    expect(output).toMatch(/Compiled node 'm' is:\nselect id from "[^"]+"\."main"\."s"\n/);
    expect(output).not.toContain("Compiled node 'uses_eph'");
  });

  it('stops at a node that does not compile: exit 2, its error, no catalog, site, manifest or run_results of its own', async () => {
    const earlier = '{"metadata": {}, "results": [], "args": {"which": "run"}}';
    rmSync(path.join(dir, 'target'), { recursive: true, force: true });
    writeFileSync(path.join(dir, 'models', 'broken.sql'), "select {{ no_such_macro() }} from {{ ref('m') }}\n");
    try {
      // An earlier command's run_results.json, which the failed compile step does not replace.
      const first = await runTsdbt(['parse', '--project-dir', dir], { env });
      expect(first.code, first.stdout + first.stderr).toBe(0);
      writeFileSync(target('run_results.json'), earlier);
      const result = await runTsdbt(['docs', 'generate', '--project-dir', dir], { env });
      const output = result.stdout + result.stderr;
      expect(result.code, output).toBe(2);
      expect(output).toMatch(/Encountered an error:\nCompilation Error in model broken \(models\/broken\.sql\)\n {2}models\/broken\.sql:1: 'no_such_macro' is undefined/);
      expect(output).not.toContain('Catalog written');
      for (const file of ['catalog.json', 'index.html', 'tsdbt-docs-data.js']) expect(existsSync(target(file)), file).toBe(false);
      // parse wrote manifest.json; the failed generate left it as parse wrote it (no compiled code).
      const manifest = JSON.parse(readFileSync(target('manifest.json'), 'utf8')) as { nodes: Record<string, { compiled_code?: string }> };
      expect(manifest.nodes['model.demo.m']?.compiled_code).toBeUndefined();
      expect(readFileSync(target('run_results.json'), 'utf8')).toBe(earlier);
      // What compiled before the failure is on disk, as dbt's compiler writes each node's file.
      expect(readFileSync(target('compiled/demo/models/m.sql'), 'utf8')).toMatch(/^select id from /);
    } finally {
      rmSync(path.join(dir, 'models', 'broken.sql'));
    }
  });
});

// `tsdbt compile` writes target/run_results.json as dbt's compile does (GraphRunnableTask.run):
// one success per compiled node (its compile and execute timings, compiled_code, relation_name), ephemeral
// models left out, a seed's compiled fields and relation_name null. A node that does not compile stops dbt's compile (CompileTask.raise_on_first_error:
// the runner's error is raised as a DbtRuntimeError before run() writes anything), so then:
// - exit 2 and "Encountered an error:" with the node's Compilation Error (tsdbt names every node that
//   failed, each once, where dbt stops at the first);
// - no run_results.json: the last command's stays;
// - manifest.json is the one `@requires.manifest` wrote after parsing, before the compile: no node
//   carries compiled code (not even one compiled by the last, successful, compile).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

interface RunResults {
  metadata: { invocation_id: string };
  args: { which: string };
  results: { unique_id: string; status: string; message: string | null; compiled: boolean | null; compiled_code: string | null; relation_name: string | null; timing: { name: string }[] }[];
}

interface Manifest {
  metadata: { invocation_id: string };
  nodes: Record<string, { compiled?: boolean; compiled_code?: string; compiled_path?: string | null }>;
}

describe('compile and run_results.json', () => {
  const dir = testdir({
    'dbt_project.yml': 'name: comp\nprofile: comp\n',
    'seeds/s.csv': 'id\n1\n',
    'models/good.sql': 'select 1 as id\n',
    'models/child.sql': "select id from {{ ref('good') }}\n",
    'models/eph_ok.sql': "{{ config(materialized='ephemeral') }}\nselect 2 as id\n",
    'models/uses_eph_ok.sql': "select id from {{ ref('eph_ok') }}\n",
  });
  afterAll(() => removeDir(dir));
  const read = <T>(file: string) => JSON.parse(readFileSync(path.join(dir, 'target', file), 'utf8')) as T;

  it('records a success per compiled node, with its compiled code; none for an ephemeral model', async () => {
    const result = await runTsdbt(['compile', '--project-dir', dir]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const runResults = read<RunResults>('run_results.json');
    expect(runResults.args.which).toBe('compile');
    const byId = Object.fromEntries(runResults.results.map((r) => [r.unique_id, r]));
    expect(Object.keys(byId).sort()).toEqual(['model.comp.child', 'model.comp.good', 'model.comp.uses_eph_ok', 'seed.comp.s']);
    // A seed is no CompiledResource: dbt's process_run_result writes its compiled fields and relation_name null.
    expect(byId['seed.comp.s']).toMatchObject({ status: 'success', compiled: null, compiled_code: null, relation_name: null });
    expect(byId['model.comp.child']).toMatchObject({ status: 'success', message: null, compiled_code: 'select id from "postgres"."analytics"."good"', relation_name: '"postgres"."analytics"."child"' });
    // BaseRunner.compile_and_execute's two timings (CompileRunner.execute does nothing).
    expect(byId['model.comp.child']?.timing.map((t) => t.name)).toEqual(['compile', 'execute']);
    expect(read<Manifest>('manifest.json').nodes['model.comp.child']?.compiled_code).toBe('select id from "postgres"."analytics"."good"');

    // A selection compiles only its nodes, and run_results.json says only those.
    expect((await runTsdbt(['compile', '-s', 'good', '--project-dir', dir])).code).toBe(0);
    expect(read<RunResults>('run_results.json').results.map((r) => [r.unique_id, r.status])).toEqual([['model.comp.good', 'success']]);
  });

  it('stops at a node that does not compile: exit 2, the error, no run_results.json, the parsed manifest.json', async () => {
    writeFileSync(path.join(dir, 'models/bad.sql'), "select {{ exceptions.raise_compiler_error('boom in bad') if execute else 1 }} as x\n");
    writeFileSync(path.join(dir, 'models/worse.sql'), "select {{ exceptions.raise_compiler_error('boom in worse') if execute else 1 }} as x\n");
    const before = readFileSync(path.join(dir, 'target/run_results.json'), 'utf8');
    const result = await runTsdbt(['compile', '--project-dir', dir]);
    const output = result.stdout + result.stderr;
    expect(result.code, output).toBe(2);
    expect(output).toMatch(/Encountered 2 errors:\nCompilation Error in model bad \(models\/bad\.sql\)\n {2}models\/bad\.sql:1: boom in bad/);
    expect(output).toMatch(/Compilation Error in model worse \(models\/worse\.sql\)\n {2}models\/worse\.sql:1: boom in worse/);
    expect(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')).toBe(before);
    const manifest = read<Manifest>('manifest.json');
    // This invocation's manifest.json (the failed compile's parse), not the previous compile's.
    expect(manifest.metadata.invocation_id).not.toBe((JSON.parse(before) as RunResults).metadata.invocation_id);
    expect(Object.keys(manifest.nodes)).toContain('model.comp.bad');
    for (const id of ['model.comp.good', 'model.comp.child', 'model.comp.bad']) {
      expect(manifest.nodes[id]?.compiled_code, id).toBeUndefined();
      expect(manifest.nodes[id]?.compiled, id).toBeUndefined();
    }
  });
});

// dbt's HookParser renders each on-run-start / on-run-end hook at parse with the parse (capture)
// context, as any SQL node (parser/base.py parse_node -> render_update -> get_rendered), and lets a
// render's error through: ManifestLoader.parse_project does not catch it, so the parse fails with a
// compilation error in the hook's operation node. What the capture context allows still parses:
// execute is false, run_query's result and the run's `results` / `schemas` are undefined there, and
// a name no macro defines yet is a callable undefined.
import { afterAll, describe, expect, it } from 'vitest';
import { offlineProject } from '../support/offline-project.js';
import { runTsdbt } from '../support/run-cli.js';
import { MEMORY_PROFILE } from '../support/offline-project.js';
import { removeDir, testdir } from '../support/testdir.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) removeDir(dir);
});

describe('a project hook that fails to render at parse', () => {
  it('fails the parse, naming the dbt_project.yml (a package’s too) and the hook', async () => {
    const dir = testdir({
      'profiles.yml': MEMORY_PROFILE,
      'dbt_project.yml': `name: demo\nprofile: demo\non-run-start: ${JSON.stringify(['select 1', "{{ exceptions.raise_compiler_error('no hooks today') }}"])}\n`,
      'models/m.sql': 'select 1 as id\n',
      'dbt_packages/pkg/dbt_project.yml': `name: pkg\non-run-end: ${JSON.stringify(['select 1\n{% if %}x{% endif %}'])}\n`,
    });
    dirs.push(dir);
    const parse = await runTsdbt(['parse', '--project-dir', dir, '--profiles-dir', dir]);
    const output = parse.stdout + parse.stderr;
    expect(parse.code, output).toBe(2);
    expect(output).toContain('Compilation Error in on-run-start hook demo-on-run-start-1 (dbt_project.yml)\n  dbt_project.yml: no hooks today');
    expect(output).toMatch(/Compilation Error in on-run-end hook pkg-on-run-end-0 \(dbt_packages\/pkg\/dbt_project\.yml\)\n {2}dbt_packages\/pkg\/dbt_project\.yml: .*\(line 2 of the hook\)/);
    // Not a parse that went on: no manifest.json was written.
    expect(output).not.toContain('wrote target/manifest.json');
  });

  it('parses a hook whose Jinja needs the run: run_query, results, schemas, a macro not defined', async () => {
    const hooks = {
      'on-run-start': ["{% set r = run_query('select 1 as x') %}select {{ r.columns[0].values()[0] }} as x", '{{ not_a_macro() }}', "{% if execute %}{{ exceptions.raise_compiler_error('only when run') }}{% endif %}"],
      'on-run-end': ["{% for s in schemas %}grant usage on schema {{ s }} to public;{% endfor %}", 'select {{ results | length }} as n'],
    };
    const project = await offlineProject(
      {
        'dbt_project.yml': `name: demo\nprofile: demo\non-run-start: ${JSON.stringify(hooks['on-run-start'])}\non-run-end: ${JSON.stringify(hooks['on-run-end'])}\n`,
        'models/m.sql': 'select 1 as id\n',
      },
      'parse',
    );
    dirs.push(project.dir);
    const manifest = project.manifest<{ nodes: Record<string, { raw_code: string }> }>();
    expect(manifest.nodes['operation.demo.demo-on-run-start-0']?.raw_code).toBe(hooks['on-run-start'][0]);
    expect(Object.keys(manifest.nodes).filter((id) => id.startsWith('operation.'))).toHaveLength(5);
  });
});

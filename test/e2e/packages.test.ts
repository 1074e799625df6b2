// Packages as dbt runs them: `tsdbt deps` installs a `local:` package (and a `git:` one from a
// repository on disk), the package's macros are reachable as `pkg.macro()`, `dispatch` in the
// root dbt_project.yml puts the root project's implementation first, package models and seeds get
// the package's own config scope with the root project's overrides, and per-package vars.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { depsCommand } from '../../src/app/deps-command.js';
import { createInvocation } from '../../src/app/invocation.js';
import { reportFatal } from '../../src/cli/error-output.js';
import { WAREHOUSES, warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';
import { removeDir, testdir } from '../support/testdir.js';

const PACKAGE_FILES: Record<string, string> = {
  'vendor/pkg_a/dbt_project.yml': [
    'name: pkg_a',
    'version: "1.0"',
    'config-version: 2',
    'vars:',
    '  pkg_greeting: package-default',
    '  pkg_label: from-package',
    'models:',
    '  pkg_a:',
    '    +materialized: table',
    '    +schema: pkg',
    'seeds:',
    '  pkg_a:',
    '    +column_types:',
    '      code: text',
    // A package's run hooks run too, in its own context (its macros and vars), after the root's
    // (dbt's RunTask._hook_keyfunc sorts the root project's first).
    'on-run-end:',
    '  - "insert into {{ target.schema }}.hook_log (who) values ({{ pkg_a.greet(\'hook\') }})"',
  ].join('\n'),
  'vendor/pkg_a/macros/greet.sql': [
    "{% macro greet(name) %}'{{ var('pkg_greeting') }}, {{ name }}'{% endmacro %}",
    "{% macro cents(column) %}{{ return(adapter.dispatch('cents', 'pkg_a')(column)) }}{% endmacro %}",
    '{% macro default__cents(column) %}({{ column }} * 100){% endmacro %}',
    '{% macro _private_helper() %}private-ok{% endmacro %}',
  ].join('\n'),
  'vendor/pkg_a/models/pkg_model.sql': "select {{ pkg_a.greet('package') }} as greeting, '{{ var(\"pkg_label\") }}' as label, '{{ pkg_a._private_helper() }}' as private_call",
  'vendor/pkg_a/seeds/pkg_codes.csv': 'code,amount\n007,1.5\n010,2\n',
};

const ROOT_FILES: Record<string, string> = {
  'dbt_project.yml': [
    'name: demo',
    'profile: demo',
    'dispatch:',
    '  - macro_namespace: pkg_a',
    '    search_order: [demo, pkg_a]',
    'vars:',
    '  pkg_greeting: hello',
    '  pkg_a:',
    '    pkg_greeting: hi',
    'models:',
    '  pkg_a:',
    '    +schema: pkg_over',
    'on-run-start:',
    '  - "create table if not exists {{ target.schema }}.hook_log (n serial, who text)"',
    'on-run-end:',
    '  - "insert into {{ target.schema }}.hook_log (who) values (\'root\')"',
  ].join('\n'),
  'packages.yml': 'packages:\n  - local: vendor/pkg_a\n',
  // The root project's implementation wins through dispatch's search order.
  'macros/cents.sql': '{% macro default__cents(column) %}round({{ column }} * 100)::int{% endmacro %}',
  'models/uses_package.sql': [
    "select {{ pkg_a.greet('root') }} as greeting,",
    // A vars key named after a package is a var too: the package's scope, as a dict.
    "       '{{ var(\"pkg_a\").get(\"pkg_greeting\") }}' as scoped,",
    "       {{ pkg_a.cents('amount') }} as cents, code",
    "from {{ ref('pkg_codes') }}",
    "join {{ ref('pkg_a', 'pkg_model') }} on true",
  ].join('\n'),
};

async function deps(dir: string): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const inv = createInvocation({ projectDir: dir, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, HOME: dir } });
  try {
    return { code: await depsCommand(inv), output: lines.join('\n') };
  } catch (err) {
    const code = reportFatal(err, (l) => lines.push(l), 'text');
    return { code, output: lines.join('\n') };
  }
}

describe.each(WAREHOUSES)('packages on %s', (kind) => {
  let project: WarehouseProject;
  beforeAll(() => {
    project = warehouseProject(kind, { ...ROOT_FILES, ...PACKAGE_FILES });
  });
  afterAll(async () => {
    await project.cleanup();
  });

  it('refuses to build before `tsdbt deps`, saying what to run', async () => {
    const err = (await project.run('build').catch((e: unknown) => e)) as { message: string; hint?: string; location?: { file: string; line?: number } };
    expect(err.message).toBe('packages.yml lists 1 package(s) but only 0 are installed in dbt_packages/');
    expect(err.hint).toContain('tsdbt deps');
    expect(err.location).toEqual({ file: 'packages.yml', line: 2 });
  });

  it('installs the local package as a link in dbt_packages/', async () => {
    const out = await deps(project.dir);
    expect(out.code).toBe(0);
    expect(out.output).toContain('Installing vendor/pkg_a');
    expect(out.output).toContain('Installed from <local @ vendor/pkg_a>');
    expect(lstatSync(path.join(project.dir, 'dbt_packages', 'pkg_a')).isSymbolicLink()).toBe(true);
  });

  it('builds with package macros, dispatch overrides, package config scope and per-package vars', async () => {
    const out = await project.run('build');
    expect(out.code, out.output).toBe(0);
    const ids = out.results.map((r) => r.unique_id).sort();
    // Each project hook is a result too (dbt 1.9+), named by its project.
    expect(ids).toEqual(['model.demo.uses_package', 'model.pkg_a.pkg_model', 'operation.demo.demo-on-run-end-0', 'operation.demo.demo-on-run-start-0', 'operation.pkg_a.pkg_a-on-run-end-0', 'seed.pkg_a.pkg_codes']);
    // The root's `models: pkg_a: +schema` wins over the package's own `+schema: pkg`.
    const pkgRows = await project.sql(`select greeting, label, private_call from "${project.schema}_pkg_over".pkg_model`);
    expect(pkgRows).toEqual([{ greeting: 'hi, package', label: 'from-package', private_call: 'private-ok' }]);
    expect(await project.sql(`select who from "${project.schema}".hook_log order by n`)).toEqual([{ who: 'root' }, { who: 'hi, hook' }]);
    // A package macro called from a root model sees the root model's vars (the global one); the
    // package's seed config (column_types: code text) keeps the leading zeros.
    const rows = await project.sql(`select greeting, scoped, cents, code from "${project.schema}".uses_package order by code`);
    expect(rows).toEqual([
      { greeting: 'hello, root', scoped: 'hi', cents: 150, code: '007' },
      { greeting: 'hello, root', scoped: 'hi', cents: 200, code: '010' },
    ]);
    // A change to the package's dbt_project.yml is seen by the next run (not hidden by partial parsing).
    project.write('vendor/pkg_a/dbt_project.yml', PACKAGE_FILES['vendor/pkg_a/dbt_project.yml']!.replace('+materialized: table', '+materialized: view'));
    expect((await project.run('run', { select: ['pkg_model'] })).code).toBe(0);
    const kind = `select table_type from information_schema.tables where table_schema = '${project.schema}_pkg_over' and table_name = 'pkg_model'`;
    expect(await project.sql(kind)).toEqual([{ table_type: 'VIEW' }]);
    project.write('vendor/pkg_a/dbt_project.yml', PACKAGE_FILES['vendor/pkg_a/dbt_project.yml']!);
  });
});

describe('tsdbt deps', () => {
  let dir: string;
  beforeAll(() => {
    dir = testdir({});
  });
  afterAll(() => removeDir(dir));

  it('clones a git package (a repository on disk) and names it by its dbt_project.yml', async () => {
    const repo = path.join(dir, 'repo');
    mkdirSync(path.join(repo, 'macros'), { recursive: true });
    writeFileSync(path.join(repo, 'dbt_project.yml'), 'name: git_pkg\nversion: "1.0"\n');
    writeFileSync(path.join(repo, 'macros', 'm.sql'), '{% macro answer() %}42{% endmacro %}');
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-q', '-m', 'package');
    git('tag', 'v1.0.0');
    const project = path.join(dir, 'project');
    mkdirSync(project, { recursive: true });
    writeFileSync(path.join(project, 'dbt_project.yml'), 'name: consumer\n');
    writeFileSync(path.join(project, 'packages.yml'), `packages:\n  - git: "file://${repo}"\n    revision: v1.0.0\n`);
    const out = await deps(project);
    expect(out.code, out.output).toBe(0);
    expect(existsSync(path.join(project, 'dbt_packages', 'git_pkg', 'macros', 'm.sql'))).toBe(true);
    expect(existsSync(path.join(project, 'dbt_packages', 'git_pkg', '.git'))).toBe(false);
  });

  it('says when a git package cannot be cloned, and why', async () => {
    const project = path.join(dir, 'gitless');
    mkdirSync(project, { recursive: true });
    writeFileSync(path.join(project, 'dbt_project.yml'), 'name: consumer\n');
    writeFileSync(path.join(project, 'packages.yml'), `packages:\n  - git: "file://${dir}/no-such-repo"\n`);
    const out = await deps(project);
    expect(out.code).toBe(2);
    expect(out.output).toContain(`packages.yml:2: could not check out git package file://${dir}/no-such-repo: fatal:`);
    expect(out.output).toContain('vendor the package');
  });
});

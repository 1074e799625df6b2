import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TsdbtError, TsdbtErrorList } from '../errors/tsdbt-error.js';
import { PyDate, PyDatetime } from '../jinja/pylib/datetime/index.js';
import { hierarchyDepth } from './config-hierarchy.js';
import { layeredTree, loadProfile, loadProjectConfig, mergeConfigs, parseCliVars, resolveHierarchyConfig, resolveVars } from './index.js';

const dirs: string[] = [];
function dir(files: Record<string, string>): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-config-'));
  dirs.push(d);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(d, rel)), { recursive: true });
    writeFileSync(path.join(d, rel), text);
  }
  return d;
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function errorOf(fn: () => unknown): TsdbtError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TsdbtErrorList) return err.errors[0] as TsdbtError;
    if (err instanceof TsdbtError) return err;
    throw err;
  }
  throw new Error('expected an error');
}

const fakeRender = (env: Record<string, string>) => (template: string) => {
  const m = /^\{\{\s*env_var\('([^']+)'(?:,\s*'([^']*)')?\)\s*(\|\s*as_number)?\s*\}\}$/.exec(template);
  if (!m) return template;
  const value = env[m[1] as string] ?? m[2] ?? '';
  return m[3] ? Number(value) : value;
};

describe('dbt_project.yml', () => {
  it('fills dbt defaults and reads every path key', () => {
    const d = dir({ 'dbt_project.yml': 'name: shop\nversion: "1.0"\nprofile: shop_profile\nmodel-paths: ["transform"]\nseed-paths: ["data"]\nmacro-paths: ["m"]\ntest-paths: ["checks"]\nsnapshot-paths: ["snaps"]\nanalysis-paths: ["an"]\ntarget-path: out\nclean-targets: [out, dbt_packages]\n' });
    const c = loadProjectConfig(d);
    expect(c).toMatchObject({ name: 'shop', profile: 'shop_profile', modelPaths: ['transform'], seedPaths: ['data'], macroPaths: ['m'], testPaths: ['checks'], snapshotPaths: ['snaps'], analysisPaths: ['an'], targetPath: 'out', cleanTargets: ['out', 'dbt_packages'] });
    const defaults = loadProjectConfig(dir({ 'dbt_project.yml': 'name: p\n' }));
    expect(defaults).toMatchObject({ profile: 'p', modelPaths: ['models'], seedPaths: ['seeds'], macroPaths: ['macros'], testPaths: ['tests'], targetPath: 'target', packagesInstallPath: 'dbt_packages' });
  });

  it("reads a plain date as a datetime.date (dbt's PyYAML SafeLoader), under vars: as in a +meta config; a quoted one as text", () => {
    const c = loadProjectConfig(dir({ 'dbt_project.yml': 'name: p\nvars:\n  start_date: 2020-01-01\n  quoted: "2020-01-01"\n  p:\n    end_at: 2020-01-31 23:59:59\nmodels:\n  +meta:\n    since: 2020-01-01\n' }));
    expect(c.vars.start_date).toBeInstanceOf(PyDate);
    expect(String(c.vars.start_date)).toBe('2020-01-01');
    expect(c.vars.quoted).toBe('2020-01-01');
    expect((c.vars.p as Record<string, unknown>).end_at).toBeInstanceOf(PyDatetime);
    expect(resolveVars(c, 'p', {}).end_at).toBeInstanceOf(PyDatetime);
    const since = (c.models as { '+meta': { since: unknown } })['+meta'].since;
    expect(since).toBeInstanceOf(PyDate);
    expect(String(since)).toBe('2020-01-01');
  });

  it('reads tests: (the old name of data_tests:), hooks and dispatch; refuses tests: beside data_tests: as dbt does', () => {
    const c = loadProjectConfig(
      dir({ 'dbt_project.yml': "name: p\ntests:\n  p:\n    +severity: warn\ndata_tests: {}\non-run-start: \"create table if not exists audit (x int)\"\non-run-end: [\"select 1\", \"select 2\"]\ndispatch:\n  - macro_namespace: dbt_utils\n    search_order: [p, dbt_utils]\n" }),
    );
    expect(c.tests).toEqual({ p: { '+severity': 'warn' } });
    const both = errorOf(() => loadProjectConfig(dir({ 'dbt_project.yml': 'name: p\ntests:\n  +enabled: true\ndata_tests:\n  +tags: super\n' })));
    expect(both.message).toBe("Invalid project config: cannot have both 'tests' and 'data_tests' defined");
    expect(both.location).toEqual({ file: 'dbt_project.yml', line: 2 });
    expect(c.onRunStart).toEqual(['create table if not exists audit (x int)']);
    expect(c.onRunEnd).toEqual(['select 1', 'select 2']);
    expect(c.dispatch).toEqual([{ macroNamespace: 'dbt_utils', searchOrder: ['p', 'dbt_utils'] }]);
  });

  it('points at the line of a wrongly typed key and of a YAML syntax error', () => {
    const typed = errorOf(() => loadProjectConfig(dir({ 'dbt_project.yml': 'name: p\nversion: 1\nmodel-paths: models\n' })));
    expect(typed.location).toEqual({ file: 'dbt_project.yml', line: 3 });
    expect(typed.message).toMatch(/model-paths.*list/);
    const syntax = errorOf(() => loadProjectConfig(dir({ 'dbt_project.yml': 'name: p\nmodels:\n  p:\n   +materialized: view\n  bad: [\n' })));
    expect(syntax.code).toBe('yaml-invalid');
    expect(syntax.location?.file).toBe('dbt_project.yml');
    expect(syntax.location?.line).toBeGreaterThanOrEqual(5);
    expect(errorOf(() => loadProjectConfig(dir({}))).message).toMatch(/^No dbt_project.yml found at expected path .*dbt_project.yml\nVerify that each entry within packages.yml/);
  });
});

describe('config hierarchy', () => {
  const tree = {
    '+tags': ['all'],
    p: {
      '+materialized': 'view',
      '+pre-hook': 'select 1',
      '+meta': { owner: 'team' },
      staging: { '+materialized': 'table', '+tags': 'staging', '+meta': { tier: 2 }, '+post-hook': ['select 2'], '+persist_docs': { relation: true } },
      marts: { materialized: 'incremental', finance: { '+schema': 'finance', '+enabled': false } },
    },
  };

  it('layers deeper folders over shallower ones, accumulating tags and hooks, merging meta', () => {
    expect(resolveHierarchyConfig(tree, ['p', 'staging', 'stg_x'], 'model')).toEqual({
      tags: ['all', 'staging'],
      materialized: 'table',
      pre_hook: ['select 1'],
      post_hook: ['select 2'],
      meta: { owner: 'team', tier: 2 },
      persist_docs: { relation: true },
    });
    expect(resolveHierarchyConfig(tree, ['p', 'marts', 'finance', 'revenue'], 'model')).toMatchObject({ materialized: 'incremental', schema: 'finance', enabled: false });
    expect(resolveHierarchyConfig(tree, ['other_pkg', 'x'], 'model')).toEqual({ tags: ['all'] });
  });

  // dbt-core's fqn_search / _project_configs: a key with `+` is a config; one without is a config
  // only when its value is not a mapping; a mapping without `+` is a folder ("Using the + prefix").
  it('a key without + holding a mapping is a folder, even one named like a config (labels/, tags/)', () => {
    const folders = { p: { labels: { '+enabled': false }, tags: { '+materialized': 'table' }, persist_docs: { relation: true }, schema: 's' } };
    expect(resolveHierarchyConfig(folders, ['p', 'labels', 'm'], 'model')).toEqual({ schema: 's', enabled: false });
    expect(resolveHierarchyConfig(folders, ['p', 'tags', 'm'], 'model')).toEqual({ schema: 's', materialized: 'table' });
    expect(resolveHierarchyConfig(folders, ['p', 'other', 'm'], 'model')).toEqual({ schema: 's' });
  });

  it("a package's tree, then the root project's over it: a root setting at any depth wins (Define configs: root has higher precedence)", () => {
    const own = { pkg: { '+enabled': false, main: { admin: { '+enabled': true } }, deep: { x: { '+schema': 'pkg_s' } } } };
    const root = { pkg: { '+schema': 'root_s', main: { '+enabled': false, labels: { '+enabled': true } } } };
    const tree = layeredTree(own, root);
    expect(resolveHierarchyConfig(tree, ['pkg', 'main', 'labels', 'gold', 'm'], 'model')).toEqual({ enabled: true, schema: 'root_s' });
    expect(resolveHierarchyConfig(tree, ['pkg', 'main', 'admin', 'm'], 'model')).toEqual({ enabled: false, schema: 'root_s' });
    expect(resolveHierarchyConfig(tree, ['pkg', 'deep', 'x', 'm'], 'model')).toEqual({ enabled: false, schema: 'root_s' });
    // It still reads as one merged tree, for code that lists its paths.
    expect(Object.keys((tree as { pkg: Record<string, unknown> }).pkg).sort()).toEqual(['+enabled', '+schema', 'deep', 'main']);
  });

  // Generic tests share a config among all the tests whose fqns agree on the parts the tree reads.
  it('hierarchyDepth: the fqn parts a tree reads, so fqns agreeing on them resolve alike', () => {
    expect(hierarchyDepth(undefined, ['p', 'staging', 'x'])).toBe(0);
    expect(hierarchyDepth(tree, ['other_pkg', 'a', 'x'])).toBe(1);
    expect(hierarchyDepth(tree, ['p', 'staging', 'stg_x'])).toBe(3);
    expect(hierarchyDepth(tree, ['p', 'marts', 'finance'])).toBe(3);
    expect(hierarchyDepth(tree, ['p', 'marts', 'finance', 'revenue', 'r'])).toBe(4);
    expect(hierarchyDepth(tree, ['p', 'other', 'deeper', 'x'])).toBe(2);
    expect(resolveHierarchyConfig(tree, ['p', 'other', 'deeper', 'x'], 'model')).toEqual(resolveHierarchyConfig(tree, ['p', 'other', 'y'], 'model'));
    const own = { pkg: { main: { admin: { '+enabled': true } } } };
    const root = { pkg: { '+schema': 's' } };
    expect(hierarchyDepth(layeredTree(own, root), ['pkg', 'main', 'admin', 'm'])).toBe(4);
    expect(hierarchyDepth(layeredTree(own, root), ['pkg', 'other', 'm'])).toBe(2);
  });

  it('mergeConfigs lets later layers override scalars', () => {
    expect(mergeConfigs({ materialized: 'view', tags: ['a'] }, { materialized: 'table', tags: ['b'], 'post-hook': 'x' })).toEqual({ materialized: 'table', tags: ['a', 'b'], post_hook: ['x'] });
  });
});

describe("dictionary configs across levels (dbt's MergeBehavior)", () => {
  it('merges column_types, meta, quoting, docs and contract key by key; replaces persist_docs', () => {
    const tree = {
      '+column_types': { a: 'varchar(10)' },
      '+persist_docs': { relation: true },
      p: {
        '+quoting': { identifier: true },
        '+docs': { show: false },
        seeds: { '+column_types': { b: 'varchar(20)' }, '+meta': { owner: 'ana' }, '+persist_docs': { columns: true }, '+contract': { enforced: true } },
      },
    };
    expect(resolveHierarchyConfig(tree, ['p', 'seeds', 'codes'], 'seed')).toEqual({
      column_types: { a: 'varchar(10)', b: 'varchar(20)' },
      persist_docs: { columns: true },
      quoting: { identifier: true },
      docs: { show: false },
      meta: { owner: 'ana' },
      contract: { enforced: true },
    });
    // A property-file layer merges over the project layer the same way.
    expect(mergeConfigs({ column_types: { a: 'text' }, meta: { x: 1 } }, { column_types: { b: 'int' }, meta: { y: 2 } })).toEqual({ column_types: { a: 'text', b: 'int' }, meta: { x: 1, y: 2 } });
  });

  it('grants: a privilege is replaced, or extended when written +select; packages accumulate', () => {
    const merged = mergeConfigs(mergeConfigs({}, { grants: { select: 'reporter', insert: ['loader'] }, packages: ['a'] }), { grants: { '+select': ['analyst'], insert: 'etl' }, packages: 'b' });
    expect(merged).toEqual({ grants: { select: ['reporter', 'analyst'], insert: ['etl'] }, packages: ['a', 'b'] });
  });
});

describe('vars', () => {
  it('resolves global, per-package and --vars values', () => {
    const c = loadProjectConfig(dir({ 'dbt_project.yml': 'name: p\nvars:\n  window: 30\n  region: eu\n  p:\n    region: us\n  other_pkg:\n    x: 1\n' }));
    // A key named after a package is a var too (dbt's vars_for starts from the whole mapping).
    const scopes = { p: { region: 'us' }, other_pkg: { x: 1 } };
    expect(resolveVars(c, 'p', {})).toEqual({ window: 30, region: 'us', ...scopes });
    expect(resolveVars(c, 'p', parseCliVars('{window: 45}'))).toEqual({ window: 45, region: 'us', ...scopes });
    expect(resolveVars(c, 'other_pkg', {})).toEqual({ window: 30, region: 'eu', x: 1, ...scopes });
    expect(parseCliVars('{"a": 1}')).toEqual({ a: 1 });
    expect(parseCliVars('a: 1')).toEqual({ a: 1 });
    expect(() => parseCliVars('{a: [}')).toThrow(/--vars is not valid/);
    expect(() => parseCliVars('[1, 2]')).toThrow(/mapping/);
  });
});

describe('profiles.yml', () => {
  const profiles = [
    'shop:',
    '  target: dev',
    '  outputs:',
    '    dev:',
    '      type: postgres',
    "      host: \"{{ env_var('PGHOST', 'localhost') }}\"",
    "      port: \"{{ env_var('PGPORT') | as_number }}\"",
    '      user: me',
    "      password: \"{{ env_var('PGPASSWORD') }}\"",
    '      dbname: shop',
    '      schema: analytics',
    '      threads: 8',
    '    ci:',
    '      type: pglite',
    '      path: memory',
    '      schema: ci',
    '',
  ].join('\n');
  const base = (projectDir: string, env: Record<string, string>, extra: Partial<Parameters<typeof loadProfile>[0]> = {}) =>
    loadProfile({ projectDir, cwd: projectDir, profileName: 'shop', env: { HOME: projectDir, ...env }, targetDir: path.join(projectDir, 'target'), renderValue: fakeRender(env), ...extra });

  it('renders env_var and as_number, and applies --target', () => {
    const d = dir({ 'profiles.yml': profiles });
    const p = base(d, { PGPORT: '6543', PGPASSWORD: 's3cret' });
    expect(p.target).toMatchObject({ type: 'postgres', name: 'dev', host: 'localhost', port: 6543, password: 's3cret', database: 'shop', schema: 'analytics', threads: 8 });
    expect(p.embeddedDefault).toBe(false);
    expect(base(d, {}, { targetName: 'ci' }).target).toMatchObject({ type: 'pglite', name: 'ci', schema: 'ci', threads: 1 });
  });

  it("names a missing profile or target in dbt's words (config/profile.py)", () => {
    const d = dir({ 'profiles.yml': profiles });
    expect(() => base(d, {}, { profileName: 'NONE' })).toThrow("Could not find profile named 'NONE'");
    expect(() => base(d, {}, { targetName: 'NONE' })).toThrow("The profile 'shop' does not have a target named 'NONE'.");
  });

  it('keeps the last of a duplicate key and warns (DuplicateYAMLKeysDeprecation)', () => {
    const d = dir({ 'profiles.yml': profiles.replace('      threads: 8\n', '      threads: 8\n      threads: 2\n') });
    const p = base(d, { PGPORT: '1', PGPASSWORD: 'x' });
    expect(p.target.threads).toBe(2);
    expect(p.warnings?.map((w) => [w.location.line, w.message])).toEqual([[13, expect.stringMatching(/^Duplicate key 'threads' in "<unicode string>", line \d+, column 7 in file/)]]);
  });

  it('searches TSDBT_PROFILES_DIR, --profiles-dir (then no further), DBT_PROFILES_DIR, the project, then ~/.dbt', () => {
    const mk = (schema: string) => profiles.replace('schema: analytics', `schema: ${schema}`);
    const project = dir({ 'profiles.yml': mk('from_project') });
    const a = dir({ 'profiles.yml': mk('from_tsdbt_env') });
    const b = dir({ 'profiles.yml': mk('from_flag') });
    const c = dir({ 'profiles.yml': mk('from_dbt_env') });
    const home = dir({ '.dbt/profiles.yml': mk('from_home') });
    const env = { PGPORT: '1' };
    const load = (e: Record<string, string>, profilesDir?: string) =>
      loadProfile({ projectDir: project, cwd: project, profilesDir, profileName: 'shop', env: { ...env, ...e }, targetDir: 't', renderValue: fakeRender(env) }).target.schema;
    expect(load({ TSDBT_PROFILES_DIR: a, DBT_PROFILES_DIR: c, HOME: home }, b)).toBe('from_tsdbt_env');
    expect(load({ DBT_PROFILES_DIR: c, HOME: home }, b)).toBe('from_flag');
    // dbt reads --profiles-dir alone: a folder without profiles.yml is no profile, whatever DBT_PROFILES_DIR, the project and ~/.dbt hold.
    expect(() => load({ DBT_PROFILES_DIR: c, HOME: home }, dir({}))).toThrow(/no profiles\.yml in/);
    expect(load({ DBT_PROFILES_DIR: c, HOME: home })).toBe('from_dbt_env');
    expect(load({ HOME: home })).toBe('from_project');
    rmSync(path.join(project, 'profiles.yml'));
    expect(load({ HOME: home })).toBe('from_home');
  });

  it('reads a relative --profiles-dir or DBT_PROFILES_DIR from the working directory, not the project (dbt_linreg CI)', () => {
    const mk = (schema: string) => profiles.replace('schema: analytics', `schema: ${schema}`);
    const project = dir({ 'profiles.yml': mk('from_project') });
    const elsewhere = dir({ 'profiles.yml': mk('from_cwd_relative') });
    const relative = path.join('.', path.basename(elsewhere));
    const env = { PGPORT: '1', HOME: project };
    const load = (e: Record<string, string>, profilesDir?: string) =>
      loadProfile({ projectDir: project, cwd: path.dirname(elsewhere), profilesDir, profileName: 'shop', env: { ...env, ...e }, targetDir: 't', renderValue: fakeRender(env) }).target.schema;
    expect(load({}, relative)).toBe('from_cwd_relative');
    expect(load({ DBT_PROFILES_DIR: relative })).toBe('from_cwd_relative');
  });

  it('falls back to the embedded PGlite database when there is no profiles.yml anywhere', () => {
    const d = dir({});
    const p = base(d, {});
    expect(p.embeddedDefault).toBe(true);
    expect(p.target).toMatchObject({ type: 'pglite', schema: 'analytics', path: path.join(d, 'target', 'tsdbt.pglite') });
  });

  it('names the available profiles and targets when one is missing', () => {
    const d = dir({ 'profiles.yml': profiles });
    const noProfile = errorOf(() => loadProfile({ projectDir: d, cwd: d, profileName: 'nope', env: { HOME: d }, targetDir: 't', renderValue: fakeRender({}) }));
    expect(noProfile.message).toMatch(/Could not find profile named 'nope'/);
    expect(noProfile.hint).toMatch(/shop/);
    const noTarget = errorOf(() => base(d, {}, { targetName: 'prod' }));
    expect(noTarget.message).toMatch(/does not have a target named 'prod'/);
    expect(noTarget.hint).toMatch(/dev, ci/);
  });
});

// `tsdbt deps` against a package hub on 127.0.0.1 (test/support/package-hub.ts): resolution across
// a three-level tree, conflicts naming both requirers, package-lock.yml in dbt's format and reused
// offline, --upgrade, a corrupted tarball refused, an unreachable hub, the machine-wide download
// cache, tarball and git packages (a commit sha with a subdirectory; a token in the URL that is
// never printed), --add-package and --lock, and a build that uses a downloaded macro.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDepsCommand, type DepsFlags } from '../../src/app/deps-command.js';
import { createInvocation } from '../../src/app/invocation.js';
import { reportFatal } from '../../src/cli/error-output.js';
import type { DepsReport } from '../../src/packages/deps.js';
import { buildTarball, PackageHub } from '../support/package-hub.js';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir, writeFiles } from '../support/testdir.js';
import { warehouseProject } from '../support/warehouse-project.js';

const macro = (name: string, body: string) => `{% macro ${name}() %}${body}{% endmacro %}\n`;

/** The three-level tree: pkg_a -> pkg_b (range) -> pkg_c (range), with versions each range must skip. */
async function publishTree(hub: PackageHub): Promise<void> {
  await hub.publish({ package: 'org/pkg_a', version: '1.0.0', requires: [{ package: 'org/pkg_b', version: ['>=1.0.0', '<2.0.0'] }], files: { 'macros/a.sql': macro('a_answer', '{{ pkg_b.b_answer() }} + 1') } });
  await hub.publish({ package: 'org/pkg_a', version: '2.0.0', files: { 'macros/a.sql': macro('a_answer', '2000') } });
  await hub.publish({ package: 'org/pkg_b', version: '1.0.0', requires: [{ package: 'org/pkg_c', version: '>=0.1.0' }], files: { 'macros/b.sql': macro('b_answer', '10') } });
  await hub.publish({ package: 'org/pkg_b', version: '1.2.0', requires: [{ package: 'org/pkg_c', version: ['>=0.2.0', '<0.3.0'] }], files: { 'macros/b.sql': macro('b_answer', '{{ pkg_c.c_answer() }} * 2') } });
  await hub.publish({ package: 'org/pkg_b', version: '2.0.0', files: { 'macros/b.sql': macro('b_answer', '20') } });
  for (const version of ['0.1.0', '0.2.0', '0.2.5', '0.2.6-rc1', '0.3.0']) {
    await hub.publish({ package: 'org/pkg_c', version, files: { 'macros/c.sql': macro('c_answer', version.replace(/\D/g, '')) } });
  }
  // Admits the range but not this dbt: skipped, as dbt's version check skips it.
  await hub.publish({ package: 'org/pkg_c', version: '0.2.9', require_dbt_version: '>=99.0.0', files: { 'macros/c.sql': macro('c_answer', '29') } });
}

interface DepsOutcome {
  code: number;
  output: string;
  report?: DepsReport;
}

function depsRunner(env: () => NodeJS.ProcessEnv) {
  return async (dir: string, flags: DepsFlags = {}, extraEnv: NodeJS.ProcessEnv = {}): Promise<DepsOutcome> => {
    const lines: string[] = [];
    const inv = createInvocation({ projectDir: dir, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...env(), ...extraEnv } });
    try {
      const report = await runDepsCommand(inv, flags);
      return { code: 0, output: lines.join('\n'), report };
    } catch (err) {
      const code = reportFatal(err, (l) => lines.push(l), 'text');
      return { code, output: lines.join('\n') };
    }
  };
}

/** dbt's sha1_hash of packages.yml entries, computed here from the JSON dbt hashes, written out by hand. */
function dbtHash(jsonLines: string[]): string {
  return createHash('sha1').update([...jsonLines].sort().join('\n')).digest('hex');
}

const ROOT_PACKAGES = 'packages:\n  - package: org/pkg_a\n    version: [">=1.0.0", "<2.0.0"]\n';
const ROOT_HASH = dbtHash(['{"install_prerelease": false, "package": "org/pkg_a", "unrendered": {"package": "org/pkg_a", "version": [">=1.0.0", "<2.0.0"]}, "version": [">=1.0.0", "<2.0.0"]}']);

function installedVersion(dir: string, name: string): string | null {
  const file = path.join(dir, 'dbt_packages', name, 'dbt_project.yml');
  return existsSync(file) ? (/version: '([^']+)'/.exec(readFileSync(file, 'utf8'))?.[1] ?? null) : null;
}

function gitIn(cwd: string) {
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t', GIT_CONFIG_NOSYSTEM: '1' };
  return (...args: string[]) => execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();
}

describe('tsdbt deps from a package hub', () => {
  let hub: PackageHub;
  let work: string;
  const env = () => ({ ...process.env, HOME: work, DBT_PACKAGE_HUB_URL: '', TSDBT_PACKAGE_HUB_URL: hub.url, TSDBT_CACHE_DIR: path.join(work, 'cache'), TSDBT_DEPS_RETRIES: '1', TSDBT_DEPS_RETRY_DELAY_MS: '0', TSDBT_DEPS_TIMEOUT_SECONDS: '20' });
  const deps = depsRunner(env);
  const project = (name: string, packagesYml: string, extra: Record<string, string> = {}) => {
    const dir = path.join(work, name);
    writeFiles(dir, { 'dbt_project.yml': `name: ${name}\nprofile: demo\n`, 'packages.yml': packagesYml, ...extra });
    return dir;
  };

  beforeAll(async () => {
    work = testdir({}, 'tsdbt-deps-hub-');
    hub = await PackageHub.start();
    await publishTree(hub);
  });
  afterAll(async () => {
    await hub.stop();
    removeDir(work);
  });

  it('resolves ranges across a three-level tree and writes package-lock.yml in dbt format', async () => {
    const dir = project('tree', ROOT_PACKAGES);
    const out = await deps(dir);
    expect(out.code, out.output).toBe(0);
    expect(readFileSync(path.join(dir, 'package-lock.yml'), 'utf8')).toBe(
      [
        'packages:',
        '  - name: pkg_a',
        '    package: org/pkg_a',
        '    version: 1.0.0',
        '  - name: pkg_b',
        '    package: org/pkg_b',
        '    version: 1.2.0',
        '  - name: pkg_c',
        '    package: org/pkg_c',
        '    version: 0.2.5',
        `sha1_hash: ${ROOT_HASH}`,
        '',
      ].join('\n'),
    );
    expect(['pkg_a', 'pkg_b', 'pkg_c'].map((n) => installedVersion(dir, n))).toEqual(['1.0.0', '1.2.0', '0.2.5']);
    // The install folder lists the packages alone, as dbt's does (dbt-core's test_deps_default counts them).
    expect(readdirSync(path.join(dir, 'dbt_packages')).sort()).toEqual(['pkg_a', 'pkg_b', 'pkg_c']);
    const lines = out.output.split('\n').map((l) => l.replace(/^\d\d:\d\d:\d\d {2}/, ''));
    expect(lines).toEqual(
      expect.arrayContaining([
        'Installing org/pkg_a',
        '  Installed from version 1.0.0',
        '  Updated version available: 2.0.0',
        'Installing org/pkg_b',
        '  Installed from version 1.2.0',
        '  Updated version available: 2.0.0',
        'Installing org/pkg_c',
        '  Installed from version 0.2.5',
        '  Updated version available: 0.3.0',
        "Updates available for packages: ['org/pkg_a', 'org/pkg_b', 'org/pkg_c']",
      ]),
    );
    expect(out.report?.downloads).toBe(3);
  });

  it('reuses package-lock.yml while packages.yml is unchanged: no request at all when the packages are installed', async () => {
    const dir = path.join(work, 'tree');
    const before = hub.requests.length;
    const out = await deps(dir);
    expect(out.code, out.output).toBe(0);
    expect(hub.requests.length).toBe(before);
    expect(out.output).toContain('Installed from version 1.2.0');
    expect(out.output).not.toContain('Updating lock file');
  });

  it('--upgrade resolves again and picks a version added to the hub since; a plain deps keeps the lock', async () => {
    const dir = path.join(work, 'tree');
    await hub.publish({ package: 'org/pkg_b', version: '1.3.0', requires: [{ package: 'org/pkg_c', version: ['>=0.2.0', '<0.3.0'] }], files: { 'macros/b.sql': macro('b_answer', '13') } });
    const before = hub.count('/api/');
    const kept = await deps(dir);
    expect(kept.code, kept.output).toBe(0);
    expect(hub.count('/api/')).toBe(before);
    expect(installedVersion(dir, 'pkg_b')).toBe('1.2.0');
    const upgraded = await deps(dir, { upgrade: true });
    expect(upgraded.code, upgraded.output).toBe(0);
    expect(upgraded.output).toContain('Updating lock file in file path:');
    expect(readFileSync(path.join(dir, 'package-lock.yml'), 'utf8')).toContain('  - name: pkg_b\n    package: org/pkg_b\n    version: 1.3.0\n');
    expect(installedVersion(dir, 'pkg_b')).toBe('1.3.0');
    expect(installedVersion(dir, 'pkg_c')).toBe('0.2.5');
  });

  it('reports conflicting ranges once, naming both requirers and their ranges', async () => {
    const dir = project('conflict', `${ROOT_PACKAGES}  - package: org/pkg_c\n    version: 0.1.0\n`);
    const out = await deps(dir);
    expect(out.code).toBe(2);
    expect(out.output).toContain('packages.yml:4: version conflict for org/pkg_c: packages.yml requires 0.1.0, but org/pkg_b@1.3.0 requires >=0.2.0, <0.3.0; no version satisfies both');
    expect(out.output.match(/version conflict/g)).toHaveLength(1);
    expect(existsSync(path.join(dir, 'package-lock.yml'))).toBe(false);
    expect(existsSync(path.join(dir, 'dbt_packages', 'pkg_c'))).toBe(false);
  });

  it('refuses a tarball whose sha1 is not the one the hub gives, and installs nothing', async () => {
    await hub.publish({ package: 'org/broken', version: '1.0.0', files: { 'macros/x.sql': macro('x', '1') } });
    hub.corrupt('org/broken', '1.0.0');
    const dir = project('corrupt', 'packages:\n  - package: org/pkg_c\n    version: 0.2.0\n  - package: org/broken\n    version: 1.0.0\n');
    const out = await deps(dir);
    expect(out.code).toBe(2);
    expect(out.output).toMatch(/the download of org\/broken@1\.0\.0 from 127\.0\.0\.1:\d+ is corrupt: its sha1 is [0-9a-f]{40}, the hub says [0-9a-f]{40}; nothing was installed/);
    expect(readdirSync(path.join(dir, 'dbt_packages'))).toEqual([]);
    expect(existsSync(path.join(work, 'cache', 'hub', 'org', 'broken'))).toBe(false);
  });

  it('serves a second project from the download cache, without downloading again', async () => {
    const tarballsBefore = hub.count('/tarballs/');
    const dir = project('second', ROOT_PACKAGES);
    const out = await deps(dir);
    expect(out.code, out.output).toBe(0);
    expect(['pkg_a', 'pkg_b', 'pkg_c'].map((n) => installedVersion(dir, n))).toEqual(['1.0.0', '1.3.0', '0.2.5']);
    expect(hub.count('/tarballs/')).toBe(tarballsBefore);
    expect(out.report?.downloads).toBe(0);
  });

  it('installs a tarball: package under its name and locks its URL', async () => {
    const body = await buildTarball('t_pkg-main', { 'dbt_project.yml': "name: t_pkg\nversion: '0.0.1'\n", 'macros/t.sql': macro('t_answer', '7') });
    const url = hub.serveFile('t_pkg.tar.gz', body);
    const dir = project('tarball', `packages:\n  - tarball: ${url}\n    name: t_pkg\n`);
    const out = await deps(dir);
    expect(out.code, out.output).toBe(0);
    expect(readFileSync(path.join(dir, 'dbt_packages', 't_pkg', 'macros', 't.sql'), 'utf8')).toContain('t_answer');
    expect(readFileSync(path.join(dir, 'package-lock.yml'), 'utf8')).toContain(`packages:\n  - name: t_pkg\n    tarball: ${url}\n`);
    expect(out.output).toContain(`Installed from tarball (url: ${url})`);
    // A private tarball: basic credentials in the URL, the token from an env var, never printed.
    const privateDir = path.join(work, 'private-tarballs');
    mkdirSync(privateDir, { recursive: true });
    writeFileSync(path.join(privateDir, 't.tar.gz'), body);
    const privateUrl = `${hub.serveFolder('tarballs-private', privateDir, 'ci:tarball-t0ken')}/t.tar.gz`;
    const privateTemplate = privateUrl.replace('http://', "http://ci:{{ env_var('DBT_ENV_SECRET_TARBALL_TOKEN') }}@");
    const priv = project('tarball_private', `packages:\n  - tarball: "${privateTemplate}"\n    name: t_pkg\n`);
    const privOut = await deps(priv, {}, { DBT_ENV_SECRET_TARBALL_TOKEN: 'tarball-t0ken' });
    expect(privOut.code, privOut.output).toBe(0);
    expect(existsSync(path.join(priv, 'dbt_packages', 't_pkg', 'macros', 't.sql'))).toBe(true);
    expect(readFileSync(path.join(priv, 'package-lock.yml'), 'utf8')).toContain(`    tarball: ${privateTemplate}\n`);
    // A secret written literally into packages.yml is scrubbed from the lock, with dbt's warning.
    const literal = project('tarball_literal', `packages:\n  - tarball: ${url}?sig=l1teral-s3cret\n    name: t_pkg\n`);
    const scrubbed = await deps(literal, {}, { DBT_ENV_SECRET_SIG: 'l1teral-s3cret' });
    expect(scrubbed.code, scrubbed.output).toBe(0);
    expect(readFileSync(path.join(literal, 'package-lock.yml'), 'utf8')).toContain(`    tarball: ${url}?sig=*****\n`);
    expect(scrubbed.output).toContain('Detected secret env var in');
    expect(scrubbed.output).not.toContain('l1teral-s3cret');
  });

  it('checks out a git package at a commit sha, from a subdirectory, and locks the sha', async () => {
    const src = path.join(work, 'git-src');
    writeFiles(src, { 'sub/dbt_project.yml': "name: g_pkg\nversion: '1.0.0'\n", 'sub/macros/g.sql': macro('g_answer', 'first'), 'README.md': 'not a package at the top' });
    const git = gitIn(src);
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-q', '-m', 'first');
    const first = git('rev-parse', 'HEAD');
    writeFiles(src, { 'sub/macros/g.sql': macro('g_answer', 'second') });
    git('commit', '-q', '-am', 'second');
    const bare = path.join(work, 'g.git');
    execFileSync('git', ['clone', '-q', '--bare', src, bare]);
    const dir = project('git', `packages:\n  - git: "file://${bare}"\n    revision: ${first}\n    subdirectory: sub\n`);
    const out = await deps(dir);
    expect(out.code, out.output).toBe(0);
    expect(readFileSync(path.join(dir, 'dbt_packages', 'g_pkg', 'macros', 'g.sql'), 'utf8')).toContain('first');
    expect(existsSync(path.join(dir, 'dbt_packages', 'g_pkg', 'README.md'))).toBe(false);
    expect(readFileSync(path.join(dir, 'package-lock.yml'), 'utf8')).toContain(`  - git: file://${bare}\n    name: g_pkg\n    revision: ${first}\n    subdirectory: sub\n`);
    expect(out.output).toContain(`Installed from revision ${first}`);
    expect(out.output).toContain('and subdirectory sub');
    // A branch is not pinned: dbt warns, unless `warn-unpinned: false`.
    const branch = project('git_branch', `packages:\n  - git: "file://${bare}"\n    revision: main\n    subdirectory: sub\n`);
    const warned = await deps(branch);
    expect(warned.code, warned.output).toBe(0);
    expect(warned.output).toContain(`The git package "file://${bare}" \n`);
    expect(warned.output).toContain('is pinned to the "main" branch');
    expect(readFileSync(path.join(branch, 'dbt_packages', 'g_pkg', 'macros', 'g.sql'), 'utf8')).toContain('second');
    writeFileSync(path.join(branch, 'packages.yml'), `packages:\n  - git: "file://${bare}"\n    revision: main\n    subdirectory: sub\n    warn-unpinned: false\n`);
    const quiet = await deps(branch);
    expect(quiet.code, quiet.output).toBe(0);
    expect(quiet.output).not.toContain('is pinned to the');
  });

  it('uses a token from an env var in a git URL and never prints it: not in logs, errors or package-lock.yml', async () => {
    const src = path.join(work, 'private-src');
    writeFiles(src, { 'dbt_project.yml': "name: private_pkg\nversion: '1.0.0'\n", 'macros/p.sql': macro('p_answer', '99') });
    const git = gitIn(src);
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-q', '-m', 'private');
    const sha = git('rev-parse', 'HEAD');
    const bare = path.join(work, 'private.git');
    execFileSync('git', ['clone', '-q', '--bare', src, bare]);
    gitIn(bare)('update-server-info'); // git's "dumb" HTTP protocol: the repository as static files
    const token = 's3cr3t-t0ken-value';
    const url = hub.serveFolder('private.git', bare, `x-access-token:${token}`);
    const template = url.replace('http://', "http://x-access-token:{{ env_var('DBT_ENV_SECRET_GIT_TOKEN') }}@");
    const dir = project('private', `packages:\n  - git: "${template}"\n    revision: ${sha}\n`);
    const out = await deps(dir, {}, { DBT_ENV_SECRET_GIT_TOKEN: token });
    expect(out.code, out.output).toBe(0);
    expect(existsSync(path.join(dir, 'dbt_packages', 'private_pkg', 'macros', 'p.sql'))).toBe(true);
    const lock = readFileSync(path.join(dir, 'package-lock.yml'), 'utf8');
    expect(lock).toContain(`  - git: ${template}\n    name: private_pkg\n    revision: ${sha}\n`);
    expect(lock).not.toContain(token);
    expect(out.output).not.toContain(token);
    // The lock is installed again with the token rendered (the package folder removed first).
    rmSync(path.join(dir, 'dbt_packages'), { recursive: true });
    const again = await deps(dir, {}, { DBT_ENV_SECRET_GIT_TOKEN: token });
    expect(again.code, again.output).toBe(0);
    expect(existsSync(path.join(dir, 'dbt_packages', 'private_pkg', 'macros', 'p.sql'))).toBe(true);
    // A wrong token fails; the error shows the URL as written, never the value.
    rmSync(path.join(dir, 'dbt_packages'), { recursive: true });
    const wrong = 'wr0ng-t0ken-value';
    const refused = await deps(dir, {}, { DBT_ENV_SECRET_GIT_TOKEN: wrong });
    expect(refused.code).toBe(2);
    expect(refused.output).toContain(`could not check out git package ${template} at ${sha}`);
    expect(refused.output).not.toContain(wrong);
    // A token in an env var without dbt's DBT_ENV_SECRET_ prefix (which the logger scrubs) is not printed either:
    // messages and the lock show the URL as written.
    const plainTemplate = url.replace('http://', "http://x-access-token:{{ env_var('PLAIN_GIT_TOKEN') }}@");
    const plain = project('private_plain', `packages:\n  - git: "${plainTemplate}"\n    revision: ${sha}\n`);
    const plainOut = await deps(plain, {}, { PLAIN_GIT_TOKEN: token });
    expect(plainOut.code, plainOut.output).toBe(0);
    expect(plainOut.output).toContain(`Installing ${plainTemplate}`);
    expect(plainOut.output).not.toContain(token);
    expect(readFileSync(path.join(plain, 'package-lock.yml'), 'utf8')).not.toContain(token);
  });

  it('--add-package adds the entry to packages.yml (keeping its comments) and installs it; --lock writes the lock only', async () => {
    const dir = project('add', '# our packages\npackages:\n  # utilities\n  - package: org/pkg_c\n    version: 0.2.0\n');
    const added = await deps(dir, { addPackage: 'org/pkg_b@1.0.0', source: 'hub', lock: true });
    expect(added.code, added.output).toBe(0);
    expect(readFileSync(path.join(dir, 'packages.yml'), 'utf8')).toBe('# our packages\npackages:\n  # utilities\n  - package: org/pkg_c\n    version: 0.2.0\n  - package: org/pkg_b\n    version: 1.0.0\n');
    expect(added.output).toContain('Added new package org/pkg_b@1.0.0 to packages.yml');
    // pkg_b 1.0.0 requires pkg_c >=0.1.0: 0.2.0 from packages.yml satisfies both.
    expect(readFileSync(path.join(dir, 'package-lock.yml'), 'utf8')).toContain('  - name: pkg_c\n    package: org/pkg_c\n    version: 0.2.0\n  - name: pkg_b\n    package: org/pkg_b\n    version: 1.0.0\n');
    // `--lock` installs nothing and leaves no install folder (dbt-core's test_deps_lock).
    expect(existsSync(path.join(dir, 'dbt_packages'))).toBe(false);
    const installed = await deps(dir);
    expect(installed.code, installed.output).toBe(0);
    expect(installedVersion(dir, 'pkg_b')).toBe('1.0.0');
    // Adding the same package again replaces its entry.
    const replaced = await deps(dir, { addPackage: 'org/pkg_b@1.2.0', lock: true });
    expect(replaced.code, replaced.output).toBe(0);
    expect(readFileSync(path.join(dir, 'packages.yml'), 'utf8')).toBe('# our packages\npackages:\n  # utilities\n  - package: org/pkg_c\n    version: 0.2.0\n  - package: org/pkg_b\n    version: 1.2.0\n');
  });

  it('says when a hub package does not exist', async () => {
    const dir = project('missing', 'packages:\n  - package: org/nope\n    version: 1.0.0\n');
    const out = await deps(dir);
    expect(out.code).toBe(2);
    expect(out.output).toContain(`package org/nope was not found on the package hub (${hub.host})`);
  });
});

describe('tsdbt deps offline', () => {
  let hub: PackageHub;
  let work: string;
  const env = () => ({ ...process.env, HOME: work, DBT_PACKAGE_HUB_URL: '', TSDBT_PACKAGE_HUB_URL: hub.url, TSDBT_CACHE_DIR: path.join(work, 'cache'), TSDBT_DEPS_RETRIES: '1', TSDBT_DEPS_RETRY_DELAY_MS: '0', TSDBT_DEPS_TIMEOUT_SECONDS: '20' });
  const deps = depsRunner(env);
  beforeAll(async () => {
    work = testdir({}, 'tsdbt-deps-offline-');
    hub = await PackageHub.start();
    await publishTree(hub);
  });
  afterAll(() => removeDir(work));

  it('installs from package-lock.yml with the hub stopped: from dbt_packages/, and from the download cache', async () => {
    const dir = path.join(work, 'project');
    writeFiles(dir, { 'dbt_project.yml': 'name: offline\n', 'packages.yml': ROOT_PACKAGES });
    expect((await deps(dir)).code).toBe(0);
    await hub.stop();
    const installed = await deps(dir);
    expect(installed.code, installed.output).toBe(0);
    expect(installed.report).toMatchObject({ resolved: false, hubRequests: 0, downloads: 0 });
    rmSync(path.join(dir, 'dbt_packages'), { recursive: true });
    const fromCache = await deps(dir);
    expect(fromCache.code, fromCache.output).toBe(0);
    expect(fromCache.report).toMatchObject({ resolved: false, hubRequests: 0, downloads: 0 });
    expect(['pkg_a', 'pkg_b', 'pkg_c'].map((n) => installedVersion(dir, n))).toEqual(['1.0.0', '1.2.0', '0.2.5']);
    // packages.yml changed: resolving needs the hub, and says so.
    writeFileSync(path.join(dir, 'packages.yml'), ROOT_PACKAGES.replace('<2.0.0', '<3.0.0'));
    const changed = await deps(dir);
    expect(changed.code).toBe(2);
    expect(changed.output).toContain(`the package hub ${hub.host} did not answer for org/pkg_a (connection refused)`);
  });

  it('an unreachable hub is one clear error naming the host and what to do, exit code 2, no stack', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const dir = path.join(work, 'unreachable');
    writeFiles(dir, { 'dbt_project.yml': 'name: unreachable\n', 'packages.yml': ROOT_PACKAGES });
    const out = await runTsdbt(['deps', '--project-dir', dir], {
      env: { HOME: work, TSDBT_PACKAGE_HUB_URL: `http://127.0.0.1:${port}`, DBT_PACKAGE_HUB_URL: '', TSDBT_CACHE_DIR: path.join(work, 'cache2'), TSDBT_DEPS_RETRIES: '2', TSDBT_DEPS_RETRY_DELAY_MS: '0' },
      timeoutMs: 60_000,
    });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`packages.yml:2: the package hub 127.0.0.1:${port} did not answer for org/pkg_a (connection refused) after 3 attempt(s)`);
    expect(out.stderr).toContain('offline, keep package-lock.yml');
    expect(out.stderr).toContain('- local: <folder>');
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('a downloaded package in a build', () => {
  let hub: PackageHub;
  const project = warehouseProject('pglite', {
    'packages.yml': ROOT_PACKAGES,
    'models/answer.sql': 'select {{ pkg_a.a_answer() }} as answer',
  });
  beforeAll(async () => {
    hub = await PackageHub.start();
    await publishTree(hub);
  });
  afterAll(async () => {
    await hub.stop();
    await project.cleanup();
  });

  it('runs a model on PGlite that calls macros of the installed hub packages (three levels deep)', async () => {
    const deps = depsRunner(() => ({ ...process.env, HOME: project.dir, TSDBT_PACKAGE_HUB_URL: hub.url, TSDBT_CACHE_DIR: path.join(project.dir, 'cache'), TSDBT_DEPS_RETRY_DELAY_MS: '0' }));
    const out = await deps(project.dir);
    expect(out.code, out.output).toBe(0);
    mkdirSync(path.join(project.dir, 'target'), { recursive: true });
    const run = await project.run('run');
    expect(run.code, run.output).toBe(0);
    // pkg_a 1.0.0: b_answer() + 1; pkg_b 1.2.0: c_answer() * 2; pkg_c 0.2.5: 025.
    expect(await project.sql(`select answer from "${project.schema}".answer`)).toEqual([{ answer: 51 }]);
  });
});

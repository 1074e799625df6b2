import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderYamlValue } from '../jinja/dbt/yaml-values.js';
import { removeDir, testdir } from '../../test/support/testdir.js';
import { describeSpec, readPackageSpecs } from './package-specs.js';
import { hubUrl } from './hub-client.js';
import { packageCacheDir } from './download-cache.js';

describe('package specs', () => {
  const dir = testdir({});
  afterAll(() => removeDir(dir));
  const project = (name: string, files: Record<string, string>) => {
    const root = path.join(dir, name);
    mkdirSync(root, { recursive: true });
    for (const [file, text] of Object.entries(files)) writeFileSync(path.join(root, file), text);
    return root;
  };

  it('reads every kind of entry from packages.yml, rendering Jinja in values', () => {
    const root = project('all', {
      'packages.yml': [
        'packages:',
        '  - local: ../shared',
        "  - git: \"https://{{ env_var('GIT_HOST') }}/org/pkg.git\"",
        '    revision: v1.2.0',
        '    subdirectory: sub',
        '  - package: dbt-labs/dbt_utils',
        '    version: [">=1.0.0", "<2.0.0"]',
        '  - tarball: https://example.com/p.tgz',
        '    name: p',
      ].join('\n'),
    });
    const render = (template: string, location: { file: string; line?: number }) => renderYamlValue(template, { env: { GIT_HOST: 'git.example.com' }, vars: {}, location });
    const specs = readPackageSpecs(root, render);
    expect(specs.map(describeSpec)).toEqual([
      'local: ../shared',
      // Messages show the URL as written: a rendered token never reaches a log line.
      "git: https://{{ env_var('GIT_HOST') }}/org/pkg.git@v1.2.0 (sub)",
      'package: dbt-labs/dbt_utils@>=1.0.0, <2.0.0',
      'tarball: https://example.com/p.tgz',
    ]);
    expect(specs.map((s) => s.location.line)).toEqual([2, 3, 6, 8]);
    expect(specs[1]).toMatchObject({ kind: 'git', url: 'https://git.example.com/org/pkg.git', urlTemplate: "https://{{ env_var('GIT_HOST') }}/org/pkg.git" });
    expect(specs[2]).toMatchObject({ kind: 'hub', versions: ['>=1.0.0', '<2.0.0'], installPrerelease: false });
  });

  // dbt's docs (package-management, "Private packages"): a DBT_ENV_SECRET_ token in a git URL is used
  // for the clone but never shown; a filter that changes it (join) changes dbt's placeholder instead.
  it('renders a DBT_ENV_SECRET_ variable whole into the URL; a filtered one stays a changed placeholder', () => {
    const root = project('secret', {
      'packages.yml': [
        'packages:',
        "  - git: \"https://u:{{ env_var('DBT_ENV_SECRET_GIT_TOKEN') }}@git.example.com/org/a.git\"",
        "  - git: \"https://u:{{ env_var('DBT_ENV_SECRET_GIT_TOKEN') | join(' ') }}@git.example.com/org/b.git\"",
      ].join('\n'),
    });
    const render = (template: string, location: { file: string; line?: number }) => renderYamlValue(template, { env: { DBT_ENV_SECRET_GIT_TOKEN: 'abc123' }, vars: {}, location, secretPlaceholders: true });
    const [whole, changed] = readPackageSpecs(root, render);
    expect(whole).toMatchObject({ url: 'https://u:abc123@git.example.com/org/a.git', urlTemplate: "https://u:{{ env_var('DBT_ENV_SECRET_GIT_TOKEN') }}@git.example.com/org/a.git" });
    const spaced = (text: string) => text.split('').join(' ');
    const placeholder = spaced('$$$DBT_SECRET_START$$$DBT_ENV_SECRET_GIT_TOKEN$$$DBT_SECRET_END$$$');
    expect(changed).toMatchObject({ url: `https://u:${placeholder}@git.example.com/org/b.git`, urlTemplate: `https://u:${placeholder}@git.example.com/org/b.git` });
    expect(describeSpec(changed!)).not.toContain('a b c');
  });

  it("prints packages.yml's log() and print() where the command shows them, a secret masked as dbt's log masks it", () => {
    const lines: [string, string][] = [];
    const render = (template: string) =>
      renderYamlValue(template, { env: { DBT_ENV_SECRET_FOR_LOGGING: 'super secret' }, vars: {}, location: { file: 'packages.yml', line: 2 }, secretPlaceholders: true, output: (m, level) => lines.push([level, m]) });
    expect(render("dbt-labs/dbt_utils{{ log('token ' ~ env_var('DBT_ENV_SECRET_FOR_LOGGING') ~ ' used', info=true) }}")).toBe('dbt-labs/dbt_utils');
    expect(render("{{ log('quietly') }}{{ print('shown') }}x")).toBe('x');
    expect(lines).toEqual([
      ['info', 'token ***** used'],
      ['debug', 'quietly'],
      ['print', 'shown'],
    ]);
  });

  it("refuses an entry whose package, local or git is empty in dbt's words", () => {
    for (const [key, kind] of [['package', 'hub'], ['local', 'local'], ['git', 'git']]) {
      const root = project(`empty-${key}`, { 'packages.yml': `packages:\n  - ${key}: ""\n    version: 1.0.0\n` });
      expect(() => readPackageSpecs(root)).toThrow(`A ${kind} package is missing the value. It is a required property.`);
    }
  });

  it('prefers dependencies.yml, as dbt does', () => {
    const root = project('deps', { 'dependencies.yml': 'packages:\n  - local: ../a\n', 'packages.yml': 'packages:\n  - local: ../b\n' });
    expect(readPackageSpecs(root).map(describeSpec)).toEqual(['local: ../a']);
  });

  it('has no packages without a packages file', () => {
    expect(readPackageSpecs(project('none', {}))).toEqual([]);
  });

  // dbt's TarballPackage requires `name`; an entry no package kind validates is dbt's
  // MALFORMED_PACKAGE_ERROR (dbt-core's TestBadTarballDependency: `version:` given instead of `name:`).
  it('refuses a tarball entry without a name as dbt does: the packages.yml file is malformed', () => {
    const root = project('tarball_no_name', { 'packages.yml': 'packages:\n  - tarball: https://example.com/p.tgz\n    version: dbt_utils\n' });
    expect(() => readPackageSpecs(root)).toThrow(
      expect.objectContaining({
        message: 'The packages.yml file in this project is malformed: a tarball package needs a name (keys: tarball, version)',
        location: { file: 'packages.yml', line: 2 },
      }),
    );
  });

  it('names the file and line of an entry it cannot read', () => {
    const root = project('bad', { 'packages.yml': 'packages:\n  - local: ../ok\n  - hub: something\n' });
    expect(() => readPackageSpecs(root)).toThrow(expect.objectContaining({ message: expect.stringContaining('none of local, git, package or tarball (keys: hub)') as unknown, location: { file: 'packages.yml', line: 3 } }));
  });

  it("finds the hub as dbt does (DBT_PACKAGE_HUB_URL) and tsdbt's override first", () => {
    expect(hubUrl({})).toBe('https://hub.getdbt.com/');
    expect(hubUrl({ DBT_PACKAGE_HUB_URL: 'https://mirror.example/hub' })).toBe('https://mirror.example/hub/');
    expect(hubUrl({ DBT_PACKAGE_HUB_URL: 'https://a/', TSDBT_PACKAGE_HUB_URL: 'http://127.0.0.1:9/' })).toBe('http://127.0.0.1:9/');
  });

  it('keeps downloads in TSDBT_CACHE_DIR, else the XDG cache, else ~/.cache', () => {
    expect(packageCacheDir({ TSDBT_CACHE_DIR: '/tmp/c', XDG_CACHE_HOME: '/x' })).toBe('/tmp/c');
    expect(packageCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/tsdbt/packages');
    expect(packageCacheDir({ HOME: '/home/u' })).toBe('/home/u/.cache/tsdbt/packages');
  });

  it('refuses a hub package without a version or an org, as dbt does', () => {
    const noVersion = project('nover', { 'packages.yml': 'packages:\n  - package: dbt-labs/dbt_utils\n' });
    expect(() => readPackageSpecs(noVersion)).toThrow('dbt-labs/dbt_utils is missing the version');
    const noOrg = project('noorg', { 'packages.yml': 'packages:\n  - package: dbt_utils\n    version: 1.0.0\n' });
    expect(() => readPackageSpecs(noOrg)).toThrow('packages on the index require a namespace, e.g. dbt-labs/dbt_utils');
  });
});

// The resolver over a hub held in memory: requirements merged from every requirer, and only the
// requirements of the versions finally chosen count.
import { describe, expect, it } from 'vitest';
import type { HubClient, HubPackage, HubVersion } from './hub-client.js';
import { specFromEntry } from './package-specs.js';
import { resolvePackages, type ResolveContext } from './resolver.js';

type Catalog = Record<string, Record<string, { package: string; version: string | string[] }[]>>;

function stubHub(catalog: Catalog): HubClient {
  const index = (pkg: string): HubPackage => {
    const versions = new Map<string, HubVersion>();
    for (const [version, packages] of Object.entries(catalog[pkg] ?? {})) {
      versions.set(version, { version, name: pkg.split('/')[1]!, packages, tarball: `http://hub/${pkg}/${version}.tar.gz`, sha1: null, requireDbtVersion: [] });
    }
    return { package: pkg, versions, redirect: null };
  };
  return { packageIndex: (pkg: string) => Promise.resolve(index(pkg)) } as unknown as HubClient;
}

/** A hub whose `old/pkg` moved to `new/pkg` (hub.getdbt.com's `redirectnamespace`), as fishtown-analytics/dbt_utils did. */
function movedHub(catalog: Catalog): HubClient {
  const hub = stubHub(catalog);
  return { packageIndex: async (pkg: string) => ({ ...(await hub.packageIndex(pkg)), redirect: pkg === 'old/pkg' ? 'new/pkg' : null }) } as unknown as HubClient;
}

function context(catalog: Catalog): ResolveContext {
  return {
    projectDir: '/project',
    projectName: 'root',
    specFile: 'packages.yml',
    hub: stubHub(catalog),
    dbtVersion: null,
    render: (t) => t,
    fetch: () => Promise.reject(new Error('no non-hub packages here')),
    dependenciesOf: () => [],
    warn: () => undefined,
  };
}

const root = (...entries: Record<string, unknown>[]) => entries.map((e, i) => specFromEntry(e, { file: 'packages.yml', line: i + 2 }));
const versions = (pinned: Awaited<ReturnType<typeof resolvePackages>>) => pinned.map((p) => (p.kind === 'hub' ? `${p.package}@${p.version}` : p.kind));

describe('resolving hub packages', () => {
  it('merges the ranges of every requirer of a package', async () => {
    const catalog: Catalog = {
      'o/a': { '1.0.0': [{ package: 'o/c', version: ['>=1.0.0', '<3.0.0'] }] },
      'o/b': { '1.0.0': [{ package: 'o/c', version: '<2.0.0' }] },
      'o/c': { '1.0.0': [], '1.5.0': [], '2.5.0': [] },
    };
    const pinned = await resolvePackages(root({ package: 'o/a', version: '1.0.0' }, { package: 'o/b', version: '1.0.0' }), context(catalog));
    expect(versions(pinned)).toEqual(['o/a@1.0.0', 'o/b@1.0.0', 'o/c@1.5.0']);
  });

  it("honours the requirements of the version finally chosen, not those of a version it dropped (dbt keeps them)", async () => {
    // b is first seen alone (2.0.0 is the newest), then a narrows it to <2.0.0; b@2.0.0 wanted
    // c >=2.0.0 but b@1.0.0 wants c <2.0.0: c must be 1.x.
    const catalog: Catalog = {
      'o/a': { '1.0.0': [{ package: 'o/b', version: '<2.0.0' }] },
      'o/b': { '1.0.0': [{ package: 'o/c', version: '<2.0.0' }], '2.0.0': [{ package: 'o/c', version: '>=2.0.0' }] },
      'o/c': { '1.0.0': [], '1.9.0': [], '2.1.0': [] },
    };
    const pinned = await resolvePackages(root({ package: 'o/b', version: '>=1.0.0' }, { package: 'o/a', version: '1.0.0' }), context(catalog));
    expect(versions(pinned)).toEqual(['o/b@1.0.0', 'o/a@1.0.0', 'o/c@1.9.0']);
  });

  it('names both requirers of a conflict, with the line of the one in packages.yml', async () => {
    const catalog: Catalog = { 'o/a': { '1.0.0': [{ package: 'o/c', version: '>=2.0.0' }] }, 'o/c': { '1.0.0': [], '2.0.0': [] } };
    await expect(resolvePackages(root({ package: 'o/c', version: '1.0.0' }, { package: 'o/a', version: '1.0.0' }), context(catalog))).rejects.toMatchObject({
      message: 'version conflict for o/c: packages.yml requires 1.0.0, but o/a@1.0.0 requires >=2.0.0; no version satisfies both',
      location: { file: 'packages.yml', line: 2 },
    });
  });

  it("warns a moved hub package's redirect once, as dbt's memoized registry lookup does (not once per resolving round)", async () => {
    // dbt-core clients/registry.py: _get_cached = memoized(_get_package_with_retries), which fires
    // PackageRedirectDeprecation; a package required twice, and rounds repeated, fetch it once.
    const catalog: Catalog = { 'old/pkg': { '1.0.0': [], '1.1.0': [] }, 'o/a': { '1.0.0': [{ package: 'old/pkg', version: '>=1.0.0' }] } };
    const warnings: string[] = [];
    const ctx = { ...context(catalog), hub: movedHub(catalog), warn: (message: string, event: string) => warnings.push(`${event}: ${message}`) };
    const pinned = await resolvePackages(root({ package: 'old/pkg', version: '>1.0.0' }, { package: 'o/a', version: '1.0.0' }), ctx);
    expect(versions(pinned)).toEqual(['old/pkg@1.1.0', 'o/a@1.0.0']);
    expect(warnings).toEqual(['PackageRedirectDeprecation: The `old/pkg` package is deprecated in favor of `new/pkg`. Please update your `packages.yml` configuration to use `new/pkg` instead.']);
  });

  it('refuses two packages with one project name, and a package named as the root project', async () => {
    const catalog: Catalog = { 'o/root': { '1.0.0': [] } };
    await expect(resolvePackages(root({ package: 'o/root', version: '1.0.0' }), context(catalog))).rejects.toThrow('found a dependency with the same name as the root project "root"');
  });
});

// dbt's version ranges for hub packages (dbt-common semver.py) over npm's semver.
import { describe, expect, it } from 'vitest';
import { chooseVersion, findConflict, installableVersions } from './version-range.js';

const req = (specifiers: string[], requirer = 'packages.yml', installPrerelease = false) => ({ specifiers, requirer, installPrerelease });
const AVAILABLE = ['0.9.0', '1.0.0', '1.1.0', '1.2.0-rc1', '1.2.0', '1.3.0-b1', '2.0.0-rc1', '2.0.0'];

describe('hub version ranges', () => {
  it('chooses the highest version every requirer admits', () => {
    expect(chooseVersion('o/p', AVAILABLE, [req(['>=1.0.0', '<2.0.0']), req(['<1.2.0'], 'o/q@1.0.0')])).toEqual({ version: '1.1.0', latest: '2.0.0' });
    expect(chooseVersion('o/p', AVAILABLE, [req(['1.0.0'])]).version).toBe('1.0.0');
    expect(chooseVersion('o/p', AVAILABLE, [req(['=1.1.0'])]).version).toBe('1.1.0');
    expect(chooseVersion('o/p', AVAILABLE, [req(['>=1.0.0,<2.0.0'])]).version).toBe('1.2.0');
  });

  it('skips prereleases unless install_prerelease is set or a specifier names one; `<2.0.0` keeps out 2.0.0-rc1', () => {
    expect(chooseVersion('o/p', AVAILABLE, [req(['>=1.2.0', '<2.0.0'])]).version).toBe('1.2.0');
    expect(chooseVersion('o/p', AVAILABLE, [req(['>=1.2.0', '<2.0.0'], 'packages.yml', true)]).version).toBe('1.3.0-b1');
    expect(chooseVersion('o/p', AVAILABLE, [req(['2.0.0-rc1'])]).version).toBe('2.0.0-rc1');
    expect(installableVersions('o/p', ['0.1.4a1', '0.1.3'], [req(['>=0.1.0'], 'x', true)])).toEqual(['0.1.3', '0.1.4a1']);
  });

  it('reports ranges that share no version as a conflict naming both requirers', () => {
    const a = req(['>=1.0.0', '<1.1.0']);
    const b = req(['>=1.2.0'], 'o/q@2.0.0');
    expect(findConflict('o/p', [a, b])).toEqual([a, b]);
    expect(() => chooseVersion('o/p', AVAILABLE, [a, b])).toThrow('version conflict for o/p: packages.yml requires >=1.0.0, <1.1.0, but o/q@2.0.0 requires >=1.2.0; no version satisfies both');
  });

  it('says which versions exist when the ranges meet where the hub has none', () => {
    expect(() => chooseVersion('o/p', AVAILABLE, [req(['>=3.0.0'])])).toThrow('no version of o/p satisfies >=3.0.0 (packages.yml); the hub has 0.9.0, 1.0.0, 1.1.0, 1.2.0, 2.0.0');
  });

  it('names a specifier it cannot read', () => {
    expect(() => chooseVersion('o/p', AVAILABLE, [req(['~>1.0'])])).toThrow('"~>1.0" is not a valid version for o/p (required by packages.yml)');
  });
});

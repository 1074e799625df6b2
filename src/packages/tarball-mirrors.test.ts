// TSDBT_TARBALL_MIRRORS: `tarball:` URLs downloaded from a mirror, as git's insteadOf does for git URLs.
import { describe, expect, it } from 'vitest';
import { mirroredTarballUrl, tarballMirrors } from './tarball-mirrors.js';

describe('tarball mirrors', () => {
  const mirrors = tarballMirrors({
    TSDBT_TARBALL_MIRRORS: ' https://github.com/=http://127.0.0.1:9/github/\n https://github.com/dbt-labs/=http://127.0.0.1:9/labs/ https://codeload.github.com/=http://127.0.0.1:9/codeload/ ',
  });

  it('rewrites the longest matching prefix and leaves other URLs alone', () => {
    expect(mirroredTarballUrl('https://codeload.github.com/dbt-labs/dbt-utils/tar.gz/0.9.6', mirrors)).toBe('http://127.0.0.1:9/codeload/dbt-labs/dbt-utils/tar.gz/0.9.6');
    expect(mirroredTarballUrl('https://github.com/calogica/dbt-expectations/archive/refs/tags/0.9.0.tar.gz', mirrors)).toBe('http://127.0.0.1:9/github/calogica/dbt-expectations/archive/refs/tags/0.9.0.tar.gz');
    expect(mirroredTarballUrl('https://github.com/dbt-labs/x/archive/v1.tar.gz', mirrors)).toBe('http://127.0.0.1:9/labs/x/archive/v1.tar.gz');
    expect(mirroredTarballUrl('https://example.com/p.tgz', mirrors)).toBe('https://example.com/p.tgz');
  });

  it('has none when unset, and refuses a pair without =', () => {
    expect(tarballMirrors({})).toEqual([]);
    expect(() => tarballMirrors({ TSDBT_TARBALL_MIRRORS: 'https://github.com/' })).toThrow("TSDBT_TARBALL_MIRRORS has 'https://github.com/', which is not <url prefix>=<replacement prefix>");
  });
});

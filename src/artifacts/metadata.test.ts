// The parse cache and the parse index key on tsdbtBuild(): in the bundled CLI, the version and a
// digest of the bundle, so two builds of one version (every development build is 0.1.0) never read
// each other's parse. bundleDigest changes with the entry's code and with any chunk's name (esbuild
// names chunks by a digest of their code), and is null where there is no bundle.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeDir, testdir } from '../../test/support/testdir.js';
import { bundleDigest, tsdbtBuild, tsdbtVersion } from './metadata.js';

describe('bundleDigest', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeDir));
  const bundle = (files: Record<string, string>) => {
    const dir = testdir(files);
    dirs.push(dir);
    return dir;
  };

  it('differs when the entry or a chunk changes, and is the same for the same bundle', () => {
    const a = bundle({ 'bin.js': 'main()', 'chunk-AAAA.js': 'x', 'chunk-BBBB.js': 'y' });
    const same = bundle({ 'bin.js': 'main()', 'chunk-BBBB.js': 'other text, same name', 'chunk-AAAA.js': 'x' });
    const otherChunk = bundle({ 'bin.js': 'main()', 'chunk-AAAA.js': 'x', 'chunk-CCCC.js': 'y' });
    const otherEntry = bundle({ 'bin.js': 'main(1)', 'chunk-AAAA.js': 'x', 'chunk-BBBB.js': 'y' });
    const digest = bundleDigest(a);
    expect(digest).toMatch(/^[0-9a-f]{12}$/);
    expect(bundleDigest(same)).toBe(digest);
    expect(bundleDigest(otherChunk)).not.toBe(digest);
    expect(bundleDigest(otherEntry)).not.toBe(digest);
    writeFileSync(path.join(a, 'chunk-DDDD.js'), 'z');
    expect(bundleDigest(a)).not.toBe(digest);
  });

  it('is null without a bundle, and the build is then the version alone (tsdbt run from its sources)', () => {
    expect(bundleDigest(bundle({ 'index.js': '' }))).toBeNull();
    expect(tsdbtBuild()).toBe(tsdbtVersion());
  });
});

// `tarball:` packages downloaded through TSDBT_TARBALL_MIRRORS (a URL prefix mapped to a mirror),
// with package-lock.yml and the log keeping the URL written in packages.yml.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDepsCommand } from '../../src/app/deps-command.js';
import { createInvocation } from '../../src/app/invocation.js';
import { reportFatal } from '../../src/cli/error-output.js';
import { buildTarball, PackageHub } from '../support/package-hub.js';
import { removeDir, testdir, writeFiles } from '../support/testdir.js';

describe('tsdbt deps with TSDBT_TARBALL_MIRRORS', () => {
  let hub: PackageHub;
  let work: string;
  beforeAll(async () => {
    work = testdir({}, 'tsdbt-deps-mirror-');
    hub = await PackageHub.start();
  });
  afterAll(async () => {
    await hub.stop();
    removeDir(work);
  });

  it('downloads a tarball from the mirror and locks the URL as written', async () => {
    const body = await buildTarball('dbt-utils-0.9.6', { 'dbt_project.yml': "name: dbt_utils\nversion: '0.9.6'\n", 'macros/m.sql': '{% macro m() %}1{% endmacro %}\n' });
    const served = hub.serveFile('dbt-labs/dbt-utils/tar.gz/0.9.6', body);
    const url = 'https://codeload.github.example.invalid/dbt-labs/dbt-utils/tar.gz/0.9.6';
    const dir = path.join(work, 'p');
    writeFiles(dir, { 'dbt_project.yml': 'name: p\nprofile: demo\n', 'packages.yml': `packages:\n  - tarball: ${url}\n    name: dbt_utils\n` });
    const lines: string[] = [];
    const env = { ...process.env, HOME: work, TSDBT_CACHE_DIR: path.join(work, 'cache'), TSDBT_DEPS_RETRIES: '0', TSDBT_TARBALL_MIRRORS: `https://codeload.github.example.invalid/=${hub.url}files/` };
    const inv = createInvocation({ projectDir: dir, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env });
    let code = 0;
    try {
      await runDepsCommand(inv, {});
    } catch (err) {
      code = reportFatal(err, (l) => lines.push(l), 'text');
    }
    expect(code, lines.join('\n')).toBe(0);
    expect(hub.count('/files/dbt-labs/dbt-utils/tar.gz/0.9.6')).toBe(1);
    expect(served).toBe(`${hub.url}files/dbt-labs/dbt-utils/tar.gz/0.9.6`);
    expect(existsSync(path.join(dir, 'dbt_packages', 'dbt_utils', 'macros', 'm.sql'))).toBe(true);
    expect(readFileSync(path.join(dir, 'package-lock.yml'), 'utf8')).toContain(`packages:\n  - name: dbt_utils\n    tarball: ${url}\n`);
    expect(lines.join('\n')).toContain(`Installed from tarball (url: ${url})`);
  });
});

// state: selection of exposures (dbt's StateSelectorMethod compares exposures, metrics, semantic
// models and saved queries with Exposure.same_contents & co.): an exposure the --state manifest has
// unchanged is old and unmodified (so `--exclude state:unmodified` drops it), a change to its own
// fields (owner, depends_on...) makes it state:modified and `+state:modified` reaches the models it
// reads, and a meta change is no change (docs: caveats to state comparison, tags and meta).
import { cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseOrLs } from '../support/parse-or-ls.js';
import { removeDir, testdir, writeFiles } from '../support/testdir.js';

const EXPOSURES = `version: 2
exposures:
  - name: dashboard
    type: dashboard
    depends_on:
      - ref('orders')
    owner:
      email: data@example.com
`;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

async function withState(): Promise<string> {
  const dir = testdir({
    'dbt_project.yml': 'name: demo\nprofile: demo\n',
    'profiles.yml': 'demo:\n  target: ci\n  outputs:\n    ci: {type: pglite, path: memory, schema: ci_schema, threads: 1}\n',
    'models/orders.sql': 'select 1 as id\n',
    'models/customers.sql': 'select 1 as id\n',
    'models/exposures.yml': EXPOSURES,
  });
  dirs.push(dir);
  const parsed = await parseOrLs(dir, 'parse', { noPartialParse: true });
  expect(parsed.code, parsed.lines.join('\n')).toBe(0);
  mkdirSync(path.join(dir, 'state'));
  cpSync(path.join(dir, 'target', 'manifest.json'), path.join(dir, 'state', 'manifest.json'));
  return dir;
}

async function ls(dir: string, options: { select?: string[]; exclude?: string[] }): Promise<string[]> {
  const { code, lines } = await parseOrLs(dir, 'ls', { ...options, state: 'state', noPartialParse: true });
  expect(code, lines.join('\n')).toBe(0);
  return lines.filter((l) => /^[\w:.]+$/.test(l)).sort();
}

describe('state: selection of exposures', () => {
  it('an unchanged exposure is unmodified; its owner or depends_on changing is modified; its meta is not', async () => {
    const dir = await withState();
    expect(await ls(dir, { select: ['state:modified'] })).toEqual([]);
    expect(await ls(dir, { exclude: ['state:unmodified'] })).toEqual([]);
    expect(await ls(dir, { select: ['state:unmodified'] })).toEqual(['customers', 'dashboard', 'orders']);

    writeFiles(dir, { 'models/exposures.yml': EXPOSURES.replace('data@example.com', 'bi@example.com') });
    expect(await ls(dir, { select: ['state:modified'] })).toEqual(['dashboard']);
    expect(await ls(dir, { select: ['+state:modified'] })).toEqual(['dashboard', 'orders']);

    writeFiles(dir, { 'models/exposures.yml': EXPOSURES.replace("      - ref('orders')\n", "      - ref('orders')\n      - ref('customers')\n") });
    expect(await ls(dir, { select: ['state:modified'] })).toEqual(['dashboard']);

    writeFiles(dir, { 'models/exposures.yml': `${EXPOSURES}    meta:\n      team: finance\n` });
    expect(await ls(dir, { select: ['state:modified'] })).toEqual([]);
  }, 300_000);
});

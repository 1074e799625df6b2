// Loading the PostgreSQL driver costs every run's start: pg's lib/stream.js, on Node 20 (no
// `navigator` global), probes for a Cloudflare Worker by building a web Response, which loads
// Node's bundled undici (40-50 ms). postgres-adapter.ts gives pg Node 21's `navigator` while it
// loads; this checks, in a fresh process, that opening a `type: postgres` adapter loads no undici
// and leaves no `navigator` global behind where Node has none.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/run-cli.js';

const SCRIPT = `
const hadNavigator = 'navigator' in globalThis;
const { createAdapter } = await import('./src/adapters/index.ts');
const target = { type: 'postgres', name: 'dev', host: '127.0.0.1', port: 1, user: 'u', password: 'p', dbname: 'd', schema: 's', threads: 1 };
const adapter = await createAdapter(target, { projectDir: process.cwd() });
await adapter.close();
console.log(JSON.stringify({
  undici: process.moduleLoadList.filter((m) => m.includes('undici')),
  navigatorLeft: !hadNavigator && 'navigator' in globalThis,
  pgLoaded: Object.keys((await import('node:module')).createRequire(import.meta.url).cache).some((f) => f.includes('/node_modules/pg/lib/stream.js')),
}));
`;

describe('loading the PostgreSQL driver', () => {
  it('opens a postgres adapter without loading undici, leaving no navigator global', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout.trim().split('\n').pop() as string) as { undici: string[]; navigatorLeft: boolean; pgLoaded: boolean };
    expect(out.pgLoaded).toBe(true);
    expect(out.undici).toEqual([]);
    expect(out.navigatorLeft).toBe(false);
  });
});

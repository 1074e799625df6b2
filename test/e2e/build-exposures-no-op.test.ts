// dbt 1.10+'s build lists each selected exposure (and saved query) as a NO-OP result: a line
// `N of M NO-OP exposure <name> ... [NO-OP in 0.00s]` after what it reads, an entry in
// run_results.json (status no-op, message NO-OP), a NO-OP count in the summary. An exposure whose
// upstream failed is skipped. `run` runs models only, so it lists no exposure.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { warehouseProject } from '../support/warehouse-project.js';

const FILES = {
  'dbt_project.yml': 'name: demo\nprofile: demo\n',
  'models/orders.sql': 'select 1 as id\n',
  'models/order_totals.sql': "select count(*) as n from {{ ref('orders') }}\n",
  'models/broken.sql': 'select * from no_such_table_anywhere\n',
  'models/exposures.yml': `version: 2
exposures:
  - name: simple_exposure
    type: dashboard
    owner: {email: a@example.com}
    depends_on: [ref('order_totals')]
  - name: notebook_exposure
    type: notebook
    owner: {email: b@example.com}
    depends_on: [ref('broken')]
`,
};

type RunResults = { results: { unique_id: string; status: string; message: string | null }[] };

describe('exposures in build', () => {
  const p = warehouseProject('pglite', FILES);
  afterAll(() => p.cleanup());
  const results = () => (JSON.parse(readFileSync(path.join(p.dir, 'target', 'run_results.json'), 'utf8')) as RunResults).results;
  const exposures = () => results().filter((r) => r.unique_id.startsWith('exposure.'));

  it('are NO-OP results after what they read; one whose upstream failed is skipped', async () => {
    const build = await p.run('build');
    expect(build.code).toBe(1); // broken fails
    expect(exposures().map((r) => [r.unique_id, r.status, r.message]).sort()).toEqual([
      ['exposure.demo.notebook_exposure', 'skipped', expect.stringContaining('model.demo.broken') as unknown],
      ['exposure.demo.simple_exposure', 'no-op', 'NO-OP'],
    ]);
    const ids = results().map((r) => r.unique_id);
    expect(ids.indexOf('exposure.demo.simple_exposure')).toBeGreaterThan(ids.indexOf('model.demo.order_totals'));
    expect(build.output).toMatch(/\d of 5 NO-OP exposure simple_exposure \.+ \[NO-OP in 0\.00s\]/);
    expect(build.output).not.toMatch(/START exposure/);
    expect(build.output).toContain('Finished running 2 exposures, 3 view models');
    expect(build.output).toMatch(/Done\. PASS=2 WARN=0 ERROR=1 SKIP=1 NO-OP=1 TOTAL=5/);
  });

  it('follow --select and --exclude; run lists none', async () => {
    await p.run('build', { select: ['simple_exposure'] });
    expect(results().map((r) => [r.unique_id, r.status])).toEqual([['exposure.demo.simple_exposure', 'no-op']]);
    await p.run('build', { select: ['+simple_exposure'], exclude: ['simple_exposure'] });
    expect(exposures()).toEqual([]);
    expect(results().map((r) => r.unique_id).sort()).toEqual(['model.demo.order_totals', 'model.demo.orders']);
    await p.run('run', { select: ['+simple_exposure'] });
    expect(exposures()).toEqual([]);
  });
});

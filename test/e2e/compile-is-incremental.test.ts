// dbt's is_incremental() outside run/build: `compile`, `show` and `docs generate` render an
// incremental model as dbt does, asking the warehouse whether its table exists (dbt's macro calls
// adapter.get_relation(this...)); a model with `full_refresh: true`, or any under --full-refresh,
// is not incremental. Before, these commands always rendered the first-load branch.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const INCREMENTAL = (name: string) =>
  `{{ config(materialized='incremental'${name === 'refreshed' ? ', full_refresh=true' : ''}) }}\n` +
  `select id from (select 1 as id) as s\n{% if is_incremental() %}where id > (select max(id) from {{ this }}) -- ${name} incremental{% endif %}\n`;

describe('is_incremental() in compile, show and docs generate', () => {
  let dir: string;
  const cli = (...args: string[]) => runTsdbt([...args, '--project-dir', dir, '--profiles-dir', dir]);
  const compiled = (name: string) => readFileSync(path.join(dir, 'target/compiled/demo/models', `${name}.sql`), 'utf8');

  beforeAll(async () => {
    dir = testdir({
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'models/events.sql': INCREMENTAL('events'),
      'models/refreshed.sql': INCREMENTAL('refreshed'),
      'models/later.sql': INCREMENTAL('later'),
    });
    const db = path.join(dir, 'target', 'db.pglite');
    const profiles = `demo:\n  target: dev\n  outputs:\n    dev: {type: pglite, path: '${db}', schema: main, threads: 1}\n`;
    writeFileSync(path.join(dir, 'profiles.yml'), profiles);
    const run = await cli('run', '--select', 'events', 'refreshed');
    expect(run.code, run.stdout + run.stderr).toBe(0);
  }, 120_000);
  afterAll(() => removeDir(dir));

  it('compile renders the incremental branch of a model whose table exists, and only of it', async () => {
    const result = await cli('compile');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(compiled('events')).toContain('-- events incremental');
    expect(compiled('refreshed')).not.toContain('incremental'); // full_refresh: true
    expect(compiled('later')).not.toContain('incremental'); // no table yet
  }, 60_000);

  it('compile --full-refresh renders the first-load branch', async () => {
    const result = await cli('compile', '--full-refresh');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(compiled('events')).not.toContain('incremental');
  }, 60_000);

  it('docs generate puts the incremental branch in the manifest', async () => {
    const result = await cli('docs', 'generate');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toContain('not compiled for the docs');
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, { compiled_code?: string }> };
    expect(manifest.nodes['model.demo.events']?.compiled_code).toContain('-- events incremental');
    expect(manifest.nodes['model.demo.later']?.compiled_code).not.toContain('incremental');
  }, 60_000);

  it('show runs the incremental branch', async () => {
    const result = await cli('show', '--select', 'events');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    // where id > max(id): the table holds id 1, so no row comes back
    expect(result.stdout).toMatch(/\|\s*id\s*\|/);
    expect(result.stdout).not.toMatch(/^\|\s*1\s*\|/m);
  }, 60_000);
});

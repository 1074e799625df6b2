// Which commands write target/manifest.json, as dbt's CLI does (every command decorated with
// `@requires.manifest` writes it after parsing: ls, run-operation, show, source freshness as well
// as parse, compile and the building commands; `--no-write-json` writes none, `docs generate`
// aside), and that a `tsdbt ls` between two parses leaves the second one its "nothing changed"
// answer (the manifest.json it wrote holds the same parse).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const FILES: Record<string, string> = {
  'dbt_project.yml': 'name: shop\nprofile: shop\n',
  'models/orders.sql': 'select 1 as id\n',
  'models/big_orders.sql': "select * from {{ ref('orders') }} where id > 0\n",
  'models/sources.yml': 'version: 2\nsources:\n  - name: raw\n    schema: raw\n    tables:\n      - name: events\n',
  'macros/hello.sql': "{% macro hello() %}{{ log('hello from the macro', info=True) }}{% endmacro %}\n",
};

describe('commands that write manifest.json', () => {
  const dir = testdir(FILES);
  afterAll(() => removeDir(dir));
  const manifestFile = path.join(dir, 'target/manifest.json');
  const run = async (args: string[]) => {
    const out = await runTsdbt([...args, '--project-dir', dir]);
    expect(out.code, out.stdout + out.stderr).toBe(0);
    return out;
  };
  const written = (): { nodes: string[]; sources: string[]; command: string | undefined } => {
    const json = JSON.parse(readFileSync(manifestFile, 'utf8')) as { nodes: Record<string, unknown>; sources: Record<string, unknown>; metadata: { invocation_command?: string } };
    return { nodes: Object.keys(json.nodes).sort(), sources: Object.keys(json.sources), command: json.metadata.invocation_command };
  };
  const fresh = () => rmSync(path.join(dir, 'target'), { recursive: true, force: true });

  it('ls writes it (CI scripts read it after `dbt ls`), and a parse after it still finds nothing changed', async () => {
    fresh();
    const listed = await run(['ls', '--resource-type', 'model']);
    expect(listed.stdout.split('\n').filter(Boolean)).toEqual(['shop.big_orders', 'shop.orders']);
    expect(written().nodes).toEqual(['model.shop.big_orders', 'model.shop.orders']);
    expect(written().sources).toEqual(['source.shop.raw.events']);
    expect(existsSync(path.join(dir, 'target/semantic_manifest.json'))).toBe(true);

    await run(['parse']);
    await run(['ls']);
    const again = await run(['parse']);
    expect(again.stdout).toContain('nothing changed since the last parse');
  });

  it("ls's stdout holds only the list: a slow parse's progress lines go to stderr", async () => {
    fresh();
    // TSDBT_SLOW_STEP_MS=0: every slow-step line is due at once, as on a loaded machine after two seconds.
    const listed = await runTsdbt(['ls', '--resource-type', 'model', '--project-dir', dir], { env: { TSDBT_SLOW_STEP_MS: '0' } });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout.split('\n').filter(Boolean)).toEqual(['shop.big_orders', 'shop.orders']);
    expect(listed.stderr).toContain('Parsing the project:');
  });

  it('run-operation and source freshness write it too', async () => {
    fresh();
    const operation = await run(['run-operation', 'hello']);
    expect(operation.stdout).toContain('hello from the macro');
    expect(written().nodes).toEqual(['model.shop.big_orders', 'model.shop.orders']);
    fresh();
    // No source has freshness criteria: nothing to check, and the manifest is written all the same.
    await run(['source', 'freshness']);
    expect(written().sources).toEqual(['source.shop.raw.events']);
  });

  it('--no-write-json writes none, from parse, ls or run-operation', async () => {
    fresh();
    const parsed = await run(['parse', '--no-write-json']);
    expect(parsed.stdout).toContain('no manifest.json written');
    await run(['ls', '--no-write-json']);
    await run(['run-operation', 'hello', '--no-write-json']);
    expect(existsSync(manifestFile)).toBe(false);
    // A parse that wrote nothing leaves no index: the next parse parses again and writes it.
    const next = await run(['parse']);
    expect(next.stdout).not.toContain('nothing changed');
    expect(written().nodes).toEqual(['model.shop.big_orders', 'model.shop.orders']);
  });

  it('source freshness --no-write-json writes neither manifest.json nor sources.json', async () => {
    fresh();
    const fresher = testdir({
      ...FILES,
      'dbt_project.yml': 'name: shop\nprofile: shop\non-run-start:\n  - "create schema if not exists raw"\n  - "create table if not exists raw.events as select now() as loaded_at"\n',
      'models/sources.yml': 'version: 2\nsources:\n  - name: raw\n    schema: raw\n    freshness: {warn_after: {count: 1, period: day}}\n    loaded_at_field: loaded_at\n    tables:\n      - name: events\n',
    });
    try {
      const checked = await runTsdbt(['source', 'freshness', '--no-write-json', '--project-dir', fresher]);
      expect(checked.code, checked.stdout + checked.stderr).toBe(0);
      expect(checked.stdout).toMatch(/1 of 1 PASS freshness of raw\.events \.+ \[PASS in /);
      expect(existsSync(path.join(fresher, 'target/sources.json'))).toBe(false);
      expect(existsSync(path.join(fresher, 'target/manifest.json'))).toBe(false);
      const again = await runTsdbt(['source', 'freshness', '--project-dir', fresher]);
      expect(again.code, again.stdout + again.stderr).toBe(0);
      expect(existsSync(path.join(fresher, 'target/sources.json'))).toBe(true);
    } finally {
      removeDir(fresher);
    }
  });
});

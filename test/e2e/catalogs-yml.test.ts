// catalogs.yml end to end: the commands dbt marks `@requires.catalogs` (parse, compile, build, run,
// seed, snapshot, test) read it before parsing and stop with dbt's message on a bad one; `ls` does
// not read it. tsdbt's adapters, like dbt-postgres, support no catalog type, so a valid catalog stops
// them too. A parse answered from the last parse's index notices a catalogs.yml added since.
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const integration = (name: string) => `      - name: ${name}\n        catalog_type: write\n        table_format: iceberg\n`;
const TWO_WITHOUT_ACTIVE = `catalogs:\n  - name: lake\n    write_integrations:\n${integration('w1')}${integration('w2')}`;

describe('catalogs.yml', () => {
  const dir = testdir({
    'dbt_project.yml': 'name: shop\nprofile: shop\n',
    'models/orders.sql': 'select 1 as id\n',
  });
  afterAll(() => removeDir(dir));
  const env = { HOME: dir, DBT_PROFILES_DIR: '' };
  const tsdbt = (...args: string[]) => runTsdbt([...args, '--project-dir', dir], { env });

  it('parse reads it, also when the last parse is otherwise unchanged; ls does not', async () => {
    expect((await tsdbt('parse')).code).toBe(0);
    writeFileSync(path.join(dir, 'catalogs.yml'), TWO_WITHOUT_ACTIVE);
    const parse = await tsdbt('parse');
    expect(parse.code).toBe(2);
    expect(parse.stdout + parse.stderr).toContain("catalogs.yml:2: Catalog 'lake' must specify an 'active_write_integration' when multiple 'write_integrations' are provided.");
    expect((await tsdbt('ls')).code).toBe(0);
  });

  it('compile refuses a valid catalog whose type the adapter does not support, as dbt-postgres does', async () => {
    writeFileSync(path.join(dir, 'catalogs.yml'), `catalogs:\n  - name: lake\n    write_integrations:\n${integration('w1')}`);
    const compile = await tsdbt('compile');
    expect(compile.code).toBe(2);
    // Under dbt's Runtime Error header, each line of the message indented (DbtRuntimeError.__str__).
    expect(compile.stdout + compile.stderr).toContain('Runtime Error\n  catalogs.yml: Catalog type is not supported.\n  Received: write');
    rmSync(path.join(dir, 'catalogs.yml'));
    expect((await tsdbt('compile')).code).toBe(0);
  });
});

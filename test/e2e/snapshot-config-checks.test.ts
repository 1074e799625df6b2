// dbt's SnapshotConfig.validate at parse: a snapshot needs a strategy and a unique_key, check_cols
// for `check` ('all' or a list) and updated_at for `timestamp`, wherever they are set (config(),
// the property file, dbt_project.yml); dbt's words, at the snapshot's file and line.
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

async function parse(config: string, projectYml = 'name: demo\nprofile: demo\n') {
  const dir = testdir({
    'dbt_project.yml': projectYml,
    'snapshots/snap.sql': `{% snapshot snap %}\n{{ config(${config}) }}\nselect 1 as id\n{% endsnapshot %}\n`,
  });
  dirs.push(dir);
  const result = await runTsdbt(['parse', '--project-dir', dir, '--no-partial-parse']);
  return { code: result.code, output: `${result.stdout}\n${result.stderr}` };
}

describe('snapshot configs checked at parse', () => {
  it.each([
    ["unique_key='id', updated_at='u'", "Snapshots must be configured with a 'strategy' and 'unique_key'."],
    ["strategy='timestamp', updated_at='u'", "Snapshots must be configured with a 'strategy' and 'unique_key'."],
    ["strategy='check', unique_key='id'", 'A snapshot configured with the check strategy must specify a check_cols configuration.'],
    ["strategy='check', unique_key='id', check_cols='some'", "Invalid value for 'check_cols': some. Expected 'all' or a list of strings."],
    ["strategy='timestamp', unique_key='id'", 'A snapshot configured with the timestamp strategy must specify an updated_at configuration.'],
  ])('config(%s) is refused', async (config, message) => {
    const { code, output } = await parse(config);
    expect(code).toBe(2);
    expect(output).toContain(message);
    expect(output).toContain('snapshots/snap.sql:1');
  });

  it('takes the strategy from dbt_project.yml, and a custom strategy needs nothing more', async () => {
    const fromProject = await parse("unique_key='id'", 'name: demo\nprofile: demo\nsnapshots:\n  demo:\n    +strategy: check\n    +check_cols: all\n');
    expect(fromProject.code, fromProject.output).toBe(0);
    const custom = await parse("unique_key='id', strategy='mine'");
    expect(custom.code, custom.output).toBe(0);
  });
});

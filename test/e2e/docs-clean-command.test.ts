// dbt's clean command page, as dbt-core's CleanTask prints it: for each clean-target its absolute
// path, CheckCleanPath ("Checking <path>/*") and ConfirmCleanPath ("Cleaned <path>/*"), then
// FinishedCleanPaths ("Finished cleaning all paths."); the folders are gone.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

describe('clean', () => {
  let dir: string;
  beforeAll(() => {
    dir = testdir({ 'dbt_project.yml': 'name: demo\nprofile: demo\nclean-targets: [target, dbt_packages]\n', 'models/a.sql': 'select 1 as id' });
    mkdirSync(path.join(dir, 'target/compiled'), { recursive: true });
    writeFileSync(path.join(dir, 'target/compiled/a.sql'), 'select 1');
  });
  afterAll(() => removeDir(dir));

  it("says dbt's CheckCleanPath / ConfirmCleanPath per target and FinishedCleanPaths, and deletes the targets", async () => {
    const result = await runTsdbt(['clean', '--project-dir', dir]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n').filter((l) => l !== '').map((l) => l.replace(/^\d\d:\d\d:\d\d {2}/, ''));
    const target = path.join(dir, 'target');
    const packages = path.join(dir, 'dbt_packages');
    expect(lines).toEqual([`Checking ${target}/*`, `Cleaned ${target}/*`, `Checking ${packages}/*`, `Cleaned ${packages}/*`, 'Finished cleaning all paths.']);
    expect(existsSync(target)).toBe(false);
    const json = await runTsdbt(['clean', '--log-format', 'json', '--project-dir', dir]);
    const names = json.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => (JSON.parse(l) as { info: { name: string; code: string } }).info);
    expect(names.map((i) => `${i.name} ${i.code}`)).toEqual(['CheckCleanPath Z012', 'ConfirmCleanPath Z013', 'CheckCleanPath Z012', 'ConfirmCleanPath Z013', 'FinishedCleanPaths Z015']);
  });
});

// dbt 1.11 ("Legacy behaviors" page, require_resource_names_without_spaces): a node whose name
// holds a space (its file `models/my model.sql`) stops the parse by default, every such node
// listed; with the flag set to false, dbt warns ResourceNamesWithSpacesDeprecation with the count
// (and SpacesInResourceNameDeprecation for the first such node, for each under --debug).
import { describe, expect, it } from 'vitest';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';
import { PGLITE_PROFILES, parseFiles } from '../support/parse-files.js';
import { runTsdbt } from '../support/run-cli.js';

const files = { 'models/my model.sql': 'select 1 as x\n', 'seeds/my seed.csv': 'x\n1\n', 'models/fine.sql': 'select 1 as x\n' };

describe('resource names with spaces', () => {
  it('stop the parse by default, listing every node named with a space', async () => {
    const out = await parseFiles(files);
    expect(out.code).toBe(2);
    expect(out.out).toContain('Resource names cannot contain spaces:');
    expect(out.out).toContain("  * 'model.demo.my model' (models/my model.sql)");
    expect(out.out).toContain("  * 'seed.demo.my seed' (seeds/my seed.csv)");
    expect(out.out).not.toContain('model.demo.fine');
  });

  it('warn once with the count when require_resource_names_without_spaces is false', async () => {
    const out = await parseFiles({ ...files, 'dbt_project.yml': `${MINIMAL_PROJECT_YML}flags:\n  require_resource_names_without_spaces: false\n` });
    expect(out.code, out.out).toBe(0);
    expect(out.out).toContain('Spaces found in 2 resource name(s). This is deprecated, and may lead to errors when using dbt.');
    expect(out.out).toMatch(/ResourceNamesWithSpacesDeprecation: 1 occurrence/);
    // SpacesInResourceNameDeprecation names the first one; dbt fires it with fire_event, so it is
    // neither in the deprecation summary nor an error under --warn-error.
    expect(out.out).toContain('Found spaces in the name of `model.demo.my model`');
    expect(out.out).not.toMatch(/SpacesInResourceNameDeprecation: \d occurrence/);
  });

  it('say "Run again with `--debug` to see them all."; under --debug (a cached parse too) name every such node, without that hint', async () => {
    const dir = testdir({ ...files, 'dbt_project.yml': `${MINIMAL_PROJECT_YML}flags:\n  require_resource_names_without_spaces: false\n`, 'profiles.yml': PGLITE_PROFILES });
    try {
      const plain = await runTsdbt(['parse', '--project-dir', dir, '--profiles-dir', dir]);
      const out = plain.stdout + plain.stderr;
      expect(out).toContain('Spaces found in 2 resource name(s). This is deprecated, and may lead to errors when using dbt. Run again with `--debug` to see them all.');
      expect(out.match(/Found spaces in the name of/g)).toHaveLength(1);
      const debug = await runTsdbt(['parse', '--debug', '--project-dir', dir, '--profiles-dir', dir]);
      const all = debug.stdout + debug.stderr;
      expect(all).toContain('Found spaces in the name of `model.demo.my model`');
      expect(all).toContain('Found spaces in the name of `seed.demo.my seed`');
      expect(all).toContain('Spaces found in 2 resource name(s). This is deprecated, and may lead to errors when using dbt. For more information');
      expect(all).not.toContain('Run again with `--debug`');
    } finally {
      removeDir(dir);
    }
  });

  it('let names without spaces parse with the flag at its default, and a unit test named with spaces', async () => {
    const unitTest = 'version: 2\nunit_tests:\n  - name: fine keeps x\n    model: fine\n    given: []\n    expect: {rows: [{x: 1}]}\n';
    const out = await parseFiles({ 'models/fine.sql': 'select 1 as x\n', 'models/unit.yml': unitTest });
    expect(out.code, out.out).toBe(0);
    expect(out.out).not.toContain('Spaces found');
  });
});

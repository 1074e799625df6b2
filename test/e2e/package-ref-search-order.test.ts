// dbt's _packages_to_search: an unqualified ref() in a package's model finds the root project's
// model of that name first, then the package's own (dbt 1.11's behaviour flag
// `require_ref_searches_node_package_before_root: true` turns the order round).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';
import { PGLITE_PROFILES } from '../support/parse-files.js';

const files = (flags: string) => ({
  'dbt_project.yml': MINIMAL_PROJECT_YML + flags,
  'profiles.yml': PGLITE_PROFILES,
  'models/shared.sql': 'select 1 as id\n',
  // Its own schema: one relation for both `shared` models is dbt's AmbiguousAliasError.
  'dbt_packages/pkg/dbt_project.yml': "name: pkg\nversion: '1.0.0'\nconfig-version: 2\nmodels:\n  pkg:\n    +schema: pkg\n",
  'dbt_packages/pkg/models/shared.sql': 'select 2 as id\n',
  'dbt_packages/pkg/models/uses.sql': "select * from {{ ref('shared') }}\n",
});

describe("an unqualified ref() in a package's model", () => {
  let dir = '';
  afterEach(() => removeDir(dir));
  const parentOf = async (flags: string) => {
    dir = testdir(files(flags));
    const result = await runTsdbt(['parse', '--project-dir', dir, '--profiles-dir', dir]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, { depends_on: { nodes: string[] } }> };
    return manifest.nodes['model.pkg.uses']?.depends_on.nodes;
  };

  it("finds the root project's model first, as dbt does by default", async () => {
    expect(await parentOf('')).toEqual(['model.demo.shared']);
  });

  it('finds its own package first with require_ref_searches_node_package_before_root: true', async () => {
    expect(await parentOf('flags:\n  require_ref_searches_node_package_before_root: true\n')).toEqual(['model.pkg.shared']);
  });
});

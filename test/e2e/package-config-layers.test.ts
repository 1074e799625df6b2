// The root project configures an installed package's folders as dbt does (docs: "Define configs",
// "Using the + prefix"; dbt-core's fqn_search and _project_configs): a folder may be named like a
// config (`labels/`), and the root project's tree is applied after the package's own, so the
// root's `+enabled: false` on a folder wins over the package's deeper `+enabled: true`.
// Revealed by FlipsideCrypto/ethereum-models, whose fsc_evm package's
// main_package/labels/gold/core__dim_labels stayed disabled, so its refs stopped the parse.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

describe("a package's folders configured from the root project", () => {
  it('enables a folder named like a config; a root setting at a shallower level wins over the package deeper one', async () => {
    const dir = testdir({
      'dbt_project.yml': `${MINIMAL_PROJECT_YML}models:\n  pkg:\n    +enabled: false\n    main:\n      +enabled: false\n      labels:\n        +enabled: true\n      tags:\n        +enabled: true\n`,
      'models/m.sql': "select * from {{ ref('dim_labels') }} union all select * from {{ ref('dim_tags') }}\n",
      'dbt_packages/pkg/dbt_project.yml': "name: pkg\nversion: '1.0.0'\nconfig-version: 2\nmodels:\n  pkg:\n    +enabled: false\n    main:\n      admin:\n        +enabled: true\n",
      'dbt_packages/pkg/models/main/labels/gold/dim_labels.sql': 'select 1 as id\n',
      'dbt_packages/pkg/models/main/tags/dim_tags.sql': 'select 2 as id\n',
      'dbt_packages/pkg/models/main/admin/admin_only.sql': 'select 3 as id\n',
    });
    dirs.push(dir);
    const parse = await runTsdbt(['parse', '--project-dir', dir]);
    expect(parse.code, parse.stdout + parse.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, { depends_on: { nodes: string[] } }> };
    // admin_only is not there: the package enables admin/, but the root project disables main/.
    expect(Object.keys(manifest.nodes).sort()).toEqual(['model.demo.m', 'model.pkg.dim_labels', 'model.pkg.dim_tags']);
    expect(manifest.nodes['model.demo.m']?.depends_on.nodes.sort()).toEqual(['model.pkg.dim_labels', 'model.pkg.dim_tags']);
  });
});

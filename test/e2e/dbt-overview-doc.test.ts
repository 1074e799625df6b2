// Every dbt manifest.json lists dbt's own docs block, `doc.dbt.__overview__` (dbt's
// global_project/docs/overview.md), beside the project's: `manifest.docs` of a project with one
// docs block has two entries.
import { afterAll, describe, expect, it } from 'vitest';
import { offlineProject } from '../support/offline-project.js';
import { removeDir } from '../support/testdir.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

describe("dbt's __overview__ docs block", () => {
  it('is in manifest.json beside the project docs', async () => {
    const p = await offlineProject(
      {
        'dbt_project.yml': 'name: demo\nprofile: demo\nconfig-version: 2\n',
        'models/one.sql': 'select 1 as id',
        'models/customers.md': '{% docs customer_table %}\nThis table contains customer data\n{% enddocs %}\n',
      },
      'parse',
    );
    dirs.push(p.dir);
    const docs = p.manifest().docs as Record<string, Record<string, unknown>>;
    expect(Object.keys(docs).sort()).toEqual(['doc.dbt.__overview__', 'doc.demo.customer_table']);
    expect(docs['doc.dbt.__overview__']).toMatchObject({ name: '__overview__', resource_type: 'doc', package_name: 'dbt', path: 'overview.md', original_file_path: 'docs/overview.md' });
    expect(String(docs['doc.dbt.__overview__']?.block_contents)).toMatch(/^### Welcome!\n\nWelcome to the auto-generated documentation for your dbt project!\n/);
  });
});

// persist_docs and the docs catalog as dbt-tests-adapter's persist_docs suite checks them, on the
// PostgreSQL server: catalog.json's `metadata.comment` is the relation's comment (dbt's
// table_comment) and `metadata.owner` its owner, for tables and views; a described column the
// relation lacks is named in dbt's warning ("The following columns are specified in the schema but
// are not present in the database: ..."), and the run still succeeds.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docsGenerateCommand } from '../../src/app/docs-command.js';
import { createInvocation } from '../../src/app/invocation.js';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

describe('persist_docs and the catalog on PostgreSQL', () => {
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject('server', {
      'dbt_project.yml': 'name: demo\nprofile: demo\nmodels:\n  +persist_docs:\n    relation: true\n    columns: true\n',
      'models/t.sql': "{{ config(materialized='table') }}\nselect 1 as id\n",
      'models/v.sql': 'select 1 as id\n',
      'models/schema.yml': [
        'models:',
        '  - name: t',
        '    description: "Table t, described"',
        '    columns:',
        '      - name: id',
        '        description: the id',
        '      - name: bogus_one',
        '        description: not there',
        '      - name: bogus_two',
        '        description: not there either',
        '  - name: v',
        '    description: "View v, described"',
        '',
      ].join('\n'),
    });
  });
  afterAll(async () => {
    await p.cleanup();
  });

  it('a described column the relation lacks is named in a warning; the run succeeds', async () => {
    const out = await p.run('run');
    expect(out.code, out.output).toBe(0);
    expect(out.output).toContain('The following columns are specified in the schema but are not present in the database: bogus_one, bogus_two');
    const [row] = await p.sql(`select col_description('"${p.schema}".t'::regclass, 1) as c`);
    expect(row?.c).toBe('the id');
  });

  it("catalog.json carries each relation's comment and owner", async () => {
    const inv = createInvocation({ projectDir: p.dir, write: () => {}, env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: p.dir } });
    expect(await docsGenerateCommand(inv, { compile: false, emptyCatalog: false })).toBe(0);
    const catalog = JSON.parse(readFileSync(path.join(p.dir, 'target', 'catalog.json'), 'utf8')) as { nodes: Record<string, { metadata: { comment: string | null; owner: string | null } }> };
    const [me] = await p.sql('select current_user as u');
    expect(catalog.nodes['model.demo.t']?.metadata).toMatchObject({ comment: 'Table t, described', owner: me?.u });
    expect(catalog.nodes['model.demo.v']?.metadata).toMatchObject({ comment: 'View v, described', owner: me?.u });
  });
});

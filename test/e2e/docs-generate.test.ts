// `tsdbt docs generate` after a build: catalog.json lists every built relation and source with the
// columns and types the warehouse reports (PostgreSQL server, PGlite, chDB); the site's data holds
// the compiled SQL, the column tests and the last run; project text is escaped; `--empty-catalog`
// and `--no-compile` behave as in dbt.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvocation } from '../../src/app/invocation.js';
import { docsGenerateCommand } from '../../src/app/docs-command.js';
import type { SiteData } from '../../src/docs/site-data.js';
import { readDocsSite } from '../support/docs-site.js';
import { cliArgs, REPO_ROOT } from '../support/run-cli.js';
import { warehouseProject, type WarehouseKind, type WarehouseProject } from '../support/warehouse-project.js';

const FILES = {
  'seeds/people.csv': 'id,name,born\n1,ann,1990-01-02\n2,bo,1985-05-06\n',
  'models/people_view.sql': "select id, name, born from {{ ref('people') }}\n",
  'models/people_table.sql': "{{ config(materialized='table') }}\nselect id, upper(name) as name, born, 1.5 as score from {{ ref('people_view') }}\n",
  'models/schema.yml': `version: 2
models:
  - name: people_table
    description: "People, **shouted**. <script>alert('x')</script>"
    config:
      persist_docs: {relation: true}
    columns:
      - name: id
        description: "{{ doc('person_id') }}"
        data_tests: [unique, not_null]
`,
  'models/docs.md': '{% docs person_id %}The person\'s *id*.{% enddocs %}\n',
};

const WAREHOUSE_COLUMNS: Record<WarehouseKind, (schema: string, table: string) => string> = {
  server: (schema, table) => `select column_name as name, data_type as type from information_schema.columns where table_schema = '${schema}' and table_name = '${table}' order by ordinal_position`,
  pglite: (schema, table) => `select column_name as name, data_type as type from information_schema.columns where table_schema = '${schema}' and table_name = '${table}' order by ordinal_position`,
  chdb: (schema, table) => `select name, type from system.columns where database = '${schema}' and table = '${table}' order by position`,
};

describe.each(['server', 'pglite', 'chdb'] as WarehouseKind[])('tsdbt docs generate on %s', (kind) => {
  let p: WarehouseProject;
  let catalog: { nodes: Record<string, { metadata: { type: string; name: string; owner: string | null; comment: string | null }; columns: Record<string, { type: string; index: number }>; stats: Record<string, { value: unknown }> }> };
  let site: SiteData;
  let output: string;
  beforeAll(async () => {
    p = warehouseProject(kind, FILES);
    const built = await p.run('build');
    expect(built.code, built.output).toBe(0);
    const lines: string[] = [];
    // TSDBT_SLOW_STEP_MS=0: the progress line of a slow generation is due at once.
    const inv = createInvocation({ projectDir: p.dir, debug: true, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: p.dir, TSDBT_SLOW_STEP_MS: '0' } });
    expect(await docsGenerateCommand(inv, { compile: true, emptyCatalog: false })).toBe(0);
    output = lines.join('\n');
    catalog = JSON.parse(readFileSync(path.join(p.dir, 'target', 'catalog.json'), 'utf8')) as typeof catalog;
    site = readDocsSite(path.join(p.dir, 'target'));
  });
  afterAll(() => p.cleanup());

  it('catalogs every built relation with the columns and types the warehouse reports', async () => {
    // dbt's BuildingCatalog line, then its CatalogWritten (task/docs/generate.py).
    expect(output).toMatch(/Building catalog\n(.*\n)*.*Catalog written to .*catalog\.json \(3 nodes, 0 sources\)/);
    expect(Object.keys(catalog.nodes).sort()).toEqual(['model.demo.people_table', 'model.demo.people_view', 'seed.demo.people']);
    for (const [id, table] of [['model.demo.people_table', 'people_table'], ['model.demo.people_view', 'people_view'], ['seed.demo.people', 'people']] as const) {
      const expected = (await p.sql(WAREHOUSE_COLUMNS[kind](p.schema, table))).map((r) => [r.name, r.type]);
      expect(expected.length).toBeGreaterThan(2);
      const entry = catalog.nodes[id];
      expect(Object.entries(entry?.columns ?? {}).map(([name, c]) => [name, c.type]), id).toEqual(expected);
      expect(Object.values(entry?.columns ?? {}).map((c) => c.index)).toEqual(expected.map((_v, i) => i + 1));
    }
    // dbt-clickhouse's catalog says 'view' / 'table' (its get_catalog_results_sql), dbt-postgres's information_schema's words.
    expect(catalog.nodes['model.demo.people_view']?.metadata.type).toBe(kind === 'chdb' ? 'view' : 'VIEW');
    expect(catalog.nodes['model.demo.people_table']?.metadata.type).toBe(kind === 'chdb' ? 'table' : 'BASE TABLE');
    // dbt-clickhouse's catalog reads no statistics: no row count there.
    if (kind === 'chdb') expect(catalog.nodes['model.demo.people_table']?.stats.row_count).toBeUndefined();
  });

  it("records each relation's owner and comment, as dbt-postgres's catalog does", async () => {
    // PostgreSQL names the role that created the relation; ClickHouse has no owners.
    const owner = kind === 'chdb' ? null : String((await p.sql('select current_user as u'))[0]?.u);
    expect(owner === null || owner.length > 0).toBe(true);
    for (const id of ['model.demo.people_table', 'model.demo.people_view', 'seed.demo.people']) expect(catalog.nodes[id]?.metadata.owner, id).toBe(owner);
    // persist_docs' relation comment is the description; relations without one have none.
    expect(catalog.nodes['model.demo.people_table']?.metadata.comment).toBe("People, **shouted**. <script>alert('x')</script>");
    expect(catalog.nodes['model.demo.people_view']?.metadata.comment).toBeNull();
  });

  it('reads the columns of a schema in one query, and says what it is doing when generation is slow', () => {
    // One schema holds the seed and both models: one columns query for the three relations.
    const columnQueries = output.split('\n').filter((l) => /from pg_catalog\.pg_attribute a|from system\.columns/.test(l));
    expect(columnQueries).toHaveLength(1);
    expect(output).toMatch(/Generating the docs: compiling 1 of \d+ nodes/);
  });

  it('puts compiled SQL, column tests, the last run and escaped descriptions in the site', () => {
    const table = site.nodes.find((n) => n.id === 'model.demo.people_table');
    expect(table?.compiledSql).toMatch(new RegExp(`from ${kind === 'chdb' ? '`' : '"'}?[^ ]*people_view`));
    expect(table?.descriptionHtml).toBe("<p>People, <strong>shouted</strong>. &lt;script&gt;alert('x')&lt;/script&gt;</p>\n");
    expect(table?.columns[0]).toMatchObject({ name: 'id', descriptionHtml: "<p>The person's <em>id</em>.</p>\n", tests: ['not_null', 'unique'] });
    expect(table?.lastRun?.status).toBe('success');
    expect(table?.parents).toEqual(['model.demo.people_view']);
    expect(site.nodes.find((n) => n.id === 'model.demo.people_view')?.children).toEqual(['model.demo.people_table']);
    expect(readFileSync(path.join(p.dir, 'target', 'tsdbt-docs-data.js'), 'utf8')).not.toMatch(/<script/i);
    // Macros are listed too, by package, with their SQL.
    expect(site.nodes.find((n) => n.id === 'macro.dbt.dateadd')).toMatchObject({ resourceType: 'macro', package: 'dbt', rawSql: expect.stringContaining('macro dateadd') as unknown });
  });

  it('--empty-catalog reads nothing from the warehouse, and --no-compile leaves the SQL raw', async () => {
    const inv = createInvocation({ projectDir: p.dir, write: () => {}, env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: p.dir } });
    rmSync(path.join(p.dir, 'target', 'manifest.json'));
    expect(await docsGenerateCommand(inv, { compile: false, emptyCatalog: true })).toBe(0);
    // dbt's docs generate writes manifest.json only when it compiles.
    expect(existsSync(path.join(p.dir, 'target', 'manifest.json'))).toBe(false);
    const empty = JSON.parse(readFileSync(path.join(p.dir, 'target', 'catalog.json'), 'utf8')) as { nodes: object; sources: object };
    expect(empty).toMatchObject({ nodes: {}, sources: {} });
    const raw = readDocsSite(path.join(p.dir, 'target')).nodes.find((n) => n.id === 'model.demo.people_table');
    expect(raw?.compiledSql).toBeNull();
    expect(raw?.columns.map((c) => [c.name, c.type])).toEqual([['id', null]]);
  });

  it('--select and --exclude compile and catalog only the nodes they pick, as dbt 1.11 does', async () => {
    const generate = async (options: { select?: string[]; exclude?: string[] }) => {
      const inv = createInvocation({ projectDir: p.dir, write: () => {}, env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: p.dir }, ...options });
      rmSync(path.join(p.dir, 'target', 'manifest.json'), { force: true });
      expect(await docsGenerateCommand(inv, { compile: true, emptyCatalog: false })).toBe(0);
      const read = (file: string) => JSON.parse(readFileSync(path.join(p.dir, 'target', file), 'utf8')) as { nodes: Record<string, { compiled_code?: string }> };
      const manifest = read('manifest.json');
      return { catalog: Object.keys(read('catalog.json').nodes).sort(), compiled: Object.keys(manifest.nodes).filter((id) => manifest.nodes[id]?.compiled_code !== undefined).sort() };
    };
    const one = await generate({ select: ['people_view'] });
    expect(one.catalog).toEqual(['model.demo.people_view']);
    expect(one.compiled).toEqual(['model.demo.people_view']);
    const rest = await generate({ exclude: ['people_view'] });
    expect(rest.catalog).toEqual(['model.demo.people_table', 'seed.demo.people']);
    expect(rest.compiled.filter((id) => id.startsWith('model.'))).toEqual(['model.demo.people_table']);
    expect(rest.compiled.some((id) => id.startsWith('test.'))).toBe(true);
    expect((await generate({ select: ['no_such_model'] })).catalog).toEqual([]);
  });
});

describe('tsdbt docs serve', () => {
  let p: WarehouseProject;
  let output: string[];
  beforeAll(async () => {
    p = warehouseProject('pglite', {
      'models/m.sql': 'select 1 as id\n',
      'dbt_project.yml': "name: demo\nprofile: demo\nasset-paths: [assets, not_there, '../outside']\n",
      'assets/flow.png': 'png bytes',
      'assets/nested/more.txt': 'more',
      'target/assets/stale.png': 'from an earlier generate',
    });
    output = [];
    const inv = createInvocation({ projectDir: p.dir, write: (l) => output.push(l), writeError: (l) => output.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: p.dir } });
    expect(await docsGenerateCommand(inv, { compile: true, emptyCatalog: true })).toBe(0);
  });
  afterAll(() => p.cleanup());

  it("copies the project's asset-paths into target/, replacing the earlier copy, as dbt's docs generate", () => {
    expect(readFileSync(path.join(p.dir, 'target/assets/flow.png'), 'utf8')).toBe('png bytes');
    expect(readFileSync(path.join(p.dir, 'target/assets/nested/more.txt'), 'utf8')).toBe('more');
    expect(existsSync(path.join(p.dir, 'target/assets/stale.png'))).toBe(false);
    expect(existsSync(path.join(p.dir, 'target/not_there'))).toBe(false);
    expect(output.join('\n')).toContain("asset-paths entry '../outside' is not a folder inside the project; not copied");
  });

  it('serves the site on 127.0.0.1, nothing outside target/, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, cliArgs(['docs', 'serve', '--port', '0', '--project-dir', p.dir, '--profiles-dir', p.dir]), { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const port = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no port in: ${output}`)), 30_000);
      child.stdout.on('data', (d: Buffer) => {
        output += d.toString();
        const m = /Serving docs at http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1] as string);
        }
      });
    });
    const index = await fetch(`http://127.0.0.1:${port}/`);
    expect(index.headers.get('content-type')).toMatch(/text\/html/);
    expect(await index.text()).toMatch(/<script src="tsdbt-docs-data\.js"><\/script>/);
    expect(await (await fetch(`http://127.0.0.1:${port}/tsdbt-docs-data.js`)).text()).toMatch(/"model\.demo\.m"/);
    expect(await (await fetch(`http://127.0.0.1:${port}/tsdbt-docs-pages.js`)).text()).toMatch(/^window\.TSDBT_DOCS_PAGES = /);
    expect((await fetch(`http://127.0.0.1:${port}/..%2fprofiles.yml`)).status).toBe(404);
    child.kill('SIGTERM');
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(0);
  });
});

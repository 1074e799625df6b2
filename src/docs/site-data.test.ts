// buildSiteData: what each page of the docs site gets, as dbt's docs site shows a resource: its
// description (Markdown, `{{ doc() }}` resolved by the parse, raw HTML never passed through), its
// columns with the warehouse's types (catalog.json) or the declared ones, and the generic tests of
// each column; the raw and compiled SQL, config, what it depends on and what references it
// (exposures included); the last run's result (run_results.json) and, for a source, its last
// freshness check (sources.json); tests, unit tests, exposures and macros with their own details.
import { describe, expect, it } from 'vitest';
import type { Catalog, CatalogTable } from '../artifacts/catalog-writer.js';
import { defaultConfig, nodeSkeleton } from '../graph/node-factory.js';
import type { DeclaredResource, MacroNode, Manifest, ManifestNode, NodeResourceType, SourceTable } from '../manifest/types.js';
import MarkdownIt from 'markdown-it';
import { buildSiteData, plainParagraph, type LastRun, type SiteNode } from './site-data.js';

const node = (resourceType: NodeResourceType, name: string, file: string, extra: Partial<ManifestNode> = {}): ManifestNode => ({
  ...nodeSkeleton({ resourceType, packageName: 'shop', name, originalFilePath: file, pathInResourceDir: file.split('/').slice(1).join('/'), rawCode: `select 1 -- ${name}`, config: defaultConfig(resourceType) }),
  database: 'postgres',
  schema: 'analytics',
  ...extra,
});

const orders = node('model', 'orders', 'models/marts/orders.sql', {
  description: "Orders, **one row each**. <script>alert('x')</script> See One of `placed`, `shipped`.",
  raw_code: "select * from {{ ref('stg_orders') }}",
  compiled_code: 'select * from "postgres"."analytics"."stg_orders"',
  relation_name: '"postgres"."analytics"."orders"',
  alias: 'fct_orders',
  tags: ['finance'],
  columns: {
    status: { name: 'status', description: 'One of `placed`, `shipped`.', data_type: 'varchar', meta: {}, tags: [] },
    order_id: { name: 'order_id', description: 'The id.', data_type: 'int', meta: {}, tags: [] },
    note: { name: 'note', description: '', data_type: 'text', meta: {}, tags: [] },
  },
  depends_on: { nodes: ['model.shop.stg_orders'], macros: [] },
});
const stgOrders = node('model', 'stg_orders', 'models/staging/stg_orders.sql', { depends_on: { nodes: ['source.shop.app.orders'], macros: [] } });
const generic = (name: string, column: string, model = 'model.shop.orders'): ManifestNode =>
  node('test', `${name}_orders_${column}`, 'models/marts/_marts.yml', {
    unique_id: `test.shop.${name}_orders_${column}.0123456789`,
    test_metadata: { name, namespace: null, kwargs: { column_name: column, model: "{{ get_where_subquery(ref('orders')) }}" } },
    column_name: column,
    attached_node: model,
    depends_on: { nodes: [model], macros: [`macro.dbt.test_${name}`] },
  });
const notNull = generic('not_null', 'order_id');
const unique = generic('unique', 'order_id');
const acceptedValues = generic('accepted_values', 'status');
const singular = node('test', 'no_negative_totals', 'tests/no_negative_totals.sql', { depends_on: { nodes: ['model.shop.orders'], macros: [] } });
const unitTest = node('unit_test', 'counts_orders', 'models/marts/_marts.yml', {
  unique_id: 'unit_test.shop.orders.counts_orders',
  depends_on: { nodes: ['model.shop.orders'], macros: [] },
  unit_test: { model: 'orders', given: [{ input: "ref('stg_orders')", rows: [{ id: 1 }], format: 'dict' }], expect: { rows: [{ id: 1 }], format: 'dict' }, overrides: null } as unknown as ManifestNode['unit_test'],
});
const source: SourceTable = {
  unique_id: 'source.shop.app.orders',
  resource_type: 'source',
  package_name: 'shop',
  source_name: 'app',
  name: 'orders',
  identifier: 'raw_orders',
  database: 'postgres',
  unrendered_database: null,
  unrendered_schema: null,
  schema: 'app',
  relation_name: '"postgres"."app"."raw_orders"',
  fqn: ['shop', 'staging', 'app', 'orders'],
  path: 'models/staging/_sources.yml',
  original_file_path: 'models/staging/_sources.yml',
  line: 3,
  description: '',
  source_description: 'The *application* database.',
  loader: 'fivetran',
  loaded_at_field: '_loaded_at',
  loaded_at_query: null,
  freshness: { warn_after: { count: 1, period: 'hour' } },
  columns: {},
  meta: {},
  source_meta: {},
  tags: [],
  config: { enabled: true },
  quoting: {},
};
const exposure: DeclaredResource = {
  unique_id: 'exposure.shop.revenue',
  resource_type: 'exposure',
  package_name: 'shop',
  name: 'revenue',
  path: '_exposures.yml',
  original_file_path: 'models/_exposures.yml',
  line: 2,
  fqn: ['shop', 'revenue'],
  label: 'Revenue dashboard',
  description: 'Daily revenue.',
  tags: [],
  meta: {},
  config: { enabled: true },
  depends_on: { nodes: ['model.shop.orders'], macros: [] },
  properties: { type: 'dashboard', owner: { name: 'Ann' }, url: 'https://bi.example.com/revenue' },
};
const nodes = [stgOrders, orders, notNull, unique, acceptedValues, singular, unitTest];
const manifest = {
  projectName: 'shop',
  nodes: Object.fromEntries(nodes.map((n) => [n.unique_id, n])),
  sources: { [source.unique_id]: source },
  macros: {
    'macro.shop.cents_to_dollars': { unique_id: 'macro.shop.cents_to_dollars', resource_type: 'macro', package_name: 'shop', name: 'cents_to_dollars', path: 'macros/money.sql', original_file_path: 'macros/money.sql', line: 1, macro_sql: '{% macro cents_to_dollars(column, scale=2) %}({{ column }} / 100)::numeric(16, {{ scale }}){% endmacro %}', depends_on: { macros: [] }, description: 'Cents to *dollars*.', arguments: [{ name: 'column' }, { name: 'scale' }] },
  },
  docs: { 'doc.shop.order_status': { unique_id: 'doc.shop.order_status', resource_type: 'doc', package_name: 'shop', name: 'order_status', path: 'docs.md', original_file_path: 'models/docs.md', block_contents: '\nOne of `placed`, `shipped`.\n' } },
  parent_map: {
    'source.shop.app.orders': [],
    'model.shop.stg_orders': ['source.shop.app.orders'],
    'model.shop.orders': ['model.shop.stg_orders'],
    [notNull.unique_id]: ['model.shop.orders'],
    [unique.unique_id]: ['model.shop.orders'],
    [acceptedValues.unique_id]: ['model.shop.orders'],
    [singular.unique_id]: ['model.shop.orders'],
    [unitTest.unique_id]: ['model.shop.orders'],
  },
  child_map: {
    'source.shop.app.orders': ['model.shop.stg_orders'],
    'model.shop.stg_orders': ['model.shop.orders'],
    // dbt's child_map: the exposure reading it is a child too.
    'model.shop.orders': [notNull.unique_id, unique.unique_id, acceptedValues.unique_id, singular.unique_id, unitTest.unique_id, 'exposure.shop.revenue'],
  },
  warnings: [],
  declared: { [exposure.unique_id]: exposure },
} as unknown as Manifest;

const table = (id: string, columns: [string, string][], rows?: number): CatalogTable => ({
  metadata: { type: 'BASE TABLE', schema: 'analytics', name: id.split('.').pop() as string, database: 'postgres', comment: null, owner: null },
  columns: Object.fromEntries(columns.map(([name, type], i) => [name, { name, type, index: i + 1, comment: null }])),
  stats: rows === undefined ? {} : { row_count: { id: 'row_count', label: 'Row Count', value: rows, include: true, description: '' } },
  unique_id: id,
});
const catalog: Catalog = {
  nodes: { 'model.shop.orders': table('model.shop.orders', [['order_id', 'integer'], ['status', 'character varying'], ['amount', 'numeric']], 42) },
  sources: { 'source.shop.app.orders': table('source.shop.app.orders', [['id', 'integer']]) },
};
const lastRun: LastRun = {
  results: [
    { unique_id: 'model.shop.orders', status: 'success', execution_time: 1.5, message: 'SELECT 42' },
    { unique_id: notNull.unique_id, status: 'fail', execution_time: 0.2, message: 'Got 3 results, configured to fail if != 0', failures: 3 },
  ],
  generatedAt: '2024-05-06T07:00:00.000Z',
  freshness: [{ unique_id: 'source.shop.app.orders', status: 'warn', max_loaded_at: '2024-05-06T05:00:00.000Z', snapshotted_at: '2024-05-06T07:00:00.000Z', max_loaded_at_time_ago_in_s: 7200, criteria: { warn_after: { count: 1, period: 'hour' } } }],
  freshnessGeneratedAt: '2024-05-06T07:01:00.000Z',
};
const lineage = { 'model.shop.orders': { columns: { order_id: [{ node: 'model.shop.stg_orders', column: 'id' }] } } };

const site = buildSiteData(manifest, catalog, lastRun, new Date('2024-05-06T08:00:00.000Z'), lineage);
const page = (id: string) => site.nodes.find((n) => n.id === id) as SiteNode;

describe('buildSiteData', () => {
  it('says which project it documents and when the site, the run and the freshness check were made', () => {
    expect(site).toMatchObject({ project: 'shop', generatedAt: '2024-05-06T08:00:00.000Z', runGeneratedAt: '2024-05-06T07:00:00.000Z', freshnessGeneratedAt: '2024-05-06T07:01:00.000Z' });
    // One page per node, source, declared resource and macro.
    expect(site.nodes.map((n) => n.id).sort()).toEqual([...nodes.map((n) => n.unique_id), 'source.shop.app.orders', 'exposure.shop.revenue', 'macro.shop.cents_to_dollars'].sort());
  });

  it("renders a model's description (doc() resolved by the parse) as Markdown with raw HTML escaped", () => {
    const html = page('model.shop.orders').descriptionHtml;
    expect(html).toContain('<strong>one row each</strong>');
    expect(html).toContain('One of <code>placed</code>, <code>shipped</code>.');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });

  it("gives a model page its relation, SQL, config, tags, lineage, last run and row count", () => {
    expect(page('model.shop.orders')).toMatchObject({
      name: 'orders',
      resourceType: 'model',
      package: 'shop',
      folder: 'models/marts',
      path: 'models/marts/orders.sql',
      fqn: ['shop', 'marts', 'orders'],
      relation: '"postgres"."analytics"."orders"',
      database: 'postgres',
      schema: 'analytics',
      identifier: 'fct_orders',
      rawSql: "select * from {{ ref('stg_orders') }}",
      compiledSql: 'select * from "postgres"."analytics"."stg_orders"',
      tags: ['finance'],
      config: { materialized: 'view' },
      parents: ['model.shop.stg_orders'],
      lastRun: { status: 'success', seconds: 1.5, message: 'SELECT 42', failures: null },
      rowCount: 42,
      columnLineage: lineage['model.shop.orders'],
    });
    // What references it (child_map): its tests, unit test and the exposure reading it.
    expect(page('model.shop.orders').children).toEqual([notNull.unique_id, unique.unique_id, acceptedValues.unique_id, singular.unique_id, unitTest.unique_id, 'exposure.shop.revenue']);
  });

  it('lists the declared columns in their order, then the ones only the warehouse has; types from the catalog, else as declared; each with its generic tests', () => {
    expect(page('model.shop.orders').columns).toEqual([
      { name: 'status', type: 'character varying', descriptionHtml: '<p>One of <code>placed</code>, <code>shipped</code>.</p>\n', tests: ['accepted_values'] },
      { name: 'order_id', type: 'integer', descriptionHtml: '<p>The id.</p>\n', tests: ['not_null', 'unique'] },
      { name: 'note', type: 'text', descriptionHtml: '', tests: [] },
      { name: 'amount', type: 'numeric', descriptionHtml: '', tests: [] },
    ]);
  });

  it('without a catalog: declared types, no row count', () => {
    const bare = buildSiteData(manifest, null, { results: [], generatedAt: null, freshness: [], freshnessGeneratedAt: null }, new Date(0)).nodes.find((n) => n.id === 'model.shop.orders') as SiteNode;
    expect(bare.columns.map((c) => [c.name, c.type])).toEqual([
      ['status', 'varchar'],
      ['order_id', 'int'],
      ['note', 'text'],
    ]);
    expect(bare).toMatchObject({ rowCount: null, lastRun: null, columnLineage: null });
  });

  it("gives a source page its source's description, relation, loader and the last freshness check", () => {
    expect(page('source.shop.app.orders')).toMatchObject({
      resourceType: 'source',
      sourceName: 'app',
      descriptionHtml: '<p>The <em>application</em> database.</p>\n',
      relation: '"postgres"."app"."raw_orders"',
      identifier: 'raw_orders',
      schema: 'app',
      rawSql: null,
      compiledSql: null,
      parents: [],
      children: ['model.shop.stg_orders'],
      columns: [{ name: 'id', type: 'integer', descriptionHtml: '', tests: [] }],
      properties: { loader: 'fivetran', loaded_at_field: '_loaded_at', freshness: { warn_after: { count: 1, period: 'hour' } } },
      freshness: { status: 'warn', maxLoadedAt: '2024-05-06T05:00:00.000Z', snapshottedAt: '2024-05-06T07:00:00.000Z', ageSeconds: 7200, criteria: { warn_after: { count: 1, period: 'hour' } }, error: null },
    });
  });

  it('gives a test page its kind, generic test, column, arguments and last result; a test has no schema of its own', () => {
    expect(page(notNull.unique_id)).toMatchObject({
      testType: 'generic',
      testName: 'not_null',
      testColumn: 'order_id',
      testKwargs: { column_name: 'order_id', model: "{{ get_where_subquery(ref('orders')) }}" },
      schema: null,
      parents: ['model.shop.orders'],
      lastRun: { status: 'fail', failures: 3, message: 'Got 3 results, configured to fail if != 0' },
    });
    const single = page(singular.unique_id);
    expect(single).toMatchObject({ testType: 'singular', testColumn: null, rawSql: 'select 1 -- no_negative_totals' });
    expect(single.testName).toBeUndefined();
    expect(single).not.toHaveProperty('testKwargs');
  });

  it('gives a unit test page the model, given rows and expected rows, and no SQL', () => {
    expect(page(unitTest.unique_id)).toMatchObject({
      resourceType: 'unit_test',
      rawSql: null,
      schema: null,
      properties: { model: 'orders', given: [{ input: "ref('stg_orders')", format: 'dict', rows: [{ id: 1 }] }], expect: { rows: [{ id: 1 }], format: 'dict' }, overrides: null },
    });
  });

  it('gives an exposure page its label, own properties and what it reads', () => {
    expect(page('exposure.shop.revenue')).toMatchObject({
      resourceType: 'exposure',
      label: 'Revenue dashboard',
      folder: 'models',
      descriptionHtml: '<p>Daily revenue.</p>\n',
      parents: ['model.shop.orders'],
      children: [],
      properties: { type: 'dashboard', owner: { name: 'Ann' }, url: 'https://bi.example.com/revenue' },
      relation: null,
      rawSql: null,
    });
  });

  it('gives a macro page its SQL, description and argument names, outside the graph', () => {
    expect(page('macro.shop.cents_to_dollars')).toMatchObject({
      resourceType: 'macro',
      fqn: ['shop', 'cents_to_dollars'],
      folder: 'macros',
      rawSql: expect.stringContaining('{% macro cents_to_dollars(column, scale=2) %}') as unknown,
      descriptionHtml: '<p>Cents to <em>dollars</em>.</p>\n',
      config: { arguments: ['column', 'scale'] },
      parents: [],
      children: [],
    });
  });

  it("lists a macro's arguments as its property entry documents them", () => {
    const documented = structuredClone(manifest);
    const macro = documented.macros['macro.shop.cents_to_dollars'] as MacroNode;
    macro.patch = { patch_path: 'shop://macros/money.yml', location: { file: 'macros/money.yml', line: 3 }, meta: {}, docs: { show: true, node_color: null }, arguments: [{ name: 'column', type: 'string', description: 'amount in cents' }, { name: 'scale', type: null, description: '' }] };
    const data = buildSiteData(documented, catalog, lastRun, new Date('2024-05-06T08:00:00.000Z'), lineage);
    expect(data.nodes.find((n) => n.id === 'macro.shop.cents_to_dollars')?.config).toEqual({ arguments: ['column (string): amount in cents', 'scale'] });
  });
});

describe('plainParagraph (descriptions rendered without markdown-it)', () => {
  const markdown = new MarkdownIt({ html: false, linkify: true });

  it('renders a sentence of words as markdown-it does, and leaves every other text to markdown-it', () => {
    const plain = ['Model number 0', 'Orders placed by customers.', 'One. Two', 'a  b', 'trailing  ', 'A, b; c.', 'The www. thing', 'x . y', 'v1. alpha'];
    for (const text of plain) expect(plainParagraph(text), text).toBe(markdown.render(text));
    // Lists, headings, emphasis, entities, links, domains and mail addresses markdown-it would
    // make something of: none is taken for a plain sentence.
    const other = ['1. first', '- item', '# Heading', 'foo.com', 'see www.example.org', 'e.g. x', 'a *b*', 'a_b_', 'x & y', 'mail me@example.com', 'http://x', ' lead', 'two\nlines', 'Caf\u00e9', '', '<b>x</b>', 'a | b'];
    for (const text of other) expect(plainParagraph(text), text).toBeNull();
  });

  it('gives what markdown-it gives for every text made of its characters (a fixed pseudo-random sample)', () => {
    let seed = 11;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const alphabet = 'aZ09 ,;.';
    let plain = 0;
    for (let i = 0; i < 2000; i++) {
      const text = Array.from({ length: 1 + Math.floor(next() * 12) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
      const fast = plainParagraph(text);
      if (fast === null) continue;
      plain++;
      expect(fast, JSON.stringify(text)).toBe(markdown.render(text));
    }
    expect(plain).toBeGreaterThan(100);
  });
});

// The docs site's data in two texts (entries, pages) and back: every node whole again, configs and
// parent/child ids shared rather than repeated, and texts that can end neither the comment that
// carries them in a script file nor the element that holds them in static_index.html.
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { carriedText, carrierScript, decodeEntries, decodeMainEntries, decodeSite, encodeEntries, encodePages, ENTRY_FIELDS, SitePages, withTestEntries } from './site-encoding.js';
import type { SiteData, SiteNode } from './site-types.js';
import { siteNode } from '../../test/support/site-node.js';

const base = (id: string, resourceType: string, path: string): SiteNode => siteNode(id, resourceType, path);

const orders: SiteNode = {
  ...base('model.shop.orders', 'model', 'models/marts/orders.sql'),
  relation: '"postgres"."analytics"."orders"',
  descriptionHtml: '<p>Orders, café ☕ and 🦆; a line\u2028separator.</p>\n',
  columns: [{ name: 'id', type: 'integer', descriptionHtml: '<p>The id.</p>\n', tests: ['not_null'] }],
  rawSql: "/* the orders */ select * from {{ ref('stg_orders') }} -- </script><!-- <script>",
  compiledSql: 'select 1 /* */ as id',
  tags: ['finance'],
  parents: ['model.shop.stg_orders', 'model.other.disabled'],
  children: ['test.shop.not_null_orders_id.abc', 'exposure.shop.revenue'],
  lastRun: { status: 'success', seconds: 1.5, message: 'SELECT 42', failures: null },
  rowCount: 42,
  columnLineage: { columns: { id: [{ node: 'model.shop.stg_orders', column: 'id' }] } },
  version: 2,
  latestVersion: 2,
};
const stgOrders: SiteNode = { ...base('model.shop.stg_orders', 'model', 'models/staging/stg_orders.sql'), parents: ['source.shop.app.orders'], children: ['model.shop.orders'], columnLineage: { error: 'no SQL' } };
const source: SiteNode = {
  ...base('source.shop.app.orders', 'source', 'models/staging/_sources.yml'),
  config: { enabled: true },
  children: ['model.shop.stg_orders'],
  sourceName: 'app',
  freshness: { status: 'warn', maxLoadedAt: '2026-11-26T10:00:00Z', snapshottedAt: '2026-11-26T12:00:00Z', ageSeconds: 7200, criteria: { warn_after: { count: 1, period: 'hour' } }, error: null },
  properties: { loader: 'fivetran' },
};
const testConfig = { enabled: true, materialized: 'test', severity: 'ERROR' };
const notNull: SiteNode = {
  ...base('test.shop.not_null_orders_id.abc', 'test', 'models/marts/_marts.yml'),
  schema: null,
  config: { ...testConfig },
  parents: ['model.shop.orders'],
  testType: 'generic',
  testName: 'not_null',
  testColumn: 'id',
  testKwargs: { column_name: 'id', model: "{{ get_where_subquery(ref('orders')) }}" },
};
const singular: SiteNode = { ...base('test.shop.no_negative_totals', 'test', 'tests/no_negative_totals.sql'), schema: null, config: { ...testConfig }, parents: ['model.shop.orders'], testType: 'singular', testColumn: null };
const exposure: SiteNode = { ...base('exposure.shop.revenue', 'exposure', 'models/_exposures.yml'), folder: 'somewhere/else', parents: ['model.shop.orders'], label: 'Revenue <b>dashboard</b>', properties: { type: 'dashboard', url: 'https://bi.example.com/revenue' } };
const data: SiteData = { project: 'shop', generatedAt: '2026-11-26T12:00:00.000Z', runGeneratedAt: null, freshnessGeneratedAt: '2026-11-26T12:00:00Z', nodes: [orders, stgOrders, source, notNull, singular, exposure] };

describe('the docs site data in two texts', () => {
  const entries = encodeEntries(data);
  const pages = encodePages(data);

  it('gives every node back whole (a null optional field reads back absent)', () => {
    const { testColumn: _none, ...singularBack } = singular;
    expect(decodeSite(entries, pages)).toEqual({ ...data, nodes: [orders, stgOrders, source, notNull, singularBack, exposure] });
  });

  it('holds in the entries what the list, the overview and the graph read, and nothing of the pages', () => {
    const index = decodeEntries(entries);
    expect(index.project).toBe('shop');
    expect(index.nodes.map((n) => n.id)).toEqual(data.nodes.map((n) => n.id));
    expect(index.nodes[0]).not.toHaveProperty('rawSql');
    expect(index.nodes[0]).not.toHaveProperty('columns');
    expect(index.nodes[0]).toMatchObject({ parents: ['model.shop.stg_orders', 'model.other.disabled'], config: orders.config, lastRun: orders.lastRun, version: 2 });
    expect(entries).not.toContain('select');
  });

  /** The entries text's two lines: every node but the data tests, and the data tests. */
  const [mainLine, testLine] = entries.split('\n') as [string, string];

  it('writes each config once, a parent or child of the first line as its index, and no folder that is its path’s', () => {
    const encoded = JSON.parse(mainLine) as { configs: unknown[]; rows: unknown[][] };
    expect(encoded.configs).toEqual([{ enabled: true, materialized: 'view' }, { enabled: true }, testConfig]);
    // orders' test child is its id (tests are on the second line), the exposure the first line's fourth entry.
    expect(encoded.rows[0]?.slice(13, 15)).toEqual([[1, 'model.other.disabled'], ['test.shop.not_null_orders_id.abc', 3]]);
    expect(encoded.rows.map((row) => row[4])).toEqual([null, null, null, 'somewhere/else']);
    const tests = JSON.parse(testLine) as { at: number[]; rows: unknown[][] };
    expect(tests.at).toEqual([3, 4]);
    expect(tests.rows.map((row) => [row[0], row[11], row[13]])).toEqual([
      ['test.shop.not_null_orders_id.abc', 2, [0]],
      ['test.shop.no_negative_totals', 2, [0]],
    ]);
    const index = decodeEntries(entries);
    expect(index.nodes[3]?.config).toBe(index.nodes[4]?.config);
  });

  it('puts the data tests on the second line: the first decodes to every other node, and the tests go back in their places', () => {
    expect(mainLine).not.toContain('no_negative_totals');
    const main = decodeMainEntries(entries);
    expect(main.index.nodes.map((n) => n.id)).toEqual(['model.shop.orders', 'model.shop.stg_orders', 'source.shop.app.orders', 'exposure.shop.revenue']);
    expect(main.index.nodes[0]?.children).toEqual(['test.shop.not_null_orders_id.abc', 'exposure.shop.revenue']);
    const all = withTestEntries(main, entries);
    expect(all.map((n) => n.id)).toEqual(data.nodes.map((n) => n.id));
    expect(all).toEqual(decodeEntries(entries).nodes);
    // A site without data tests has an empty second line's worth: nothing to put back.
    const none = encodeEntries({ ...data, nodes: [orders, stgOrders] });
    expect(withTestEntries(decodeMainEntries(none), none).map((n) => n.id)).toEqual(['model.shop.orders', 'model.shop.stg_orders']);
  });

  it("writes each of an entry's fields in its ENTRY_FIELDS place and reads it back from there (rows written and read field by field)", () => {
    const full: SiteNode = {
      ...base('model.shop.full', 'model', 'models/full.sql'),
      folder: 'elsewhere',
      relation: '"db"."s"."i"',
      database: 'db',
      schema: 's',
      identifier: 'i',
      tags: ['t'],
      lastRun: { status: 'error', seconds: 2, message: 'm', failures: 1 },
      sourceName: 'sn',
      testType: 'generic',
      testName: 'tn',
      testColumn: 'tc',
      version: 3,
      latestVersion: 4,
      label: 'l',
    };
    const [row] = (JSON.parse(encodeEntries({ ...data, nodes: [full] }).split('\n')[0] as string) as { rows: unknown[][] }).rows;
    expect(row).toEqual(ENTRY_FIELDS.map((field) => (field === 'config' ? 0 : full[field])));
    expect(decodeEntries(encodeEntries({ ...data, nodes: [full] })).nodes).toEqual([Object.fromEntries(ENTRY_FIELDS.map((field) => [field, full[field]]))]);
  });

  it('leaves out the nulls that end a row (its optional fields), and reads them back as absent or null', () => {
    const encoded = JSON.parse(mainLine) as { rows: unknown[][] };
    // stg_orders: no last run and no optional field, so the row ends at its children.
    expect(encoded.rows[1]).toHaveLength(15);
    expect(encoded.rows.every((row) => row.at(-1) !== null)).toBe(true);
    const index = decodeEntries(entries);
    expect(index.nodes[1]).toMatchObject({ lastRun: null, children: ['model.shop.orders'] });
    expect(index.nodes[1]).not.toHaveProperty('version');
    expect(index.nodes[4]).toMatchObject({ testType: 'singular' });
    expect(index.nodes[4]).not.toHaveProperty('testColumn');
  });

  it('reads one page at a time, by the index of its node', () => {
    const lines = new SitePages(pages);
    expect(lines.get(2)).toEqual({ descriptionHtml: '', columns: [], rawSql: null, compiledSql: null, rowCount: null, columnLineage: null, freshness: source.freshness, properties: source.properties });
    expect(lines.get(0)?.rawSql).toBe(orders.rawSql);
    expect(lines.get(data.nodes.length)).toBeUndefined();
  });

  it('carries texts of ASCII that neither end a comment nor open or close a tag, and reads them back from the script', () => {
    for (const text of [entries, pages]) {
      expect(text).toMatch(/^[\x20-\x7e\n]*$/);
      expect(text).not.toContain('*/');
      expect(text).not.toContain('<');
      expect(carriedText(carrierScript('TSDBT_TEST', text))).toBe(text);
    }
    expect(carrierScript('TSDBT_TEST', entries)).toMatch(/^window\.TSDBT_TEST = function \(\) \{\/\*\{/);
    // The carrier is a script a browser runs: the function's source text holds the text.
    const window: Record<string, unknown> = {};
    runInNewContext(carrierScript('TSDBT_TEST', pages), { window });
    expect(carriedText(Function.prototype.toString.call(window.TSDBT_TEST))).toBe(pages);
  });
});

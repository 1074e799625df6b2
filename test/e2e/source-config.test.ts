// A source table's config as dbt 1.10 builds it (docs: "Source configurations", "freshness",
// "meta", "tags"; dbt-core parser/sources.py): dbt_project.yml's `sources:` tree applies by fqn
// (enabled, meta, tags, freshness), the property entry's settings override it, freshness merges
// threshold by threshold from the source down to the table (a table's `freshness: null` turns it
// off), meta merges key by key, tags are the sorted union; and every source's config carries dbt's
// SourceConfig keys, so templates may read `source.config.freshness.warn_after.count` of any source,
// as dbt-project-evaluator does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offlineParseError, offlineProject, type OfflineProject } from '../support/offline-project.js';
import { MINIMAL_PROJECT_YML, removeDir } from '../support/testdir.js';

const FILES = {
  'dbt_project.yml': `${MINIMAL_PROJECT_YML}sources:
  demo:
    +meta: {owner: data-eng, tier: 2}
    +tags: [raw]
    crm:
      +enabled: "{{ target.name != 'dev' }}"
    shop:
      +freshness: {warn_after: {count: 3, period: day}}
      +loaded_at_field: _loaded_at
`,
  'models/sources.yml': `version: 2
sources:
  - name: shop
    meta: {tier: 1}
    tags: [shop]
    freshness:
      warn_after: {count: 12, period: hour}
    tables:
      - name: orders
        meta: {pii: false}
        config: {tags: [finance]}
        freshness:
          error_after: {count: 24, period: hour}
      - name: products
        freshness: null
      - name: customers
        loaded_at_field: updated_at
  - name: web
    tables:
      - name: events
  - name: crm
    tables:
      - name: accounts
`,
  'analyses/source_freshness.sql': `{% if execute %}{% for s in graph.sources.values() | sort(attribute='unique_id') %}{{ s.name }}: {{ s.config.freshness.warn_after.count if s.config.freshness != none else 'off' }};{% endfor %}{% endif %}\n`,
};

describe('source configs (dbt 1.10)', () => {
  let project: OfflineProject;
  let sources: Record<string, Record<string, unknown>>;
  let analysis: string;
  beforeAll(async () => {
    project = await offlineProject(FILES);
    sources = project.manifest<{ sources: typeof sources }>().sources;
    analysis = project.compiled('source_freshness', 'analyses');
  });
  afterAll(() => removeDir(project.dir));

  it("applies dbt_project.yml's sources: tree by fqn, rendered with target", () => {
    expect(Object.keys(sources).sort()).toEqual(['source.demo.shop.customers', 'source.demo.shop.orders', 'source.demo.shop.products', 'source.demo.web.events']);
    expect(sources['source.demo.web.events']).toMatchObject({ meta: { owner: 'data-eng', tier: 2 }, tags: ['raw'], config: { enabled: true, meta: { owner: 'data-eng', tier: 2 }, tags: ['raw'] } });
  });

  it('merges freshness from the source down to the table, and a table can turn it off', () => {
    const orders = sources['source.demo.shop.orders'] as { freshness: unknown; config: { freshness: unknown } };
    const merged = { warn_after: { count: 12, period: 'hour' }, error_after: { count: 24, period: 'hour' }, filter: null };
    expect(orders.freshness).toEqual(merged);
    expect(orders.config.freshness).toEqual(merged);
    expect(sources['source.demo.shop.products']).toMatchObject({ freshness: null, config: { freshness: null } });
    // Nothing in the property file: dbt_project.yml's freshness.
    expect(sources['source.demo.web.events']?.freshness).toEqual({ warn_after: { count: null, period: null }, error_after: { count: null, period: null }, filter: null });
  });

  it('merges meta key by key and takes the union of tags; loaded_at_field from the table, else the project', () => {
    expect(sources['source.demo.shop.orders']).toMatchObject({ meta: { owner: 'data-eng', tier: 1, pii: false }, source_meta: { tier: 1 }, tags: ['finance', 'raw', 'shop'], loaded_at_field: '_loaded_at' });
    expect(sources['source.demo.shop.customers']).toMatchObject({ loaded_at_field: 'updated_at', config: { loaded_at_field: 'updated_at', loaded_at_query: null, event_time: null } });
  });

  // dbt-core's SourcePatcher._generate_source_config(rendered=False) and its expected manifest
  // (tests/functional/artifacts/expected_manifest.py: `{loaded_at_field: None, loaded_at_query:
  // None, meta: {}, tags: []}` for a plain source): dbt_project.yml's levels as written, then the
  // entry's layer, each replacing the keys it sets (the entry's empty meta replaces the project's).
  it("writes dbt's unrendered_config: the project's levels as written, then the entry's layer", () => {
    expect(sources['source.demo.web.events']?.unrendered_config).toEqual({ meta: {}, tags: [], loaded_at_field: null, loaded_at_query: null });
    expect(sources['source.demo.shop.orders']?.unrendered_config).toEqual({
      meta: { tier: 1, pii: false },
      tags: ['finance', 'shop'],
      freshness: { warn_after: { count: 12, period: 'hour' }, error_after: { count: 24, period: 'hour' }, filter: null },
      loaded_at_field: null,
      loaded_at_query: null,
    });
    expect(sources['source.demo.shop.products']?.unrendered_config).toMatchObject({ freshness: null, loaded_at_field: null });
    // A project key the entry leaves alone stays as written, its Jinja unrendered.
    const disabled = project.manifest<{ disabled: Record<string, { unrendered_config?: unknown }[]> }>().disabled;
    expect(disabled['source.demo.crm.accounts']?.[0]?.unrendered_config).toEqual({ enabled: "{{ target.name != 'dev' }}", meta: {}, tags: [], loaded_at_field: null, loaded_at_query: null });
  });

  it("gives every source dbt's SourceConfig keys, so templates read them", () => {
    expect(analysis.trim()).toBe('customers: 12;orders: 12;products: off;events: None;');
  });
});

// dbt's docs (resource-properties/freshness, loaded_at_query): a table's loaded_at_field, under
// `config:` as well, stands in place of its source's loaded_at_query; an empty loaded_at_field,
// or both at one level, is refused (dbt's UnparsedSourceDefinition.validate and SourcePatcher).
describe('source loaded_at_field / loaded_at_query', () => {
  const files = (tables: string, source = '') => ({
    'dbt_project.yml': MINIMAL_PROJECT_YML,
    'models/sources.yml': `version: 2\nsources:\n  - name: raw\n${source}    tables:\n${tables}`,
  });

  it("takes a table's config loaded_at_field over the source's loaded_at_query", async () => {
    const project = await offlineProject(files('      - name: events\n        config: {loaded_at_field: id}\n      - name: users\n', "    config: {loaded_at_query: 'select 1'}\n"), 'parse');
    const sources = project.manifest<{ sources: Record<string, { loaded_at_field: unknown; loaded_at_query: unknown }> }>().sources;
    expect(sources['source.demo.raw.events']).toMatchObject({ loaded_at_field: 'id', loaded_at_query: null });
    expect(sources['source.demo.raw.users']).toMatchObject({ loaded_at_field: null, loaded_at_query: 'select 1' });
    removeDir(project.dir);
  });

  it('refuses an empty loaded_at_field', async () => {
    expect(await offlineParseError(files("      - name: events\n        loaded_at_field: ''\n"))).toMatch(/loaded_at_field cannot be an empty string\..* at models\/sources\.yml$/);
  });

  it('refuses loaded_at_field and loaded_at_query at one level', async () => {
    expect(await offlineParseError(files("      - name: events\n        loaded_at_field: id\n        config: {loaded_at_query: 'select 1'}\n"))).toContain('Cannot specify both loaded_at_field and loaded_at_query at table level.');
    expect(await offlineParseError(files('      - name: events\n', "    loaded_at_field: id\n    loaded_at_query: 'select 1'\n"))).toContain('Cannot specify both loaded_at_field and loaded_at_query at source level.');
  });
});

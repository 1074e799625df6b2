// Versioned models on PGlite, as dbt documents them (docs: mesh/govern/model-versions,
// reference/resource-properties/versions, latest_version, deprecation_date): each version is its
// own relation `<model>_v<v>` with the columns include / exclude give it and its own data tests;
// an unpinned ref reads the latest version, a pinned one its version; `m.v2`, `version:latest|old|
// prerelease` select versions; a deprecated version warns (DeprecatedModel, DeprecatedReference,
// UpcomingReferenceDeprecation) once, at its file:line, and --warn-error makes that an error.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const schemaYml = (latest: number) => `version: 2
models:
  - name: dim_customers
    latest_version: ${latest}
    description: one row per customer
    config:
      materialized: table
    columns:
      - name: customer_id
        data_tests: [unique, not_null]
      - name: name
      - name: country
        data_tests: [not_null]
    versions:
      - v: 1
        deprecation_date: 2025-06-01 00:00:00+00:00
      - v: 2
        description: country as an upper-case code
        columns:
          - include: all
            exclude: [country]
          - name: country_code
            data_tests: [not_null]
`;

const FILES: Record<string, string> = {
  'seeds/raw_customers.csv': 'customer_id,name,country\n1,Ada,uk\n2,Bo,se\n',
  'models/marts/dim_customers_v1.sql': "select customer_id, name, country from {{ ref('raw_customers') }}\n",
  'models/marts/dim_customers_v2.sql': "select customer_id, name, upper(country) as country_code from {{ ref('raw_customers') }}\n",
  'models/marts/schema.yml': schemaYml(1),
  // dbt: a unit test of a versioned model runs once per version, unless `versions:` narrows it.
  'models/marts/unit.yml': `unit_tests:
  - name: keeps_names
    model: dim_customers
    given:
      - input: ref('raw_customers')
        rows: [{customer_id: 7, name: Cy, country: fr}]
    expect:
      rows: [{customer_id: 7, name: Cy}]
  - name: upper_codes
    model: dim_customers
    versions: {include: [2]}
    given:
      - input: ref('raw_customers')
        rows: [{customer_id: 7, name: Cy, country: fr}]
    expect:
      rows: [{customer_id: 7, country_code: FR}]
`,
  // Unpinned: the latest version. Pinned: its version, even a prerelease one.
  'models/latest_reader.sql': "{{ config(materialized='table') }}\nselect * from {{ ref('dim_customers') }}\n",
  'models/pinned_v1_reader.sql': "{{ config(materialized='table') }}\n-- pinned\nselect * from {{ ref('dim_customers', v=1) }}\n",
  'models/pinned_v2_reader.sql': "{{ config(materialized='table') }}\nselect * from {{ ref('demo', 'dim_customers', version='2') }}\n",
};

/** Before v1's deprecation_date, and after it. */
const BEFORE = () => new Date('2025-01-01T00:00:00Z');
const AFTER = () => new Date('2026-01-01T00:00:00Z');

describe('versioned models on PGlite', () => {
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject('pglite', FILES);
  });
  afterAll(async () => p.cleanup());

  const columns = async (table: string) =>
    (await p.sql(`select column_name from information_schema.columns where table_schema = '${p.schema}' and table_name = '${table}' order by ordinal_position`)).map((r) => r.column_name);
  const rows = async (table: string) => p.sql(`select * from "${p.schema}"."${table}" order by customer_id`);
  const ids = (results: { unique_id: string }[]) => results.map((r) => r.unique_id).sort();

  it('builds each version as <model>_v<v> with its own columns and tests; the unpinned ref reads latest_version 1', async () => {
    const out = await p.run('build', { now: BEFORE, noPartialParse: true });
    expect(out.code, out.output).toBe(0);
    expect(await columns('dim_customers_v1')).toEqual(['customer_id', 'name', 'country']);
    expect(await columns('dim_customers_v2')).toEqual(['customer_id', 'name', 'country_code']);
    expect(await rows('dim_customers_v1')).toEqual([{ customer_id: 1, name: 'Ada', country: 'uk' }, { customer_id: 2, name: 'Bo', country: 'se' }]);
    expect(await rows('dim_customers_v2')).toEqual([{ customer_id: 1, name: 'Ada', country_code: 'UK' }, { customer_id: 2, name: 'Bo', country_code: 'SE' }]);
    // No relation is named like the model itself.
    expect(await columns('dim_customers')).toEqual([]);
    expect(await columns('latest_reader')).toEqual(['customer_id', 'name', 'country']);
    expect(await columns('pinned_v1_reader')).toEqual(['customer_id', 'name', 'country']);
    expect(await rows('pinned_v2_reader')).toEqual([{ customer_id: 1, name: 'Ada', country_code: 'UK' }, { customer_id: 2, name: 'Bo', country_code: 'SE' }]);

    // Data tests per version (dbt's parse_versioned_tests): v2 excludes `country`, so not its test.
    const tests = ids(out.results).filter((id) => id.startsWith('test.'));
    expect(tests.map((id) => id.replace(/\.[0-9a-f]{10}$/, ''))).toEqual([
      'test.demo.not_null_dim_customers_v1_country',
      'test.demo.not_null_dim_customers_v1_customer_id',
      'test.demo.not_null_dim_customers_v2_country_code',
      'test.demo.not_null_dim_customers_v2_customer_id',
      'test.demo.unique_dim_customers_v1_customer_id',
      'test.demo.unique_dim_customers_v2_customer_id',
    ]);
    expect(out.results.filter((r) => r.unique_id.startsWith('test.')).every((r) => r.status === 'pass')).toBe(true);
    const unitTests = out.results.filter((r) => r.unique_id.startsWith('unit_test.'));
    expect(unitTests.map((r) => [r.unique_id, r.status]).sort()).toEqual([
      ['unit_test.demo.dim_customers.keeps_names_v1', 'pass'],
      ['unit_test.demo.dim_customers.keeps_names_v2', 'pass'],
      ['unit_test.demo.dim_customers.upper_codes_v2', 'pass'],
    ]);

    // Before the deprecation date: UpcomingReferenceDeprecation for each model reading v1, at its ref's line.
    // v1 is the latest version here: no newer one to suggest.
    const lines = out.output.split('\n');
    expect(lines).toContain("00:00:00  models/pinned_v1_reader.sql:3: While compiling 'pinned_v1_reader': Found a reference to dim_customers.v1, which is slated for deprecation on '2025-06-01T00:00:00+00:00'.");
    expect(lines).toContain("00:00:00  models/latest_reader.sql:2: While compiling 'latest_reader': Found a reference to dim_customers.v1, which is slated for deprecation on '2025-06-01T00:00:00+00:00'.");
    expect(out.output).not.toContain('has passed its deprecation date');

    const manifest = JSON.parse(readFileSync(path.join(p.dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, Record<string, unknown>>; parent_map: Record<string, string[]> };
    expect(manifest.nodes['model.demo.dim_customers.v2']).toMatchObject({
      name: 'dim_customers',
      alias: 'dim_customers_v2',
      version: 2,
      latest_version: 1,
      deprecation_date: null,
      fqn: ['demo', 'marts', 'dim_customers', 'v2'],
      description: 'country as an upper-case code',
      original_file_path: 'models/marts/dim_customers_v2.sql',
    });
    expect(Object.keys(manifest.nodes['model.demo.dim_customers.v2']?.columns as object)).toEqual(['customer_id', 'name', 'country_code']);
    expect(manifest.nodes['model.demo.dim_customers.v1']).toMatchObject({ version: 1, latest_version: 1, deprecation_date: '2025-06-01T00:00:00+00:00', description: 'one row per customer' });
    expect(manifest.parent_map['model.demo.latest_reader']).toEqual(['model.demo.dim_customers.v1']);
    expect(manifest.parent_map['model.demo.pinned_v2_reader']).toEqual(['model.demo.dim_customers.v2']);
  });

  it('selects one version by dim_customers.v2 / dim_customers_v2, all by the name, and by version:latest / prerelease', async () => {
    const select = async (...select: string[]) => {
      const out = await p.run('run', { now: BEFORE, select });
      expect(out.code, out.output).toBe(0);
      return ids(out.results);
    };
    expect(await select('dim_customers.v2')).toEqual(['model.demo.dim_customers.v2']);
    expect(await select('dim_customers_v2')).toEqual(['model.demo.dim_customers.v2']);
    expect(await select('dim_customers')).toEqual(['model.demo.dim_customers.v1', 'model.demo.dim_customers.v2']);
    expect(await select('version:latest')).toEqual(['model.demo.dim_customers.v1']);
    expect(await select('version:prerelease')).toEqual(['model.demo.dim_customers.v2']);
    expect(await select('dim_customers,version:latest')).toEqual(['model.demo.dim_customers.v1']);
  });

  it('after latest_version: 2 and the deprecation date: the unpinned ref reads v2, v1 is old and warned about once each, at file:line', async () => {
    p.write('models/marts/schema.yml', schemaYml(2));
    const out = await p.run('build', { now: AFTER });
    expect(out.code, out.output).toBe(0);
    expect(await columns('latest_reader')).toEqual(['customer_id', 'name', 'country_code']);
    expect(await rows('latest_reader')).toEqual([{ customer_id: 1, name: 'Ada', country_code: 'UK' }, { customer_id: 2, name: 'Bo', country_code: 'SE' }]);
    expect(await rows('pinned_v1_reader')).toEqual([{ customer_id: 1, name: 'Ada', country: 'uk' }, { customer_id: 2, name: 'Bo', country: 'se' }]);

    const deprecated = 'models/marts/schema.yml:15: Model dim_customers.v1 has passed its deprecation date of 2025-06-01T00:00:00+00:00. This model should be disabled or removed.';
    const reference =
      "models/pinned_v1_reader.sql:3: While compiling 'pinned_v1_reader': Found a reference to dim_customers.v1, which was deprecated on '2025-06-01T00:00:00+00:00'. A new version of 'dim_customers' is available. Migrate now: {{ ref('demo', 'dim_customers', v='2') }}.";
    expect(out.output).toContain(deprecated);
    expect(out.output).toContain(reference);
    expect(out.output.split(deprecated).length - 1).toBe(1);
    expect(out.output.split(reference).length - 1).toBe(1);
    // latest_reader now reads v2, which has no deprecation date.
    expect(out.output).not.toContain("While compiling 'latest_reader'");

    const old = await p.run('run', { now: AFTER, select: ['version:old'] });
    expect(ids(old.results)).toEqual(['model.demo.dim_customers.v1']);
    const latest = await p.run('run', { now: AFTER, select: ['version:latest'] });
    expect(ids(latest.results)).toEqual(['model.demo.dim_customers.v2']);
  });

  it('--warn-error-options on DeprecatedModel makes the deprecation an error before anything runs', async () => {
    await expect(p.run('run', { now: AFTER, warnErrorOptions: '{"error": ["DeprecatedModel"]}' })).rejects.toMatchObject({
      code: 'warning-as-error',
      location: { file: 'models/marts/schema.yml', line: 15 },
      message: 'Model dim_customers.v1 has passed its deprecation date of 2025-06-01T00:00:00+00:00. This model should be disabled or removed.',
    });
    // Before the date it is not a DeprecatedModel, so the same options let the run pass.
    expect((await p.run('run', { now: BEFORE, warnErrorOptions: '{"error": ["DeprecatedModel"]}', select: ['latest_reader'] })).code).toBe(0);
  });
});

describe('where versions live and what they are configured as', () => {
  it('the latest version in <model>.sql, another in its defined_in file with its own config and alias', async () => {
    const p = warehouseProject('pglite', {
      // v2 is the latest: it may live in orders.sql. v1 lives where defined_in says, as a view
      // kept at the relation name `orders` (alias), as dbt's docs suggest for a first version.
      'models/orders.sql': 'select 1 as order_id, 10 as amount_cents\n',
      'models/legacy/orders_before_cents.sql': 'select 1 as order_id, 0.1 as amount\n',
      'models/schema.yml': `version: 2
models:
  - name: orders
    config: {materialized: table, tags: [shop]}
    versions:
      - v: 2
      - v: 1
        defined_in: orders_before_cents
        config: {materialized: view, alias: orders}
`,
    });
    try {
      const out = await p.run('run');
      expect(out.code, out.output).toBe(0);
      const kinds = await p.sql(
        `select table_name, table_type from information_schema.tables where table_schema = '${p.schema}' order by table_name`,
      );
      expect(kinds).toEqual([
        { table_name: 'orders', table_type: 'VIEW' },
        { table_name: 'orders_v2', table_type: 'BASE TABLE' },
      ]);
      expect(await p.sql(`select amount from "${p.schema}".orders`)).toEqual([{ amount: '0.1' }]);
      const manifest = JSON.parse(readFileSync(path.join(p.dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, { fqn: string[]; config: { tags: string[] } }> };
      expect(manifest.nodes['model.demo.orders.v1']?.fqn).toEqual(['demo', 'legacy', 'orders', 'v1']);
      expect(manifest.nodes['model.demo.orders.v2']?.fqn).toEqual(['demo', 'orders', 'v2']);
      expect(manifest.nodes['model.demo.orders.v1']?.config.tags).toEqual(['shop']);
    } finally {
      await p.cleanup();
    }
  });

  it('an enforced contract checks each version against its own columns and constraints', async () => {
    const p = warehouseProject('pglite', {
      'models/dim_customers_v1.sql': "select 1 as customer_id, 'uk' as country_name\n",
      'models/dim_customers_v2.sql': 'select 1 as customer_id\n',
      'models/schema.yml': `version: 2
models:
  - name: dim_customers
    latest_version: 1
    config: {materialized: table, contract: {enforced: true}}
    columns:
      - name: customer_id
        data_type: int
        constraints: [{type: not_null}]
      - name: country_name
        data_type: text
    versions:
      - v: 1
      - v: 2
        columns:
          - include: all
            exclude: [country_name]
`,
    });
    try {
      const out = await p.run('run');
      expect(out.code, out.output).toBe(0);
      const notNull = await p.sql(
        `select table_name, column_name, is_nullable from information_schema.columns where table_schema = '${p.schema}' order by table_name, ordinal_position`,
      );
      expect(notNull).toEqual([
        { table_name: 'dim_customers_v1', column_name: 'customer_id', is_nullable: 'NO' },
        { table_name: 'dim_customers_v1', column_name: 'country_name', is_nullable: 'YES' },
        { table_name: 'dim_customers_v2', column_name: 'customer_id', is_nullable: 'NO' },
      ]);
      const manifest = JSON.parse(readFileSync(path.join(p.dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, { columns: Record<string, { constraints: unknown[] }> }> };
      expect(Object.keys(manifest.nodes['model.demo.dim_customers.v2']?.columns ?? {})).toEqual(['customer_id']);
      expect(manifest.nodes['model.demo.dim_customers.v2']?.columns.customer_id?.constraints).toMatchObject([{ type: 'not_null' }]);
    } finally {
      await p.cleanup();
    }
  });

  it('<model>.sql beside versions that all live elsewhere is an error, not a second model of that name', async () => {
    const p = warehouseProject('pglite', {
      'models/orders.sql': 'select 1 as id\n',
      'models/orders_v1.sql': 'select 1 as id\n',
      'models/orders_v2.sql': 'select 2 as id\n',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: orders\n    versions:\n      - v: 1\n      - v: 2\n',
    });
    try {
      const out = await runTsdbt(['parse', '--project-dir', p.dir, '--profiles-dir', p.dir, '--no-partial-parse']);
      expect(out.code).toBe(2);
      expect(out.stderr).toContain("models/orders.sql:1: model file models/orders.sql is named like the versioned model 'orders' but is none of its versions (v1 in orders_v1.sql, v2 in orders_v2.sql)");
    } finally {
      await p.cleanup();
    }
  });
});

describe('deprecation_date without versions', () => {
  it('an unversioned model past its date warns as DeprecatedModel, a model reading it as DeprecatedReference, without a version', async () => {
    const p = warehouseProject('pglite', {
      'models/old_orders.sql': 'select 1 as id\n',
      'models/report.sql': "select * from {{ ref('old_orders') }}\n",
      'models/schema.yml': 'version: 2\nmodels:\n  - name: old_orders\n    deprecation_date: 2025-06-01\n',
    });
    try {
      const out = await p.run('run', { now: () => new Date('2025-06-03T00:00:00Z') });
      expect(out.code, out.output).toBe(0);
      const date = normalizedLocalDate('2025-06-01');
      expect(out.output).toContain(`models/schema.yml:3: Model old_orders has passed its deprecation date of ${date}. This model should be disabled or removed.`);
      expect(out.output.split('\n')).toContain(`00:00:00  models/report.sql:1: While compiling 'report': Found a reference to old_orders, which was deprecated on '${date}'.`);
      const manifest = JSON.parse(readFileSync(path.join(p.dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, Record<string, unknown>> };
      expect(manifest.nodes['model.demo.old_orders']).toMatchObject({ version: null, latest_version: null, deprecation_date: date });
    } finally {
      await p.cleanup();
    }
  });
});

/** A date without an offset is in the system time zone (dbt's normalize_date), written with that offset. */
function normalizedLocalDate(day: string): string {
  const local = new Date(`${day}T00:00:00`);
  const offset = -local.getTimezoneOffset();
  const abs = Math.abs(offset);
  return `${day}T00:00:00${offset < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

describe('versioned model errors', () => {
  const parse = (p: WarehouseProject) => runTsdbt(['parse', '--project-dir', p.dir, '--profiles-dir', p.dir, '--no-partial-parse']);

  it('a ref to a version that does not exist names the versions that do, at the ref line', async () => {
    const p = warehouseProject('pglite', {
      'models/dim_customers_v1.sql': 'select 1 as customer_id\n',
      'models/dim_customers_v2.sql': 'select 2 as customer_id\n',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: dim_customers\n    versions:\n      - v: 1\n      - v: 2\n',
      'models/reader.sql': "select *\nfrom {{ ref('dim_customers', v=3) }}\n",
    });
    try {
      const out = await parse(p);
      expect(out.code).toBe(2);
      expect(out.stderr).toContain("models/reader.sql:2: ref('dim_customers', v=3): model 'dim_customers' has no version 3; its versions are 1, 2 (latest: 2)");
      expect(out.stderr).toContain('use one of v=1, v=2');
      expect(out.stderr).not.toMatch(/\n\s+at /); // no JavaScript stack
    } finally {
      await p.cleanup();
    }
  });

  it('latest_version that is not a version, and exclude without include: all, are errors at their lines', async () => {
    const p = warehouseProject('pglite', {
      'models/m_v1.sql': 'select 1 as id\n',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: m\n    latest_version: 3\n    versions:\n      - v: 1\n        columns:\n          - include: [id]\n            exclude: [id]\n',
    });
    try {
      const out = await parse(p);
      expect(out.code).toBe(2);
      expect(out.stderr).toContain("models/schema.yml:4: latest_version: 3 is not one of model 'm' versions: [1]");
      expect(out.stderr).toContain("models/schema.yml:9: exclude can only be specified if include is one of 'all' or '*'");
    } finally {
      await p.cleanup();
    }
  });
});

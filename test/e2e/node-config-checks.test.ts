// dbt's checks of a node's config when it parses it, and the node's `docs` following the config
// (dbt's docs, "docs" config: `show` and `node_color`, an HTML color name or a hex code, set in
// dbt_project.yml, a property file or config(); "materialized": seeds, data tests and snapshots
// have a materialization of their own).
import { afterAll, describe, expect, it } from 'vitest';
import { offlineParseError as parseFails, offlineProject } from '../support/offline-project.js';
import { removeDir } from '../support/testdir.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

const PROJECT = (extra = '') => `name: demo\nprofile: demo\nconfig-version: 2\n${extra}`;

describe('docs config on nodes', () => {
  it('node.docs takes node_color and show from the config, the nearest layer winning', async () => {
    const p = await offlineProject(
      {
        'dbt_project.yml': PROJECT('models:\n  demo:\n    +docs: {node_color: "#0a0b0c", show: false}\n    marts:\n      +docs: {node_color: teal}\n'),
        'models/marts/orders.sql': 'select 1 as id',
        'models/staging/stg.sql': "{{ config(docs={'node_color': 'Salmon', 'show': true}) }}\nselect 1 as id",
        'models/staging/plain.sql': 'select 1 as id',
        'models/staging/schema.yml': 'version: 2\nmodels:\n  - name: plain\n    config:\n      docs: {node_color: "#abc"}\n',
      },
      'parse',
    );
    dirs.push(p.dir);
    const nodes = p.manifest().nodes as Record<string, { docs: unknown }>;
    expect(nodes['model.demo.orders']?.docs).toEqual({ show: false, node_color: 'teal' });
    expect(nodes['model.demo.stg']?.docs).toEqual({ show: true, node_color: 'Salmon' });
    expect(nodes['model.demo.plain']?.docs).toEqual({ show: false, node_color: '#abc' });
  });

  it('refuses a node_color that is neither a color name nor a hex code, naming the file', async () => {
    const bad = await parseFails({
      'dbt_project.yml': PROJECT(),
      'models/orders.sql': "{{ config(docs={'node_color': 'notacolor'}) }}\nselect 1 as id",
    });
    expect(bad).toContain('models/orders.sql');
    expect(bad).toContain('invalid color name for docs.node_color: notacolor');
    const badHex = await parseFails({
      'dbt_project.yml': PROJECT(),
      'models/orders.sql': 'select 1 as id',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: orders\n    docs:\n      node_color: "#xxx111"\n',
    });
    expect(badHex).toContain('invalid color name for docs.node_color: #xxx111');
  });
});

describe('seeds, data tests and snapshots keep their own materialization', () => {
  it.each([
    ['seed', { 'dbt_project.yml': PROJECT('seeds:\n  +materialized: table\n'), 'seeds/s.csv': 'id\n1\n' }, "a seed must have a materialized value of 'seed'"],
    ['data test', { 'dbt_project.yml': PROJECT('data_tests:\n  +materialized: table\n'), 'tests/t.sql': 'select 1 as id where false' }, "a data test must have a materialized value of 'test'"],
    [
      'snapshot',
      {
        'dbt_project.yml': PROJECT(),
        'snapshots/snap.sql': "{% snapshot snap %}{{ config(materialized='table', unique_key='id', strategy='check', check_cols='all', target_schema='s') }}select 1 as id{% endsnapshot %}",
      },
      "a snapshot must have a materialized value of 'snapshot'",
    ],
  ])('a %s with materialized: table fails the parse', async (_kind, files, message) => {
    expect(await parseFails(files)).toContain(message);
  });
});

describe("a data test's store_failures and store_failures_as agree (dbt's docs: store_failures_as wins when set)", () => {
  it('store_failures alone sets store_failures_as; store_failures_as alone sets store_failures', async () => {
    const p = await offlineProject(
      {
        'dbt_project.yml': PROJECT(),
        'models/orders.sql': 'select 1 as id',
        'models/schema.yml': [
          'version: 2',
          'models:',
          '  - name: orders',
          '    columns:',
          '      - name: id',
          '        data_tests:',
          '          - unique: {config: {store_failures: true}}',
          '          - not_null: {config: {store_failures: false}}',
          '          - accepted_values: {arguments: {values: [1]}, config: {store_failures_as: view}}',
          '          - relationships: {arguments: {to: "ref(\'orders\')", field: id}, config: {store_failures: true, store_failures_as: ephemeral}}',
          '',
        ].join('\n'),
      },
      'parse',
    );
    dirs.push(p.dir);
    const configs = Object.values(p.manifest().nodes as Record<string, { resource_type: string; name: string; config: Record<string, unknown> }>)
      .filter((n) => n.resource_type === 'test')
      .map((n) => [n.name.split('_orders_')[0], n.config.store_failures, n.config.store_failures_as]);
    expect(configs.sort()).toEqual([
      ['accepted_values', true, 'view'],
      ['not_null', false, 'ephemeral'],
      ['relationships', false, 'ephemeral'],
      ['unique', true, 'table'],
    ]);
  });
});

// dbt's docs, "freshness" (model config, build_after): `count` and `period` go together.
describe("a model's freshness.build_after", () => {
  it.each([
    ['period without count', 'build_after: {period: day}', '`freshness.build_after` must have a value for `count` if a `period` is provided'],
    ['count without period', 'build_after: {count: 1}', '`freshness.build_after` must have a value for `period` if a `count` is provided'],
  ])('refuses %s at parse, naming the model and file', async (_what, buildAfter, message) => {
    const bad = await parseFails({
      'dbt_project.yml': PROJECT(),
      'models/orders.sql': 'select 1 as id',
      'models/schema.yml': `version: 2\nmodels:\n  - name: orders\n    config:\n      freshness:\n        ${buildAfter}\n`,
    });
    expect(bad).toContain("model 'orders'");
    expect(bad).toContain(message);
  });

  it('takes count 0 with a period, updates_on alone, and a freshness without build_after', async () => {
    const p = await offlineProject(
      {
        'dbt_project.yml': PROJECT(),
        'models/a.sql': 'select 1 as id',
        'models/b.sql': "{{ config(freshness={'warn_after': {'count': 24, 'period': 'hour'}}) }}\nselect 1 as id",
        'models/c.sql': 'select 1 as id',
        'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    config:\n      freshness:\n        build_after: {count: 0, period: day}\n  - name: c\n    config:\n      freshness:\n        build_after: {updates_on: all}\n',
      },
      'parse',
    );
    dirs.push(p.dir);
    const nodes = p.manifest().nodes as Record<string, { config: { freshness?: unknown } }>;
    expect(nodes['model.demo.a']?.config.freshness).toMatchObject({ build_after: { count: 0, period: 'day' } });
  });
});

describe("config values of the wrong type, refused at parse as dbt's NodeConfig schema does", () => {
  it('refuses materialized: true in a property file, and other typed fields wherever they are set', async () => {
    // dbt 1.11 on PostgreSQL: "at path ['materialized']: True is not of type 'string'", exit 2
    // (snowleafbooks/dbt-analytics-engineer-certification's yaml_wrong_type exercise).
    const bad = await parseFails({
      'dbt_project.yml': PROJECT(),
      'models/wrong_type_model.sql': 'select 1 as order_id',
      'models/_wrong_type.yml': 'version: 2\nmodels:\n  - name: wrong_type_model\n    config:\n      materialized: true\n',
    });
    expect(bad).toContain('models/wrong_type_model.sql');
    expect(bad).toContain("at path ['materialized']: True is not of type 'string'");
    const meta = await parseFails({ 'dbt_project.yml': PROJECT('models:\n  demo:\n    +meta: [a, b]\n'), 'models/m.sql': 'select 1 as id' });
    expect(meta).toContain("at path ['meta']: ['a', 'b'] is not of type 'object'");
    const fullRefresh = await parseFails({ 'dbt_project.yml': PROJECT(), 'models/m.sql': "{{ config(full_refresh='no') }}\nselect 1 as id" });
    expect(fullRefresh).toContain("at path ['full_refresh']: 'no' is not of type 'boolean', 'null'");
  });

  it('accepts the types dbt accepts: tags as text or a list, null optionals, unique_key as a list', async () => {
    const p = await offlineProject(
      {
        'dbt_project.yml': PROJECT('models:\n  demo:\n    +tags: nightly\n    +schema: null\n'),
        'models/m.sql': "{{ config(materialized='incremental', unique_key=['a', 'b'], full_refresh=none, tags=['x']) }}\nselect 1 as a, 2 as b",
      },
      'parse',
    );
    dirs.push(p.dir);
    expect((p.manifest().nodes as Record<string, { config: { tags: unknown } }>)['model.demo.m']?.config.tags).toEqual(['nightly', 'x']);
  });
});

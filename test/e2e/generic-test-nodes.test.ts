// A generic test's node as dbt 1.11 writes it (schema_generic_tests.py, generic_test_builders.py;
// dbt-core's tests/functional/list expectations): its raw_code is the macro call followed by the
// test's config as a `config(...)` call, its checksum is dbt's empty FileHash, the tags of its
// column are the node's and not its config's, and once compiled dbt's own not_null and unique
// (parsed without a render) also depend on the get_where_subquery their `model` argument called.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const FILES = {
  'dbt_project.yml': 'name: shop\nprofile: shop\n',
  'models/orders.sql': 'select 1 as id\n',
  'models/schema.yml': [
    'version: 2',
    'models:',
    '  - name: orders',
    '    columns:',
    '      - name: id',
    '        config: {tags: [column_level_tag]}',
    '        data_tests:',
    '          - unique',
    '          - not_null:',
    '              name: my_favorite_test',
    '              config:',
    '                alias: not_null__id__alias',
    '                group: important_tests',
    '                limit: 10',
    '                meta: {my_custom_meta_key: my_custom_meta_value}',
    '                severity: warn',
    '                tags: [test_tag]',
    '                where: "1 = 1"',
    '          - accepted_values:',
    '              arguments: {values: [1, 2]}',
    '              config: {tags: test_tag, store_failures: true}',
    'groups:',
    '  - name: important_tests',
    '    owner: {name: me}',
    '',
  ].join('\n'),
};

type Node = { raw_code: string; checksum: unknown; tags: string[]; config: { tags: string[] }; depends_on: { macros: string[] } };

describe('generic test nodes as dbt writes them', () => {
  const dir = testdir(FILES);
  afterAll(() => removeDir(dir));
  const env = { HOME: dir, DBT_PROFILES_DIR: '' };
  const nodes = () => (JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, Node> }).nodes;
  const byName = (name: string) => Object.entries(nodes()).find(([id]) => id.startsWith(`test.shop.${name}.`))?.[1] as Node;

  it('parse: raw_code carries the config call, the checksum is empty, column tags are the node\'s only', async () => {
    const result = await runTsdbt(['parse', '--project-dir', dir], { env });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const favorite = byName('my_favorite_test');
    // dbt's key order: its config keys (severity, tags, ..., alias) first, then the rest (group).
    expect(favorite.raw_code).toBe(
      '{{ test_not_null(**_dbt_generic_test_kwargs) }}' +
        "{{ config(severity=\"warn\",tags=['test_tag'],where=\"1 = 1\",limit=10,meta={'my_custom_meta_key': 'my_custom_meta_value'},alias=\"not_null__id__alias\",group=\"important_tests\") }}",
    );
    expect(favorite.checksum).toEqual({ name: 'none', checksum: '' });
    expect(favorite.tags).toEqual(['column_level_tag', 'test_tag']);
    expect(favorite.config.tags).toEqual(['test_tag']);
    expect(favorite.depends_on.macros).toEqual(['macro.dbt.test_not_null']);

    const unique = byName('unique_orders_id');
    expect(unique.raw_code).toBe('{{ test_unique(**_dbt_generic_test_kwargs) }}');
    expect(unique.tags).toEqual(['column_level_tag']);
    expect(unique.config.tags).toEqual([]);

    // A test dbt renders at parse runs its raw_code's config() again: its own tags twice.
    const accepted = byName('accepted_values_orders_id__1__2');
    expect(accepted.raw_code).toBe('{{ test_accepted_values(**_dbt_generic_test_kwargs) }}{{ config(tags="test_tag",store_failures=True) }}');
    expect(accepted.tags).toEqual(['column_level_tag', 'test_tag']);
    expect(accepted.config.tags).toEqual(['test_tag', 'test_tag']);
    expect(accepted.depends_on.macros).toEqual(['macro.dbt.test_accepted_values', 'macro.dbt.get_where_subquery']);

    const selected = await runTsdbt(['ls', '--project-dir', dir, '--select', 'tag:column_level_tag', '--output', 'name'], { env });
    expect(selected.stdout.trim().split('\n').sort()).toEqual(['accepted_values_orders_id__1__2', 'my_favorite_test', 'unique_orders_id']);
  });

  it('compile: dbt\'s not_null and unique depend on get_where_subquery too', async () => {
    const result = await runTsdbt(['compile', '--project-dir', dir], { env });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(byName('my_favorite_test').depends_on.macros).toEqual(['macro.dbt.test_not_null', 'macro.dbt.get_where_subquery']);
    expect(byName('unique_orders_id').depends_on.macros).toEqual(['macro.dbt.test_unique', 'macro.dbt.get_where_subquery']);
    // A parse afterwards writes the parse's manifest again.
    await runTsdbt(['parse', '--project-dir', dir], { env });
    expect(byName('unique_orders_id').depends_on.macros).toEqual(['macro.dbt.test_unique']);
  });
});

// A column's `config:` (dbt 1.10 moved column meta and tags there; docs: resource-configs/meta,
// "changed to config in v1.10"): every column of a model, seed, snapshot or source carries
// `config: {meta, tags}` in manifest.json and in `graph`, with the top-level meta and tags merged
// in. The Tuva project reads `column.config.meta` from `graph` for each column, and stopped there.
import { afterAll, describe, expect, it } from 'vitest';
import { offlineProject, type OfflineProject } from '../support/offline-project.js';
import { removeDir } from '../support/testdir.js';

interface Column {
  meta: Record<string, unknown>;
  tags: string[];
  config: { meta: Record<string, unknown>; tags: string[] };
}

describe('column config', () => {
  let p: OfflineProject | undefined;
  afterAll(() => p && removeDir(p.dir));

  it('gives every column config.meta and config.tags, top-level ones merged in, in the graph and manifest.json', async () => {
    p = await offlineProject({
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'models/orders.sql': 'select 1 as id, 2 as amount, 3 as plain',
      'models/report.sql': [
        "{% set node = graph.nodes['model.demo.orders'] %}",
        "{% for column in node.columns.values() | sort(attribute='name') %}",
        "select '{{ column.name }}' as name, '{{ column.config.meta.get('data_type') }}' as data_type, '{{ column.config.tags | join('+') }}' as tags {{ 'union all' if not loop.last }}",
        '{% endfor %}',
        "{% set src = graph.sources['source.demo.raw.events'] %}",
        "-- source: {{ src.columns['kind'].config.meta.owner }}",
      ].join('\n'),
      'models/schema.yml': [
        'version: 2',
        'models:',
        '  - name: orders',
        '    columns:',
        '      - name: id',
        '        config: {meta: {data_type: integer}, tags: [key]}',
        '      - name: amount',
        '        meta: {data_type: numeric, owner: finance}',
        '        tags: [money]',
        '        config: {meta: {owner: sales}, tags: [money, sensitive]}',
        '      - name: plain',
        'sources:',
        '  - name: raw',
        '    tables:',
        '      - name: events',
        '        columns:',
        '          - name: kind',
        '            config: {meta: {owner: ops}}',
      ].join('\n'),
    });
    const sql = p.compiled('report');
    expect(sql).toContain("select 'amount' as name, 'numeric' as data_type, 'money+sensitive' as tags");
    expect(sql).toContain("select 'id' as name, 'integer' as data_type, 'key' as tags");
    expect(sql).toContain("select 'plain' as name, 'None' as data_type, '' as tags");
    expect(sql).toContain('-- source: ops');
    const manifest = p.manifest<{ nodes: Record<string, { columns: Record<string, Column> }>; sources?: Record<string, { columns: Record<string, Column> }> }>();
    const columns = manifest.nodes['model.demo.orders']?.columns ?? {};
    // dbt 1.10+ (ParserRef._add): the merged meta and tags are the column's as well as its config's.
    expect(columns.amount).toMatchObject({ meta: { data_type: 'numeric', owner: 'sales' }, tags: ['money', 'sensitive'], config: { meta: { data_type: 'numeric', owner: 'sales' }, tags: ['money', 'sensitive'] } });
    expect(manifest.sources?.['source.demo.raw.events']?.columns.kind).toMatchObject({ meta: { owner: 'ops' }, config: { meta: { owner: 'ops' } } });
    expect(columns.plain?.config).toEqual({ meta: {}, tags: [] });
  });

  it("gives a column's tests the column's config.tags as well as its tags (docs: resource-configs/tags; dbt's column.tags + column.config['tags'])", async () => {
    const q = await offlineProject(
      {
        'dbt_project.yml': 'name: demo\nprofile: demo\n',
        'models/model_a.sql': 'select 1 as fun, 2 as fun_2',
        'models/schema.yml': [
          'version: 2',
          'sources:',
          '  - name: my_src',
          '    tables:',
          '      - name: my_tbl',
          '        columns:',
          '          - name: fun',
          '            config: {tags: [source_column_config_tag]}',
          '            data_tests: [unique]',
          'models:',
          '  - name: model_a',
          '    columns:',
          '      - name: fun',
          '        tags: [column_level_tag]',
          '        config: {tags: [column_config_level_tag]}',
          '        data_tests: [unique]',
          '      - name: fun_2',
          '        config: {tags: column_config_level_tag}',
          '        data_tests: [not_null]',
        ].join('\n'),
      },
      'parse',
    );
    try {
      const nodes = Object.entries(q.manifest<{ nodes: Record<string, { tags: string[] }> }>().nodes);
      const tagsOf = (name: string) => nodes.find(([id]) => id.startsWith(`test.demo.${name}.`))?.[1].tags;
      expect(tagsOf('unique_model_a_fun')).toEqual(['column_config_level_tag', 'column_level_tag']);
      expect(tagsOf('not_null_model_a_fun_2')).toEqual(['column_config_level_tag']);
      expect(tagsOf('source_unique_my_src_my_tbl_fun')).toEqual(['source_column_config_tag']);
    } finally {
      removeDir(q.dir);
    }
  });
});

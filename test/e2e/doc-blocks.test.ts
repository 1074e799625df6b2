// dbt's doc_blocks (dbt's docs, "doc_blocks"; dbt-core's _get_doc_blocks): a description's doc
// blocks are read from its text, an output that is a doc() call of constant names. A doc() whose
// result is used further (`{{ doc('x').format(...) }}`) renders as before but names no block.
import { afterAll, describe, expect, it } from 'vitest';
import { offlineProject } from '../support/offline-project.js';
import { removeDir } from '../support/testdir.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

describe('doc_blocks', () => {
  it('names the blocks of `{{ doc(...) }}` outputs only, in order', async () => {
    const p = await offlineProject(
      {
        'dbt_project.yml': 'name: demo\nprofile: demo\nconfig-version: 2\n',
        'models/colors.sql': "select 1 as id, 'blue' as color, 2 as n, 3 as m",
        'models/docs.md': '{% docs test_doc %}\nThis is a test for column {test_name}\n{% enddocs %}\n{% docs other %}\nOther\n{% enddocs %}\n',
        'models/schema.yml': [
          'models:',
          '  - name: colors',
          `    description: "{{ doc('other') }} and {{- doc('demo', 'test_doc') -}}"`,
          '    columns:',
          `      - name: id`,
          `        description: "{{ doc('test_doc').format(test_name = 'id') }}"`,
          `      - name: color`,
          `        description: "{{ 'This is a test for column {test_name}'.format(test_name = 'color') }}"`,
          `      - name: n`,
          `        description: "{{ doc(\\"other\\") }}"`,
          '',
        ].join('\n'),
      },
      'parse',
    );
    dirs.push(p.dir);
    const model = (p.manifest().nodes as Record<string, { doc_blocks?: string[]; columns: Record<string, { description: string; doc_blocks?: string[] }> }>)['model.demo.colors'];
    expect(model?.doc_blocks).toEqual(['doc.demo.other', 'doc.demo.test_doc']);
    expect(model?.columns.id).toMatchObject({ description: 'This is a test for column id', doc_blocks: [] });
    expect(model?.columns.color).toMatchObject({ description: 'This is a test for column color', doc_blocks: [] });
    expect(model?.columns.n).toMatchObject({ description: 'Other', doc_blocks: ['doc.demo.other'] });
  });

  it('ignores a `doc_blocks:` written in property entries (dbt 1.10+ back-compat: any value reads as none)', async () => {
    const p = await offlineProject(
      {
        'dbt_project.yml': 'name: demo\nprofile: demo\nconfig-version: 2\n',
        'models/my_colors.sql': "select 1 as id, 'blue' as color",
        'models/schema.yml': ['models:', '  - name: my_colors', '    doc_blocks: 2', '    columns:', '      - name: id', '        doc_blocks: 2', '      - name: color', '        doc_blocks: ["hello", 2, "world"]', ''].join('\n'),
      },
      'parse',
    );
    dirs.push(p.dir);
    const model = (p.manifest().nodes as Record<string, { doc_blocks?: unknown; columns: Record<string, { doc_blocks?: unknown }> }>)['model.demo.my_colors'];
    expect(model?.doc_blocks).toEqual([]);
    expect(model?.columns.id?.doc_blocks).toEqual([]);
    expect(model?.columns.color?.doc_blocks).toEqual([]);
  });
});

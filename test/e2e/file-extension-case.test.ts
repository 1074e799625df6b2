// dbt finds resource files by a pattern it matches ignoring case (docs: a model is a `.sql` file in
// a model path; dbt-core's find_matching compiles the pattern with re.IGNORECASE), so
// `models/Orders.SQL`, `seeds/raw.CSV` and `models/props.YML` are a model, a seed and a property
// file; each is named by its file name without the extension.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { offlineProject } from '../support/offline-project.js';

describe('resource files with upper-case extensions', () => {
  it('parses .SQL models, .CSV seeds and .YML property files, named without the extension', async () => {
    const p = await offlineProject({
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'seeds/raw.CSV': 'id\n1\n',
      'models/upper.SQL': "select * from {{ ref('raw') }}\n",
      'models/lower.sql': "select * from {{ ref('upper') }}\n",
      'models/props.YML': 'models:\n  - name: upper\n    description: described\n    columns: [{name: id, data_tests: [unique]}]\n',
    });
    const nodes = p.manifest().nodes as Record<string, { name: string; original_file_path: string; description?: string; depends_on: { nodes: string[] } }>;
    expect(nodes['model.demo.upper']).toMatchObject({ name: 'upper', original_file_path: 'models/upper.SQL', description: 'described' });
    expect(nodes['model.demo.upper']?.depends_on.nodes).toEqual(['seed.demo.raw']);
    expect(nodes['seed.demo.raw']?.original_file_path).toBe('seeds/raw.CSV');
    expect(nodes['model.demo.lower']?.depends_on.nodes).toEqual(['model.demo.upper']);
    expect(Object.keys(nodes).filter((id) => id.startsWith('test.demo.unique_upper_id'))).toHaveLength(1);
    // the compiled file keeps the file's own name, as dbt's path does
    expect(readFileSync(path.join(p.dir, 'target', 'compiled', 'demo', 'models', 'upper.SQL'), 'utf8')).toMatch(/"raw"/);
  });
});

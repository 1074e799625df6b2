// Analysis properties (dbt docs: "Analysis properties"): an `analyses:` entry of a property file,
// kept beside the analyses in analyses/, gives the analysis its description, columns and config,
// as a `models:` entry does for a model; manifest.json records them and the file they came from.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offlineProject, type OfflineProject } from '../support/offline-project.js';
import { MINIMAL_PROJECT_YML, removeDir } from '../support/testdir.js';

const FILES = {
  'dbt_project.yml': MINIMAL_PROJECT_YML,
  'models/orders.sql': 'select 1 as id, 20 as amount\n',
  'analyses/revenue.sql': "select sum(amount) as revenue from {{ ref('orders') }}\n",
  'analyses/properties.yml': `version: 2
analyses:
  - name: revenue
    description: "Revenue to date, for the finance review"
    config:
      tags: [finance]
    columns:
      - name: revenue
        description: "Sum of order amounts"
`,
};

describe('analysis properties', () => {
  let project: OfflineProject;
  beforeAll(async () => {
    project = await offlineProject(FILES);
  });
  afterAll(() => removeDir(project.dir));

  it("an analyses: entry gives the analysis its description, columns and config", () => {
    const node = project.manifest<{ nodes: Record<string, { description: string; patch_path: string | null; tags: string[]; columns: Record<string, { description: string }> }> }>().nodes['analysis.demo.revenue'];
    expect(node?.description).toBe('Revenue to date, for the finance review');
    expect(node?.patch_path).toBe('demo://analyses/properties.yml');
    expect(node?.columns.revenue?.description).toBe('Sum of order amounts');
    expect(node?.tags).toEqual(['finance']);
  });
});

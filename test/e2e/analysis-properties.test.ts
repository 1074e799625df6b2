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

// dbt 1.11's analyses (AnalysisParser.get_compiled_path; dbt-core #11427 and its 1.12 behaviour flag
// `require_corrected_analysis_fqns`): an analysis's path and fqn carry an `analysis` segment, and it
// takes its project config from the `models:` tree, the `analyses:` block being ignored; with the
// flag its fqn is a model's and the `analyses:` block applies.
describe("an analysis's fqn and project config, as dbt 1.11 and 1.12's flag give them", () => {
  const files = (flag: boolean) => ({
    'dbt_project.yml': `${MINIMAL_PROJECT_YML}${flag ? 'flags:\n  require_corrected_analysis_fqns: true\n' : ''}models:\n  demo:\n    +tags: [from_models]\nanalyses:\n  demo:\n    +tags: [from_analyses]\n`,
    'models/orders.sql': 'select 1 as id\n',
    'analyses/finance/revenue.sql': "select count(*) as n from {{ ref('orders') }}\n",
  });
  type Node = { path: string; fqn: string[]; tags: string[] };
  const projects: OfflineProject[] = [];
  afterAll(() => projects.forEach((p) => removeDir(p.dir)));

  it('without the flag: path analysis/..., fqn [project, analysis, folders, name], the models: tree applied', async () => {
    const project = await offlineProject(files(false), 'parse');
    projects.push(project);
    const node = project.manifest<{ nodes: Record<string, Node> }>().nodes['analysis.demo.revenue']!;
    expect(node.path).toBe('analysis/finance/revenue.sql');
    expect(node.fqn).toEqual(['demo', 'analysis', 'finance', 'revenue']);
    expect(node.tags).toEqual(['from_models']);
  });

  it('with require_corrected_analysis_fqns: a model-like fqn and the analyses: tree', async () => {
    const project = await offlineProject(files(true), 'parse');
    projects.push(project);
    const node = project.manifest<{ nodes: Record<string, Node> }>().nodes['analysis.demo.revenue']!;
    expect(node.path).toBe('finance/revenue.sql');
    expect(node.fqn).toEqual(['demo', 'finance', 'revenue']);
    expect(node.tags).toEqual(['from_analyses']);
  });
});

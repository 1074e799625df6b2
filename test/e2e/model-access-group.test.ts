// A model's `access` and `group` (dbt docs: "access", "group" configs; dbt's ModelNode takes both
// from its config, and a property entry's top-level `access:` / `group:` is moved into it): in
// manifest.json and in `graph` they are what the config says, protected and none by default. Its
// `time_spine` (dbt 1.9, MetricFlow) is the entry's, none by default. dbt-project-evaluator's
// governance checks read `node.access` from `graph`, its naming checks `node.time_spine`. A model's
// `primary_key` is inferred as dbt infers it (graph/primary-key.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offlineProject, type OfflineProject } from '../support/offline-project.js';
import { MINIMAL_PROJECT_YML, removeDir } from '../support/testdir.js';

const FILES = {
  'dbt_project.yml': MINIMAL_PROJECT_YML,
  'models/orders.sql': 'select 1 as id\n',
  'models/report.sql': "{{ config(group='finance') }}\nselect id from {{ ref('orders') }}\n",
  'models/props.yml': `version: 2
groups:
  - name: finance
    owner: {email: finance@example.com}
models:
  - name: report
    config: {access: public}
  - name: orders
    access: private
    config: {group: finance}
    time_spine:
      standard_granularity_column: id
    columns:
      - name: id
        granularity: day
        data_tests: [unique, not_null]
`,
  'analyses/access.sql': "{% if execute %}{% for n in graph.nodes.values() | selectattr('resource_type', 'equalto', 'model') | sort(attribute='name') %}{{ n.name }}={{ n.access }}/{{ n.group }}/{{ n.time_spine.standard_granularity_column if n.time_spine is not none else 'none' }};{% endfor %}{% endif %}\n",
};

describe("a model's access, group and time spine", () => {
  let project: OfflineProject;
  let nodes: Record<string, { access?: string; group?: string | null; primary_key?: string[] }>;
  let analysis: string;
  beforeAll(async () => {
    project = await offlineProject(FILES);
    nodes = project.manifest<{ nodes: typeof nodes }>().nodes;
    analysis = project.compiled('access', 'analyses');
  });
  afterAll(() => removeDir(project.dir));

  it('are the config values in manifest.json', () => {
    expect(nodes['model.demo.report']).toMatchObject({ access: 'public', group: 'finance', time_spine: null });
    expect(nodes['model.demo.orders']).toMatchObject({ access: 'private', group: 'finance', time_spine: { standard_granularity_column: 'id', custom_granularities: [] } });
    // dbt's inferred primary key: a column with unique and not_null tests.
    expect(nodes['model.demo.orders']).toMatchObject({ primary_key: ['id'] });
    expect(nodes['model.demo.report']).toMatchObject({ primary_key: [] });
  });

  it('are the config values in graph', () => {
    expect(analysis.trim()).toBe('orders=private/finance/id;report=public/finance/none;');
  });
});

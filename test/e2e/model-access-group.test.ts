// A model's `access` and `group` (dbt docs: "access", "group" configs; dbt's ModelNode takes both
// from its config, and a property entry's top-level `access:` / `group:` is moved into it): in
// manifest.json and in `graph` they are what the config says, protected and none by default. Its
// `time_spine` (dbt 1.9, MetricFlow) is the entry's, none by default. dbt-project-evaluator's
// governance checks read `node.access` from `graph`, its naming checks `node.time_spine`. A model's
// `primary_key` is inferred as dbt infers it (graph/primary-key.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileCommand } from '../../src/app/commands.js';
import { createInvocation } from '../../src/app/invocation.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

const FILES = {
  'dbt_project.yml': MINIMAL_PROJECT_YML,
  'profiles.yml': 'demo:\n  target: dev\n  outputs:\n    dev: {type: pglite, path: memory, schema: main}\n',
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
        data_tests: [unique, not_null]
`,
  'analyses/access.sql': "{% if execute %}{% for n in graph.nodes.values() | selectattr('resource_type', 'equalto', 'model') | sort(attribute='name') %}{{ n.name }}={{ n.access }}/{{ n.group }}/{{ n.time_spine.standard_granularity_column if n.time_spine is not none else 'none' }};{% endfor %}{% endif %}\n",
};

describe("a model's access, group and time spine", () => {
  let dir: string;
  let nodes: Record<string, { access?: string; group?: string | null; primary_key?: string[] }>;
  let analysis: string;
  beforeAll(async () => {
    dir = testdir(FILES);
    const lines: string[] = [];
    const inv = createInvocation({ projectDir: dir, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: dir } });
    expect(await compileCommand(inv), lines.join('\n')).toBe(0);
    nodes = (JSON.parse(readFileSync(path.join(dir, 'target', 'manifest.json'), 'utf8')) as { nodes: typeof nodes }).nodes;
    analysis = readFileSync(path.join(dir, 'target', 'compiled', 'demo', 'analyses', 'access.sql'), 'utf8');
  });
  afterAll(() => removeDir(dir));

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

// dbt's `source freshness` hands on-run-end its results (FreshnessTask is a RunTask): each a
// SourceFreshnessResult whose `status` is a FreshnessStatus, `node` the source (`resource_type`
// NodeType.Source), with `max_loaded_at`, `snapshotted_at` (aware datetimes) and `age`; Elementary
// and dbt_artifacts upload them. Before, tsdbt's freshness hooks got an empty `results`.
import { afterAll, describe, expect, it } from 'vitest';
import { createInvocation } from '../../src/app/invocation.js';
import { sourceFreshnessCommand } from '../../src/app/source-freshness.js';
import { warehouseProject } from '../support/warehouse-project.js';

describe('on-run-end results of source freshness', () => {
  const hook = [
    'create table {{ target.schema }}.fresh as',
    '{% for r in results %}',
    "select '{{ r.node.unique_id }}' as node_id, '{{ r.status.value }}' as status, '{{ r.status == 'pass' }}' as passed,",
    "  '{{ r.node.resource_type.value }}' as kind, '{{ r.node.freshness.warn_after.period.value }}' as period,",
    "  '{{ r.max_loaded_at.tzinfo is not none }}' as aware, '{{ r.age < 3600 }}' as young, '{{ r.to_dict()['node']['resource_type'] }}' as dict_kind",
    '{% endfor %}',
  ].join(' ');
  const project = warehouseProject('pglite', {
    'dbt_project.yml': `name: demo\nprofile: demo\non-run-start:\n  - "create schema if not exists {{ target.schema }}"\non-run-end:\n  - ${JSON.stringify(hook)}\n`,
    'models/sources.yml': [
      'version: 2',
      'sources:',
      '  - name: raw',
      '    schema: information_schema',
      '    freshness:',
      '      warn_after: {count: 1, period: hour}',
      '    tables:',
      '      - name: tables',
      '        loaded_at_query: "select {{ current_timestamp() }}"',
      '',
    ].join('\n'),
  });
  afterAll(() => project.cleanup());

  it('are SourceFreshnessResults with dbt enums', async () => {
    const lines: string[] = [];
    const inv = createInvocation({ projectDir: project.dir, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: project.dir } });
    expect(await sourceFreshnessCommand(inv), lines.join('\n')).toBe(0);
    const rows = await project.sql(`select * from "${project.schema}".fresh`);
    expect(rows).toEqual([{ node_id: 'source.demo.raw.tables', status: 'pass', passed: 'True', kind: 'source', period: 'hour', aware: 'True', young: 'True', dict_kind: 'source' }]);
  });
});

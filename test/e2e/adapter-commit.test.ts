// dbt's adapter.commit() in templates (docs: reference/dbt-jinja-functions/adapter): commits the
// transaction open on the node's connection, as packages such as dbt-data-reliability call it
// after the statements they want kept; with no transaction open it does nothing.
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';
import { queryProjectPglite } from '../support/pglite-query.js';

const FILES: Record<string, string> = {
  'dbt_project.yml': MINIMAL_PROJECT_YML,
  'models/orders.sql': 'select 1 as id\n',
  'macros/audit.sql': [
    '{% macro record_audit(commit_it) %}',
    "  {% do run_query('create schema if not exists ' ~ target.schema) %}",
    "  {% do run_query('begin') %}",
    "  {% do run_query('create table ' ~ target.schema ~ '.audit_' ~ commit_it ~ ' as select 42 as answer') %}",
    '  {% if commit_it %}{% do adapter.commit() %}{% endif %}',
    "  {% do run_query('rollback') %}",
    '{% endmacro %}',
    '{% macro commit_with_nothing_open() %}',
    '  {% do adapter.commit() %}',
    "  {{ print('still here') }}",
    '{% endmacro %}',
  ].join('\n'),
};

const query = queryProjectPglite;

describe('adapter.commit()', () => {
  const dir = testdir(FILES);
  afterAll(() => removeDir(dir));

  it('commits what a macro did in its transaction: a later rollback no longer undoes it', async () => {
    const kept = await runTsdbt(['run-operation', 'record_audit', '--project-dir', dir, '--args', '{commit_it: true}']);
    expect(kept.code, kept.stdout + kept.stderr).toBe(0);
    const undone = await runTsdbt(['run-operation', 'record_audit', '--project-dir', dir, '--args', '{commit_it: false}']);
    expect(undone.code, undone.stdout + undone.stderr).toBe(0);
    expect(await query(dir, 'select answer from analytics.audit_true')).toEqual([{ answer: 42 }]);
    expect(await query(dir, "select table_name from information_schema.tables where table_name = 'audit_false'")).toEqual([]);
  });

  it('does nothing when no transaction is open', async () => {
    const result = await runTsdbt(['--quiet', 'run-operation', 'commit_with_nothing_open', '--project-dir', dir]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toBe('still here\n');
  });
});

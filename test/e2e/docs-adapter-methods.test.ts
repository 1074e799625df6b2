// dbt's `adapter` page, its deprecated methods: dbt-adapters marks already_exists and
// get_columns_in_table `@available.deprecated`, so each call still answers but first fires
// AdapterDeprecationWarning (D005), which --warn-error makes an error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTsdbt, type CliResult } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const PROBE = [
  '{% macro probe() %}',
  "  {{ print('exists: ' ~ adapter.already_exists(target.schema, 'src_tbl')) }}",
  "  {{ print('missing: ' ~ adapter.already_exists(target.schema, 'nope')) }}",
  "  {{ print('columns: ' ~ (adapter.get_columns_in_table(target.schema, 'src_tbl') | map(attribute='name') | join(','))) }}",
  '{% endmacro %}',
  '',
].join('\n');

describe('adapter.already_exists and adapter.get_columns_in_table', () => {
  let dir: string;
  let result: CliResult;
  let strict: CliResult;
  beforeAll(async () => {
    dir = testdir({
      'dbt_project.yml': 'name: a\nprofile: a\n',
      'models/src_tbl.sql': "{{ config(materialized='table') }}\nselect 1 as id, 'x' as name",
      'macros/probe.sql': PROBE,
    });
    const run = await runTsdbt(['run', '--project-dir', dir]);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    result = await runTsdbt(['run-operation', 'probe', '--project-dir', dir]);
    strict = await runTsdbt(['run-operation', 'probe', '--warn-error', '--project-dir', dir]);
  });
  afterAll(() => removeDir(dir));

  it('answer as before, each call after dbt-adapters\' deprecation warning', () => {
    expect(result.code, result.stderr + result.stdout).toBe(0);
    const lines = result.stdout.split('\n').map((l) => l.replace(/^\d\d:\d\d:\d\d {2}/, ''));
    expect(lines).toContain('exists: True');
    expect(lines).toContain('missing: False');
    expect(lines).toContain('columns: id,name');
    const warned = (name: string, replacement: string) =>
      lines.filter((l) => l === `The adapter function \`adapter.${name}\` is deprecated and will be removed in a future release of dbt. Please use \`adapter.${replacement}\` instead. `).length;
    expect(warned('already_exists', 'get_relation')).toBe(2);
    expect(warned('get_columns_in_table', 'get_columns_in_relation')).toBe(1);
    expect(lines.indexOf('exists: True')).toBeGreaterThan(lines.findIndex((l) => l.includes('`adapter.already_exists`')));
  });

  it('stop with --warn-error', () => {
    expect(strict.code).not.toBe(0);
    expect(strict.stdout + strict.stderr).toContain('AdapterDeprecationWarning');
    expect(strict.stdout).not.toContain('exists: True');
  });
});

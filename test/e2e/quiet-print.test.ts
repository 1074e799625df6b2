// dbt's --quiet / -q (docs: reference/global-configs/logs, "Suppress non-error logs in output"),
// the Jinja print() function (docs: reference/dbt-jinja-functions/print) and --no-print
// (reference/global-configs/print-output): print() writes its text as is to stdout, also under
// --quiet, so `tsdbt --quiet run-operation generate_x > file.yml` writes exactly what was printed.
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';
import { jsonLogEvents } from '../support/json-log.js';

const FILES: Record<string, string> = {
  'dbt_project.yml': MINIMAL_PROJECT_YML,
  'models/orders.sql': 'select 1 as id\n',
  'macros/gen.sql': [
    '{% macro gen_source(name, tables) %}',
    "  {{ log('generating ' ~ name, info=True) }}",
    "  {% set lines = ['version: 2', 'sources:', '  - name: ' ~ name, '    tables:'] %}",
    "  {% for t in tables %}{% do lines.append('      - name: ' ~ t) %}{% endfor %}",
    "  {% do print(lines | join('\\n')) %}",
    '{% endmacro %}',
    '{% macro profile_rows() %}',
    "  {% do log('debug only', info=False) %}",
    "  {% do run_query(\"select 1 as id, 'a' as label\").print_table() %}",
    '{% endmacro %}',
    '{% macro fail_loudly() %}',
    "  {{ exceptions.raise_compiler_error('nope') }}",
    '{% endmacro %}',
  ].join('\n'),
};

const YAML_OUT = 'version: 2\nsources:\n  - name: raw\n    tables:\n      - name: orders\n      - name: payments\n';

describe('--quiet, print() and --no-print', () => {
  const dir = testdir(FILES);
  afterAll(() => removeDir(dir));
  const op = (pre: string[], post: string[] = []) => runTsdbt([...pre, 'run-operation', 'gen_source', '--project-dir', dir, '--args', '{name: raw, tables: [orders, payments]}', ...post]);

  it('tsdbt --quiet run-operation: stdout is exactly the printed text (no timestamps, no log lines)', async () => {
    const result = await op(['--quiet']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(YAML_OUT);
  });

  it('-q after the subcommand, and DBT_QUIET, do the same', async () => {
    const short = await op([], ['-q']);
    expect(short.stdout).toBe(YAML_OUT);
    const env = await runTsdbt(['run-operation', 'gen_source', '--project-dir', dir, '--args', '{name: raw, tables: [orders, payments]}'], { env: { DBT_QUIET: 'true' } });
    expect(env.stdout).toBe(YAML_OUT);
  });

  it('without --quiet, log lines keep their timestamp and print() lines have none', async () => {
    const result = await op([]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^\d\d:\d\d:\d\d {2}generating raw$/m);
    expect(result.stdout).toContain(`\n${YAML_OUT}`);
  });

  it('with --log-format json, print() output is a PrintEvent line', async () => {
    const result = await op(['--quiet'], ['--log-format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const events = jsonLogEvents(result.stdout.trim());
    expect(events).toEqual([expect.objectContaining({ name: 'PrintEvent', code: 'Z052', msg: YAML_OUT.trimEnd(), data: { msg: YAML_OUT.trimEnd() } })]);
  });

  it('--no-print drops print() output', async () => {
    const result = await op(['--quiet', '--no-print']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
  });

  // agate's print_table() writes to sys.stdout itself, not through dbt's logger: no timestamps,
  // and still there under --quiet, so `dbt -q run-operation print_profile_docs > x.md` (as
  // data-mie/dbt-profiler's update-relation-profile.sh does) captures the table.
  it('print_table() writes its table as is, also under --quiet', async () => {
    const table = '| id | label |\n| -- | ----- |\n|  1 | a     |\n';
    for (const pre of [['--quiet'], []]) {
      const result = await runTsdbt([...pre, 'run-operation', 'profile_rows', '--project-dir', dir]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout.endsWith(table), result.stdout).toBe(true);
      if (pre.length) expect(result.stdout).toBe(table);
    }
  });

  it('--quiet still shows errors', async () => {
    const result = await runTsdbt(['--quiet', 'run-operation', 'fail_loudly', '--project-dir', dir]);
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toContain('macros/gen.sql:12: nope');
  });

  it('--quiet run prints nothing for a passing build', async () => {
    const result = await runTsdbt(['run', '--quiet', '--project-dir', dir]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
  });
});

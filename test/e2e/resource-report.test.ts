// dbt's ResourceReport (Z051) ends every command (dbt/cli/requires.py's postflight): at debug
// level, at info level with --show-resource-report or DBT_SHOW_RESOURCE_REPORT, with the command's
// name and success and the process's resource usage (dbt-postgres's test_events.py).
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

const PROFILES = ['demo:', '  target: dev', '  outputs:', '    dev:', '      type: pglite', '      path: memory', '      schema: report', ''].join('\n');

interface JsonLine {
  info: { name: string; level: string; msg: string; code: string };
  data: Record<string, unknown>;
}

describe('ResourceReport', () => {
  const dir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, 'profiles.yml': PROFILES, 'models/m.sql': 'select 1 as id\n' });
  const env = { HOME: dir, DBT_PROFILES_DIR: '' };
  afterAll(() => removeDir(dir));
  /** The ResourceReport lines of `tsdbt <args> --log-format json --debug`. */
  const reports = async (args: string[], extraEnv: Record<string, string> = {}) => {
    const result = await runTsdbt([...args, '--project-dir', dir, '--log-format', 'json', '--debug'], { env: { ...env, ...extraEnv } });
    const lines = result.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as JsonLine);
    return { code: result.code, lines: lines.filter((l) => l.info.name === 'ResourceReport'), last: lines.at(-1)?.info.name };
  };

  it('ends a command at debug level with its name, success and resource usage', async () => {
    const { code, lines, last } = await reports(['run']);
    expect(code).toBe(0);
    expect(last).toBe('ResourceReport');
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line?.info).toMatchObject({ level: 'debug', code: 'Z051' });
    expect(line?.data).toMatchObject({ command_name: 'run', command_success: true });
    expect(Object.keys(line?.data ?? {}).sort()).toEqual(['command_name', 'command_success', 'command_wall_clock_time', 'process_in_blocks', 'process_kernel_time', 'process_mem_max_rss', 'process_out_blocks', 'process_user_time']);
    // The proto's int64 fields are strings in dbt's JSON; the times are seconds.
    expect(line?.data.process_mem_max_rss).toMatch(/^[1-9]\d*$/);
    expect(typeof line?.data.process_user_time).toBe('number');
    expect(line?.info.msg).toMatch(/^Resource report: \{"command_name": "run", "command_success": true, "command_wall_clock_time": [\d.e-]+, "process_user_time"/);
  });

  it('is at info level with DBT_SHOW_RESOURCE_REPORT or --show-resource-report, and reports a failed command', async () => {
    expect((await reports(['parse'], { DBT_SHOW_RESOURCE_REPORT: '1' })).lines.map((l) => [l.info.level, l.data.command_name])).toEqual([['info', 'parse']]);
    expect((await reports(['--show-resource-report', 'compile'])).lines.map((l) => l.info.level)).toEqual(['info']);
    const failed = await reports(['run', '--select', 'nothing_named_so', '--warn-error']);
    expect(failed.lines.map((l) => [l.data.command_name, l.data.command_success])).toEqual([['run', false]]);
  });
});

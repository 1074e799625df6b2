// dbt's JSON log line (docs: reference/events-logging, "Structured logging"): every line has the
// same two top-level keys, `info` (category, code, extra, invocation_id, level, msg, name, pid,
// thread, ts) and `data` (the event's own fields), written as dbt_common's _JsonLogger writes it
// (Python's json.dumps with sort_keys).
import { describe, expect, it } from 'vitest';
import { jsonLogLine, pythonJson } from './json-log-line.js';
import { Logger } from './logger.js';

const TS = new Date('2026-11-28T03:18:29.373Z');

function jsonLogger(env: NodeJS.ProcessEnv = {}): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = new Logger({ format: 'json', debug: true, write: (l) => lines.push(l), env, now: () => TS, invocationId: 'inv-1' });
  return { logger, lines };
}

describe("dbt's JSON log line", () => {
  it('has info and data, info with every EventInfo field, keys sorted and spaced as Python writes them', () => {
    const line = jsonLogLine({ name: 'StatsLine', level: 'info', msg: 'Done.', invocationId: 'inv-1', extra: { team: 'data' }, thread: 'MainThread', ts: TS, pid: 42 }, { stats: { warn: 0, error: 1 } });
    expect(line).toBe(
      '{"data": {"stats": {"error": 1, "warn": 0}}, "info": {"category": "", "code": "Z023", "extra": {"team": "data"}, "invocation_id": "inv-1", "level": "info", "msg": "Done.", "name": "StatsLine", "pid": 42, "thread": "MainThread", "ts": "2026-11-28T03:18:29.373Z"}}',
    );
  });

  it('escapes text past ASCII as Python json.dumps does', () => {
    expect(pythonJson({ msg: 'café ✓ "q"' })).toBe('{"msg": "caf\\u00e9 \\u2713 \\"q\\""}');
  });

  it("names a blank line dbt's Formatting, an unnamed one Note, and gives tsdbt's own events codes that cannot be dbt's", () => {
    const { logger, lines } = jsonLogger({ DBT_ENV_CUSTOM_ENV_run_by: 'airflow' });
    logger.info('');
    logger.info('Parsed the project');
    logger.info('Loaded 10 rows', 'LoaderProgress', { loaded: 10 });
    logger.warn('careful');
    const events = lines.map((l) => JSON.parse(l) as { info: Record<string, unknown>; data: Record<string, unknown> });
    expect(events.map((e) => [e.info.name, e.info.code, e.info.level, e.data])).toEqual([
      ['Formatting', 'Z017', 'info', { msg: '' }],
      ['Note', 'Z050', 'info', { msg: 'Parsed the project' }],
      ['LoaderProgress', expect.stringMatching(/^TS\d{3}$/), 'info', { loaded: 10 }],
      ['Note', 'Z050', 'warn', { msg: 'careful' }],
    ]);
    for (const e of events) {
      expect(e.info).toMatchObject({ invocation_id: 'inv-1', extra: { run_by: 'airflow' }, thread: 'MainThread', pid: process.pid, category: '', ts: '2026-11-28T03:18:29.373Z' });
    }
  });

  it('scrubs secrets from the whole line, data included', () => {
    const { logger, lines } = jsonLogger({ DBT_ENV_SECRET_TOKEN: 'hunter2' });
    logger.info('token hunter2', 'JinjaLogInfo', { extra_field: 'hunter2' });
    expect(lines[0]).not.toContain('hunter2');
    expect(JSON.parse(lines[0] as string)).toMatchObject({ info: { msg: 'token *****' }, data: { msg: 'token *****', extra_field: '*****' } });
  });
});

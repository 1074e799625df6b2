// dbt.log (log-file.ts and the logger's file side): every level down to debug by default, dbt's
// debug-format lines with no colour codes, a header per invocation, lines logged before the
// project said where the file goes, JSON lines, `--log-level-file none`, and rotation as dbt's
// RotatingFileHandler (dbt.log.1 ... dbt.log.5).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { debugTime, LogFile } from './log-file.js';
import { Logger } from './logger.js';

const dirs: string[] = [];
const tmp = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-log-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const at = new Date('2026-11-25T14:03:01.123Z');
const logger = (options: Partial<ConstructorParameters<typeof Logger>[0]> = {}) => new Logger({ format: 'text', debug: false, write: () => undefined, now: () => at, invocationId: 'inv-1', color: true, ...options });

describe('dbt.log', () => {
  it('gets every line down to debug, in dbt debug format, without colours, the early ones too', () => {
    const dir = tmp();
    const log = logger();
    log.info('before the project loaded');
    log.attachLogFile({ dir, format: 'debug', maxBytes: 0 });
    expect(log.recordsDebug).toBe(true);
    log.debug('On model.p.m: create table x as (select 1)');
    log.warn('careful');
    log.error('two\nlines');
    log.closeLogFile();
    expect(readFileSync(path.join(dir, 'dbt.log'), 'utf8').split('\n')).toEqual([
      '',
      '',
      `${'='.repeat(30)} 14:03:01.123000 | inv-1 ${'='.repeat(30)}`,
      '14:03:01.123000 [info ] [MainThread]: before the project loaded',
      '14:03:01.123000 [debug] [MainThread]: On model.p.m: create table x as (select 1)',
      '14:03:01.123000 [warn ] [MainThread]: careful',
      '14:03:01.123000 [error] [MainThread]: two',
      '14:03:01.123000 [error] [MainThread]: lines',
      '',
    ]);
  });

  it('appends, writes JSON lines when asked, and none at all with --log-level-file none', () => {
    const dir = tmp();
    const first = logger({ fileLevel: 'info' });
    first.attachLogFile({ dir, format: 'json', maxBytes: 0 });
    first.debug('not wanted');
    first.info('kept', 'FoundStats', { stat_line: '1 model' });
    first.closeLogFile();
    const second = logger();
    second.attachLogFile({ dir, format: 'json', maxBytes: 0 });
    second.info('again');
    second.closeLogFile();
    const lines = readFileSync(path.join(dir, 'dbt.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { info: Record<string, unknown>; data: unknown });
    expect(lines.map((l) => [l.info.level, l.info.name, l.info.code, l.info.msg])).toEqual([
      ['info', 'FoundStats', 'W006', 'kept'],
      ['info', 'Note', 'Z050', 'again'],
    ]);
    expect(lines.map((l) => l.data)).toEqual([{ stat_line: '1 model' }, { msg: 'again' }]);

    const none = tmp();
    const off = logger({ fileLevel: 'none' });
    expect(off.recordsDebug).toBe(false);
    off.attachLogFile({ dir: none, format: 'debug', maxBytes: 0 });
    off.info('nothing');
    expect(existsSync(path.join(none, 'dbt.log'))).toBe(false);
  });

  it('rotates past the size limit, keeping five old files', () => {
    const dir = tmp();
    const file = new LogFile({ dir, format: 'debug', maxBytes: 20 });
    for (let i = 0; i < 8; i++) file.write(`line number ${i}..`); // 16 bytes each with the newline: one per file
    file.close();
    expect(readFileSync(path.join(dir, 'dbt.log'), 'utf8')).toBe('line number 7..\n');
    expect(readFileSync(path.join(dir, 'dbt.log.1'), 'utf8')).toBe('line number 6..\n');
    expect(readFileSync(path.join(dir, 'dbt.log.5'), 'utf8')).toBe('line number 2..\n');
    expect(existsSync(path.join(dir, 'dbt.log.6'))).toBe(false);
  });

  it("keeps an event's lines together when it rotates (a record is never split, as with dbt's RotatingFileHandler)", () => {
    const dir = tmp();
    const log = logger();
    log.attachLogFile({ dir, format: 'debug', maxBytes: 230 });
    log.info('first'); // with the 95-byte header: 139 bytes
    log.debug('On model.p.m: create table x as (\nselect 1\n)'); // 72 + 47 + 40 bytes: its second line passes 230
    log.closeLogFile();
    expect(readFileSync(path.join(dir, 'dbt.log'), 'utf8').split('\n')).toEqual([
      '14:03:01.123000 [debug] [MainThread]: On model.p.m: create table x as (',
      '14:03:01.123000 [debug] [MainThread]: select 1',
      '14:03:01.123000 [debug] [MainThread]: )',
      '',
    ]);
    expect(readFileSync(path.join(dir, 'dbt.log.1'), 'utf8')).toMatch(/\]: first\n$/);
  });

  it('writes the records logged before the process waits together, in the check phase: after the promise callbacks that send statements', async () => {
    const dir = tmp();
    const file = new LogFile({ dir, format: 'debug', maxBytes: 0 });
    const dbtLog = path.join(dir, 'dbt.log');
    file.write('START m1');
    file.writeLater(() => 'On model.p.m1: create view x as (select 1)');
    expect(readFileSync(dbtLog, 'utf8')).toBe(''); // not yet: one write in the check phase
    await Promise.resolve(); // a node's statements are sent in promise callbacks like this one: before the write
    expect(readFileSync(dbtLog, 'utf8')).toBe('');
    await new Promise((resolve) => setImmediate(resolve)); // the check phase, before the process waits on anything
    expect(readFileSync(dbtLog, 'utf8')).toBe('START m1\nOn model.p.m1: create view x as (select 1)\n');
    file.write('OK m1');
    file.close(); // close writes what waits
    expect(readFileSync(dbtLog, 'utf8')).toBe('START m1\nOn model.p.m1: create view x as (select 1)\nOK m1\n');
  });

  it('heads each line with the time it was logged at, not the time it was written at', async () => {
    const dir = tmp();
    let now = new Date('2026-11-25T14:03:01.123Z');
    const log = logger({ now: () => now });
    log.attachLogFile({ dir, format: 'debug', maxBytes: 0 });
    log.debug('On model.p.m: create table x as (\nselect 1\n)');
    now = new Date('2026-11-25T14:03:02.456Z');
    log.info('OK m');
    now = new Date('2026-11-25T14:03:09.000Z'); // the write comes later still
    await new Promise((resolve) => setImmediate(resolve));
    expect(readFileSync(path.join(dir, 'dbt.log'), 'utf8').split('\n').slice(3)).toEqual([
      '14:03:01.123000 [debug] [MainThread]: On model.p.m: create table x as (',
      '14:03:01.123000 [debug] [MainThread]: select 1',
      '14:03:01.123000 [debug] [MainThread]: )',
      '14:03:02.456000 [info ] [MainThread]: OK m',
      '',
    ]);
    log.closeLogFile();
  });

  it('writes what waits when the process exits in the same stretch (process.exit right after a log line)', () => {
    const dir = tmp();
    const module = path.join(path.dirname(fileURLToPath(import.meta.url)), 'log-file.ts');
    const script = `const { LogFile } = await import(${JSON.stringify(module)}); const f = new LogFile({ dir: ${JSON.stringify(dir)}, format: 'debug', maxBytes: 0 }); f.write('last words'); process.exit(3);`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.status).toBe(3);
    expect(readFileSync(path.join(dir, 'dbt.log'), 'utf8')).toBe('last words\n');
  });

  it('formats each time as dbt does, the same millisecond twice and then the next', () => {
    expect(debugTime(new Date('2026-11-25T14:03:01.123Z'))).toBe('14:03:01.123000');
    expect(debugTime(new Date('2026-11-25T14:03:01.123Z'))).toBe('14:03:01.123000');
    expect(debugTime(new Date('2026-11-25T14:03:01.124Z'))).toBe('14:03:01.124000');
    expect(debugTime(new Date('2026-11-26T09:00:00.000Z'))).toBe('09:00:00.000000');
  });
});

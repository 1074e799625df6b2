// dbt's log flags (docs: reference/global-configs/logs): --log-level sets the console's and
// dbt.log's level, --log-level-file dbt.log's alone; --log-format sets both formats, --log-format-file
// the file's alone; `text` is plain lines, `debug` dbt's debug lines (time, level, thread), which
// dbt.log has by default; --debug puts dbt.log at debug whatever its level says.
import type { ProjectConfig } from '../config/index.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { logSettings } from './log-settings.js';
import { invocationArgs } from './flags-context.js';
import { createInvocation } from './invocation.js';
import { Logger } from './logger.js';

describe("dbt's log flags", () => {
  it('the file follows --log-level and --log-format unless its own flags are given', () => {
    expect(logSettings({})).toEqual({ flags: { LOG_FORMAT: 'default', LOG_FORMAT_FILE: 'debug', LOG_LEVEL: 'info', LOG_LEVEL_FILE: 'debug' }, console: 'text', file: 'debug', fileLevel: 'debug', consoleLevel: 'info', debug: false });
    expect(logSettings({ logLevel: 'warn' })).toMatchObject({ fileLevel: 'warn', flags: { LOG_LEVEL: 'warn', LOG_LEVEL_FILE: 'warn' } });
    expect(logSettings({ logLevel: 'warn', logLevelFile: 'info' }).fileLevel).toBe('info');
    expect(logSettings({ logLevel: 'none' }).fileLevel).toBe('none');
    expect(logSettings({ logLevelFile: 'error', debug: true }).fileLevel).toBe('debug');
    expect(logSettings({ logLevelFile: 'none', debug: true }).fileLevel).toBe('none');
    expect(logSettings({ logFormat: 'json' })).toMatchObject({ console: 'json', file: 'json' });
    expect(logSettings({ logFormat: 'text' })).toMatchObject({ console: 'text', file: 'text' });
    expect(logSettings({ logFormat: 'debug', logFormatFile: 'json' })).toMatchObject({ console: 'debug', file: 'json' });
    expect(logSettings({ logFormat: 'default' })).toMatchObject({ console: 'text', file: 'debug' });
  });
});

describe('text lines in each of dbt\'s formats', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const at = new Date('2026-11-25T14:03:01.123Z');

  it("--log-format debug prints dbt's debug lines, with the node's thread; --log-format-file text writes plain lines and no header", () => {
    const printed: string[] = [];
    const logger = new Logger({ format: 'text', debugLines: true, debug: false, write: (l) => printed.push(l), now: () => at, invocationId: 'inv-1', color: false });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-log-'));
    dirs.push(dir);
    logger.attachLogFile({ dir, format: 'text', maxBytes: 0 });
    logger.info('Found 1 model');
    const node = { unique_id: 'model.p.m', resource_type: 'model', name: 'm', path: 'm.sql', config: {} } as unknown as Parameters<Logger['nodes']['started']>[0];
    logger.nodes.started(node, at, 'Thread-1');
    logger.emit({ level: 'error', name: 'RunResultError', message: '  boom', node: 'model.p.m' });
    logger.closeLogFile();
    expect(printed).toEqual(['14:03:01.123000 [info ] [MainThread]: Found 1 model', '14:03:01.123000 [error] [Thread-1  ]:   boom']);
    expect(readFileSync(path.join(dir, 'dbt.log'), 'utf8')).toBe('14:03:01  Found 1 model\n14:03:01    boom\n');
  });
});

describe("dbt_project.yml's flags", () => {
  it('set the log flags no flag or env var set', () => {
    const project = { log_format: 'json', log_level: 'warn', log_level_file: 'info' };
    expect(logSettings({}, project)).toMatchObject({ console: 'json', file: 'json', consoleLevel: 'warn', fileLevel: 'info', flags: { LOG_FORMAT: 'json', LOG_LEVEL: 'warn' } });
    expect(logSettings({ logFormat: 'text', logLevel: 'error' }, project)).toMatchObject({ console: 'text', file: 'text', consoleLevel: 'error', fileLevel: 'info' });
    expect(logSettings({}, { debug: true })).toMatchObject({ consoleLevel: 'debug', fileLevel: 'debug', debug: true });
    expect(logSettings({}, { log_level: 'loud' }).consoleLevel).toBe('info');
  });

  it('reach a logger before dbt.log is attached: waiting lines below the file level are dropped', () => {
    const printed: string[] = [];
    const at = new Date('2026-11-25T14:03:01.123Z');
    const logger = new Logger({ format: 'text', debug: false, write: (l) => printed.push(l), now: () => at, invocationId: 'inv-1', color: false });
    logger.debug('early debug');
    logger.info('early info');
    logger.useSettings(logSettings({}, { log_format: 'json', log_level_file: 'info' }));
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-log-'));
    try {
      logger.attachLogFile({ dir, format: 'json', maxBytes: 0 });
      logger.info('later', 'FoundStats', { stat_line: '1 model' });
      logger.closeLogFile();
      expect(printed[0]).toBe('14:03:01  early info');
      expect(JSON.parse(printed[1] as string)).toMatchObject({ info: { name: 'FoundStats', msg: 'later' } });
      const file = readFileSync(path.join(dir, 'dbt.log'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { info: { msg: string } }).info.msg);
      expect(file).toEqual(['early info', 'later']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("invocation_args_dict's log flags", () => {
  it('has each with its value, as dbt keeps every flag that is not None', () => {
    const inv = createInvocation({ env: {}, cwd: os.tmpdir(), logLevel: 'warn', write: () => undefined });
    expect(invocationArgs(inv, { flags: {}, logPath: 'logs' } as unknown as ProjectConfig, {})).toMatchObject({ log_level: 'warn', log_level_file: 'warn', log_format: 'default', log_format_file: 'debug', use_colors: true, use_colors_file: true, printer_width: 80, log_file_max_bytes: 10485760 });
  });
});

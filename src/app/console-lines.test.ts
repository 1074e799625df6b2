// The console's lines (console-lines.ts): written in the check phase, after the promise callbacks
// that send a node's statements, in the order logged, each stream's consecutive lines in one write;
// at once on a terminal; before anything written directly once flushed.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { consoleLine, flushConsoleLines, type ConsoleStream } from './console-lines.js';
import { Logger } from './logger.js';

/** A stream recording each write, into `writes` shared by several streams (to see their order). */
const recorder = (name: string, writes: string[], isTTY = false): ConsoleStream => ({ isTTY, write: (text: string) => writes.push(`${name}:${text}`) });
const checkPhase = () => new Promise((resolve) => setImmediate(resolve));

describe('console lines', () => {
  it("writes a node's OK line and the next node's START line together, once the promise callbacks that send its statements ran", async () => {
    const writes: string[] = [];
    const stdout = recorder('out', writes);
    const stderr = recorder('err', writes);
    consoleLine(stdout, '1 of 2 OK created sql view model s.a');
    consoleLine(stdout, '2 of 2 START sql view model s.b');
    await Promise.resolve(); // where the next node's statements are sent
    expect(writes).toEqual([]);
    consoleLine(stderr, 'a warning');
    consoleLine(stdout, 'after the warning');
    await checkPhase();
    expect(writes).toEqual(['out:1 of 2 OK created sql view model s.a\n2 of 2 START sql view model s.b\n', 'err:a warning\n', 'out:after the warning\n']);
  });

  it('writes to a terminal at once, after the lines waiting; flushConsoleLines writes them before a direct write', async () => {
    const writes: string[] = [];
    const pipe = recorder('pipe', writes);
    const terminal = recorder('tty', writes, true);
    consoleLine(pipe, 'first');
    consoleLine(terminal, 'second');
    expect(writes).toEqual(['pipe:first\n', 'tty:second\n']);
    consoleLine(pipe, 'logged before a fatal error');
    flushConsoleLines();
    writes.push('err:the fatal error, written directly');
    await checkPhase();
    expect(writes.slice(2)).toEqual(['pipe:logged before a fatal error\n', 'err:the fatal error, written directly']);
  });

  it("is where a logger's lines go by default: process.stdout in the check phase", async () => {
    const written: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    const tty = process.stdout.isTTY;
    Object.defineProperty(process.stdout, 'isTTY', { value: false, configurable: true });
    process.stdout.write = ((text: string) => written.push(text) > 0);
    try {
      const logger = new Logger({ format: 'text', debug: false, color: false, now: () => new Date('2026-11-28T10:00:00Z'), fileLevel: 'none' });
      logger.info('1 of 1 START sql table model s.m');
      logger.info('1 of 1 OK created sql table model s.m');
      expect(written).toEqual([]);
      await checkPhase();
      expect(written).toEqual(['10:00:00  1 of 1 START sql table model s.m\n10:00:00  1 of 1 OK created sql table model s.m\n']);
    } finally {
      process.stdout.write = original;
      Object.defineProperty(process.stdout, 'isTTY', { value: tty, configurable: true });
    }
  });

  it('prints what waits when the process exits in the same stretch (process.exit right after a log line)', () => {
    const module = path.join(path.dirname(fileURLToPath(import.meta.url)), 'logger.ts');
    const script = `const { Logger } = await import(${JSON.stringify(module)}); const l = new Logger({ format: 'text', debug: false, color: false, fileLevel: 'none', now: () => new Date('2026-11-28T10:00:00Z') }); l.info('last words'); l.error('and an error'); process.exit(3);`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.status).toBe(3);
    expect(run.stdout).toBe('10:00:00  last words\n10:00:00  and an error\n');
  });
});

import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { exitWhenIdle, type ExitingProcess } from './exit-when-idle.js';

/** A process whose exit() is recorded. */
function fakeProcess(): { proc: ExitingProcess; emitter: EventEmitter; exits: (number | string | null | undefined)[] } {
  const emitter = new EventEmitter();
  const exits: (number | string | null | undefined)[] = [];
  const proc = Object.assign(emitter, { exit: (code?: number | string | null) => void exits.push(code) }) as unknown as ExitingProcess;
  return { proc, emitter, exits };
}

describe('exitWhenIdle', () => {
  it('calls process.exit() (which keeps process.exitCode) once the event loop is empty', () => {
    const { proc, emitter, exits } = fakeProcess();
    exitWhenIdle(proc);
    expect(exits).toEqual([]);
    emitter.emit('beforeExit', 0);
    expect(exits).toEqual([undefined]);
  });

  it('leaves the process to end by itself where another beforeExit listener may start more work', () => {
    const { proc, emitter, exits } = fakeProcess();
    exitWhenIdle(proc);
    const other: unknown[] = [];
    emitter.on('beforeExit', (code) => other.push(code));
    emitter.emit('beforeExit', 0);
    expect(exits).toEqual([]);
    expect(other).toEqual([0]);
  });
});

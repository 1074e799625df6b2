import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createPrompter } from './prompts.js';

function streams(tty: boolean) {
  const input = Object.assign(new PassThrough(), { isTTY: tty });
  const output = new PassThrough();
  let shown = '';
  output.on('data', (d: Buffer) => (shown += d.toString()));
  return { input, output, shown: () => shown };
}

describe('prompts over injected streams', () => {
  it('buffers piped lines that arrive before their question; defaults fill empty answers; checks re-ask', async () => {
    const s = streams(false);
    s.input.end('\nabc\n7\ny\n');
    const p = createPrompter(s);
    expect(await p.ask('host', { default: 'localhost' })).toBe('localhost');
    expect(await p.ask('port', { check: (a) => (/^\d+$/.test(a) ? null : 'a number please') })).toBe('7');
    expect(await p.confirm('Overwrite?')).toBe(true);
    p.close();
    expect(s.shown()).toBe('host [localhost]: port: a number please\nport: Overwrite? [y/N]: ');
  });

  it('on a terminal a hidden answer is not echoed; others are', async () => {
    const s = streams(true);
    const p = createPrompter(s);
    const user = p.ask('user');
    s.input.write('alice\r');
    expect(await user).toBe('alice');
    const password = p.ask('password', { hidden: true });
    s.input.write('s3cret\r');
    expect(await password).toBe('s3cret');
    p.close();
    expect(s.shown()).toContain('alice');
    expect(s.shown()).not.toContain('s3cret');
  });

  it('input that ends before the answers is an error naming the way out', async () => {
    const s = streams(false);
    s.input.end('');
    const p = createPrompter(s);
    await expect(p.ask('user')).rejects.toThrow('the input ended before every question was answered');
    p.close();
  });
});

// Questions on a terminal (node:readline/promises) over streams the caller gives, so tests drive
// them through a pipe. Lines are read through one async iterator, which buffers lines that arrive
// before their question (piped input comes all at once). Hidden answers (passwords) are not echoed
// on a terminal.
import { createInterface, type Interface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { TsdbtError } from '../errors/tsdbt-error.js';

export interface PromptStreams {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream;
}

export interface Prompter {
  /** Asks `text`; an empty answer is `dflt` (shown in brackets) when there is one, else asked again. */
  ask(text: string, options?: { default?: string; hidden?: boolean; check?: (answer: string) => string | null }): Promise<string>;
  /** `[y/N]`: true only for y / yes. */
  confirm(text: string): Promise<boolean>;
  close(): void;
}

export function createPrompter(streams: PromptStreams): Prompter {
  let muted = false;
  const terminal = Boolean(streams.input.isTTY);
  // On a terminal readline echoes keystrokes through its output: muting it hides a password.
  const echo = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      if (!muted) streams.output.write(chunk);
      done();
    },
  });
  const rl: Interface = createInterface({ input: streams.input, output: echo, terminal, prompt: '' });
  const lines = rl[Symbol.asyncIterator]();
  const readLine = async (): Promise<string> => {
    const next = await lines.next();
    if (next.done) throw new TsdbtError('the input ended before every question was answered', { code: 'init-input-ended', hint: 'answer every question, or pass the answers as flags (tsdbt init --help)' });
    return String(next.value);
  };
  const prompter: Prompter = {
    async ask(text, options = {}) {
      for (;;) {
        streams.output.write(`${text}${options.default !== undefined && options.default !== '' ? ` [${options.default}]` : ''}: `);
        muted = Boolean(options.hidden) && terminal;
        let answer: string;
        try {
          answer = (await readLine()).trim();
        } finally {
          if (muted) streams.output.write('\n');
          muted = false;
        }
        if (answer === '' && options.default !== undefined) answer = options.default;
        if (answer === '' && options.default === undefined) continue;
        const problem = options.check?.(answer) ?? null;
        if (problem === null) return answer;
        streams.output.write(`${problem}\n`);
      }
    },
    async confirm(text) {
      streams.output.write(`${text} [y/N]: `);
      return /^y(es)?$/i.test((await readLine()).trim());
    },
    close() {
      rl.close();
    },
  };
  return prompter;
}

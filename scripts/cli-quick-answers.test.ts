import { describe, expect, it } from 'vitest';
import { quickAnswer } from './cli-quick-answers.js';

const answers = { version: '1.2.3\n', help80: 'Usage: tsdbt [options] [command]\n' };

describe('quickAnswer (bin.js answers --version and --help without loading the CLI)', () => {
  it('answers --version, -v, --help and -h given alone', () => {
    expect(quickAnswer(['--version'], undefined, answers)).toBe('1.2.3\n');
    expect(quickAnswer(['-v'], 120, answers)).toBe('1.2.3\n');
    expect(quickAnswer(['--help'], undefined, answers)).toBe(answers.help80);
    expect(quickAnswer(['-h'], 80, answers)).toBe(answers.help80);
  });

  it('leaves the help to commander on a terminal of another width, and every other command line', () => {
    expect(quickAnswer(['--help'], 120, answers)).toBeUndefined();
    expect(quickAnswer(['-h'], 40, answers)).toBeUndefined();
    for (const args of [[], ['run'], ['run', '--help'], ['--help', '--quiet'], ['-q', '--version'], ['help'], ['--versions']]) {
      expect(quickAnswer(args, undefined, answers), args.join(' ')).toBeUndefined();
    }
  });
});

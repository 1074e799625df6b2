#!/usr/bin/env node
// The `tsdbt` executable: runs the CLI and exits with its code.
import { flushConsoleLines } from '../app/console-lines.js';
import { reportFatal } from './error-output.js';
import { exitWhenIdle } from './exit-when-idle.js';
import { main } from './main.js';

exitWhenIdle();

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // Only a tsdbt bug gets here: reported as one, its stack only with --debug.
    const debug = process.argv.includes('--debug') || process.argv.includes('-d');
    process.exitCode = reportFatal(err, (line) => void (flushConsoleLines(), process.stderr.write(`${line}\n`)), 'text', { debug });
  },
);

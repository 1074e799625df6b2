#!/usr/bin/env node
// The `tsdbt` executable: runs the CLI and exits with its code.
import { flushConsoleLines } from '../app/console-lines.js';
import { reportFatal } from './error-output.js';
import { exitWhenIdle } from './exit-when-idle.js';
import { main } from './main.js';

exitWhenIdle();
// A reader that stops early (`tsdbt ls | head -1`) closes the pipe: what is left to print is
// dropped and the command ends as it would have, instead of Node's unhandled EPIPE and its stack.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
}

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

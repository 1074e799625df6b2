// The logger's lines for the console (stdout, stderr), written in the event loop's check phase
// (setImmediate) and at the process's exit, in the order logged, each stream's consecutive lines in
// one write. On Linux a write to a pipe or a file is synchronous, and one that wakes the reader
// (the shell's pager, a scheduler, the bench) can cost the writer its core: a `tsdbt run` wrote a
// node's OK line and the next node's START line between the node's answer and the next node's
// statements (issue 18: over a 300-model rebuild at load 15, 0.2 s of waits in those writes, 0.02 s
// with both lines written together after the statements were sent). The check phase comes after
// the promise callbacks that send them, and before the process waits on anything, so a run killed
// while it waits has printed every line logged before the wait. A terminal gets each line as it is
// logged (someone is watching, and prompts write to it directly).
// A run also writes them once each statement is handed to the warehouse (AdapterContext.
// beforeStatement): an embedded engine (PGlite, chDB) works in this thread, and the check phase
// would come only after its statement. Whatever writes to the console directly (a fatal error's
// report, a prompt) calls flushConsoleLines() first, so the lines logged before it come before it.

/** What a line is written to: process.stdout, process.stderr. */
export interface ConsoleStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

const waiting: { stream: ConsoleStream; text: string }[] = [];
let exitListener = false;

/** Writes `line` and a newline to `stream`: at once on a terminal, else in the check phase (or at exit). */
export function consoleLine(stream: ConsoleStream, line: string): void {
  if (stream.isTTY) {
    flushConsoleLines();
    stream.write(`${line}\n`);
    return;
  }
  if (waiting.length === 0) {
    setImmediate(flushConsoleLines);
    if (!exitListener) {
      exitListener = true;
      process.on('exit', flushConsoleLines);
    }
  }
  waiting.push({ stream, text: `${line}\n` });
}

/** Writes the lines waiting now, in order: one write per run of lines for the same stream. */
export function flushConsoleLines(): void {
  if (waiting.length === 0) return;
  const lines = waiting.splice(0);
  let start = 0;
  for (let i = 1; i <= lines.length; i++) {
    const stream = (lines[start] as { stream: ConsoleStream }).stream;
    if (i < lines.length && (lines[i] as { stream: ConsoleStream }).stream === stream) continue;
    stream.write(i - start === 1 ? (lines[start] as { text: string }).text : lines.slice(start, i).map((l) => l.text).join(''));
    start = i;
  }
}

// Ends the process as soon as it has nothing left to do, with its exit code. Left to end by itself,
// Node first disposes of V8's heap page by page (Heap::TearDown: ~3% of a `tsdbt run` of 300
// models, measured with perf, issue 18); process.exit() skips that and still runs the 'exit'
// listeners (the code cache is written there). 'beforeExit' comes only once the event loop is
// empty, so no write, query or worker is cut short; where another 'beforeExit' listener exists (it
// may start more work) the process is left to end by itself.

/** What exitWhenIdle needs of `process`. */
export type ExitingProcess = Pick<NodeJS.Process, 'once' | 'listenerCount' | 'exit'>;

export function exitWhenIdle(proc: ExitingProcess = process): void {
  proc.once('beforeExit', () => {
    if (proc.listenerCount('beforeExit') === 0) proc.exit();
  });
}

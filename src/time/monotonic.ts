// A monotonic clock in milliseconds, for how long something took. The global `performance` loads
// node:perf_hooks and its eight internal modules the first time it is read (~2 ms of CPU at every
// run's first statement on the loaded machine; issue 18); process.hrtime is already loaded.

/** Milliseconds since an arbitrary point, monotonic (only differences mean something), with sub-millisecond precision. */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

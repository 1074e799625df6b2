// A command's "start-up done" mark for the bundled CLI's code cache (scripts/cli-bundle-loader.ts):
// when bin.js is to write the command's cache this time, it takes V8's compiled code as it is at
// the first mark, rather than at the exit. `tsdbt parse` marks the point where it knows whether the
// last parse is current: its cache then holds what a parse with nothing changed runs, not also
// the whole parser a cold parse compiled (1.4 MB of cache against 0.5 MB), which V8 deserializes,
// all of it, at every start (~20 ms of CPU a start at load 15, issue 18); a cold parse compiles
// those functions as it reaches them instead, for no measurable difference in its time.
// Outside the bundle (sources, dist/cli) nothing is registered and a mark does nothing.

/** Where bin.js puts its mark function. */
export const CODE_CACHE_CHECKPOINT = Symbol.for('tsdbt.codeCacheCheckpoint');

/** Marks the command's start-up as done for the code cache (the first mark of a process counts). */
export function codeCacheCheckpoint(): void {
  const mark = (globalThis as Record<symbol, unknown>)[CODE_CACHE_CHECKPOINT];
  if (typeof mark === 'function') (mark as () => void)();
}

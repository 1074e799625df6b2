// A load's garbage collector settings. The loader's live heap is small (tens of MB) while it moves
// hundreds of MB through external memory (the Fetch answers its batches are read from, in place,
// until written: socket-frames.ts, record-batches.ts), which V8 counts toward the old generation's
// limit; with its default growth (the limit a little above the live size) a load of 1M events made
// 12-18 full collections of that small heap, about 1 s of CPU (the bench, bench/loader.ts: 3-4
// with the limit at 4x the live size). So a load lets the old generation grow further before the
// next full collection, unless the process was started with its own --heap-growing-percent.
// The bundled CLI sets it for `tsdbt load` before compiling (scripts/cli-v8-flags.ts), as V8
// rejects a code cache made under other flags; set here, it serves `schedule --with-loader` and
// the API, whose cache is then rejected at their next start (once for a long-lived scheduler).
import v8 from 'node:v8';

/** Where the bundled CLI's entry puts the V8 flags it set before compiling (scripts/cli-bundle-loader.ts). */
const CLI_V8_FLAGS = Symbol.for('tsdbt.v8Flags');

/** The old generation grows to (1 + this / 100) times its live size before the next full collection. */
export const LOAD_HEAP_GROWING_PERCENT = 300;

let applied = false;

/** Sets the heap's growth for a load, once per process (a flag given to node itself wins). */
export function growHeapForLoad(): void {
  if (applied) return;
  applied = true;
  const cliFlags = (globalThis as Record<symbol, unknown>)[CLI_V8_FLAGS];
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? '', typeof cliFlags === 'string' ? cliFlags : ''].some((a) => a.includes('heap-growing-percent'));
  if (!given) v8.setFlagsFromString(`--heap-growing-percent=${LOAD_HEAP_GROWING_PERCENT}`);
}

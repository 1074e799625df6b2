// The V8 flags the bundled CLI's entry (cli-bundle-loader.ts) sets for a command before cli.cjs is
// compiled: each command's code cache is made and read under its own flags.

/**
 * V8 flags for a command, or null. A cold `docs generate` of 5,000 models spent ~2 s of CPU on
 * V8's helper threads, most of it TurboFan compiling (inlining the parsers' recursive descent
 * into each optimized function); without inlining the command takes ~0.8 s (13%) less CPU and
 * its main thread is no slower (alternated runs, load 16-17: 6.44 -> 5.60 s user+sys, main thread
 * 3.51 / 3.47 s): the process is too short-lived for inlined code to pay for its compilation.
 *
 * `run` and `build` (issue 18) spend their time in a long tail of small functions a node (render,
 * statements, the driver, log lines), none hot: TurboFan optimized hundreds of them on a helper
 * thread, which on two cores competes with the warehouse's own process. An interrupt budget of
 * 4 MB (Node 20's V8: 66 KB) leaves to TurboFan only the functions that run ~60x as much.
 * Alternated runs of 300 trivial models on the PostgreSQL server at load 19-22 (CPU time of each
 * thread from its schedstat), main's build against this: process 789 -> 576 ms (lower in 5 of 5
 * pairs), main thread 534 -> 515 ms; 1,500 models: process 2.78-2.92 -> 1.90-2.09 s, main
 * thread 1.94-2.01 -> 1.81-2.00 s. 1 MB saved less (process 874 -> 702 ms); `--no-opt` saved as
 * much at 300 models but slowed the main thread of 1,500 by 8%.
 * `parse` ends as soon as its work is done: V8's GC tasks (a scavenge, and the finalization of an
 * incremental marking as a full mark-compact) ran in the event loop's last turn, after the parse
 * printed its summary and just before the process exited, for nothing (--trace-gc: "finalize
 * incremental marking via task", "Scavenge ... task"); an edit's parse at 1,000 models spent ~15%
 * of its profile there. Without the tasks, those collections happen only when allocation needs them.
 * Set before cli.cjs is compiled: V8 rejects a code cache made under other flags.
 */
export function v8Flags(command: string): string | null {
  if (command === 'docs') return '--no-turbo-inlining';
  if (command === 'run' || command === 'build') return '--interrupt-budget=4194304';
  // src/loader/heap-growth.ts' setting, given here so that `load`'s code cache is made under it
  // (set later, at the load, every start's cache was rejected and written again).
  if (command === 'load') return '--heap-growing-percent=300';
  if (command === 'parse') return '--no-incremental-marking-task --no-minor-gc-task';
  return null;
}

// Size and modification time of many files, as fs.statSync reports them, for the parse index's
// "nothing changed" check (parse-index.ts: one stat per project file, 10,000 at 10k models).
// Node 20's statSync builds a Stats object with four Date objects for every call: half the CPU
// of that loop, and most of its garbage. Node's own fs binding answers the same stat with a row of
// numbers; it is used when it is there and, checked once against statSync on a file, agrees with
// it (same size, same mtimeMs); otherwise, or where Node would warn about process.binding
// (--pending-deprecation and the like), statSync is used, as before.
// Also the file system's clock, and which stamps a parse may keep by it (`trustedStamp`).
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** A file's size and mtimeMs, or null when it does not exist. */
export type StampOf = (file: string) => [size: number, mtimeMs: number] | null;

interface FsBinding {
  stat(path: string, useBigint: false, req: undefined, throwIfNoEntry: boolean): Float64Array | undefined;
}

/** Field positions in the binding's row (Node's `kSize`, `kMtimeSec`, `kMtimeNsec`). */
const SIZE = 8;
const MTIME_SEC = 12;
const MTIME_NSEC = 13;

export const statStamp: StampOf = (file) => {
  const stat = statSync(file, { throwIfNoEntry: false });
  return stat ? [stat.size, stat.mtimeMs] : null;
};

function bindingStamp(binding: FsBinding): StampOf {
  return (file) => {
    const row = binding.stat(file, false, undefined, false);
    if (!row) return null;
    // As Node's msFromTimeSpec computes Stats.mtimeMs.
    return [row[SIZE] as number, (row[MTIME_SEC] as number) * 1e3 + (row[MTIME_NSEC] as number) / 1e6];
  };
}

/** Node's flags under which process.binding prints a deprecation warning or throws. */
const WARNING_FLAGS = /--(pending-deprecation|throw-deprecation|trace-deprecation|experimental-permission|permission)\b/;

/**
 * The binding's stamps where they agree with statSync on `probe` (a file that exists), else
 * statSync's. `load` gives the binding (tests pass another).
 */
export function chooseFileStamps(probe: string, load: () => unknown = () => (process as unknown as { binding(name: string): unknown }).binding('fs')): StampOf {
  if (WARNING_FLAGS.test([...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' '))) return statStamp;
  try {
    const binding = load() as Partial<FsBinding> | null;
    if (typeof binding?.stat !== 'function') return statStamp;
    const fast = bindingStamp(binding as FsBinding);
    const same = (a: ReturnType<StampOf>, b: ReturnType<StampOf>) => (a === null ? b === null : b !== null && a[0] === b[0] && a[1] === b[1]);
    const missing = `${probe}.tsdbt-missing`;
    if (statStamp(probe) && same(statStamp(probe), fast(probe)) && same(statStamp(missing), fast(missing))) return fast;
  } catch {
    // not this Node's binding: statSync
  }
  return statStamp;
}

let chosen: StampOf | undefined;

/** The stamp function for this process (chosen once, on the first call, with `probe`). */
export function fileStamps(probe: string): StampOf {
  return (chosen ??= chooseFileStamps(probe));
}

/** A file's size and mtime; size -1: the file did not exist (a profiles.yml candidate). */
export type Stamp = [size: number, mtimeMs: number];

/** Written to read the file system's clock (`fileSystemNow`). */
const CLOCK = 'partial_parse.clock';

/**
 * The stamp kept for a file whose stamp cannot be trusted (`trustedStamp`): it matches no file, so
 * the next parse reads the file again and compares its text (git "smudges" racily clean entries so).
 */
export const SMUDGED: Stamp = [-2, 0];

/**
 * The file system's clock now, as a modification time: the mtime of a small file written in
 * `targetDir` (-Infinity when it cannot be written). File timestamps come from a clock as coarse
 * as the kernel's tick, which never goes back: a file modified after this call gets an mtime at
 * least this one. Taken before the stamps of files that are then read (`trustedStamp`).
 */
export function fileSystemNow(targetDir: string): number {
  const file = path.join(targetDir, CLOCK);
  try {
    mkdirSync(targetDir, { recursive: true });
    writeFileSync(file, String(process.pid));
    return statSync(file).mtimeMs;
  } catch {
    return -Infinity;
  }
}

/**
 * The stamp to keep for a file stamped after `fileSystemNow` answered `now` and read after that:
 * when it was last modified before `now`, any later change gives it another mtime, so the stamp
 * is kept; modified at `now` or later (the same clock tick: an edit right before or while it was
 * read, or a clock ahead), a second edit in that tick would leave the same mtime, so the stamp is
 * smudged and the next parse compares the file's text (a SQL file's costs one read: parse-text-edit.ts).
 */
export function trustedStamp(stamp: Stamp, now: number): Stamp {
  return stamp[1] < now ? stamp : SMUDGED;
}

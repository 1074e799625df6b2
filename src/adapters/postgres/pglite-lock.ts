// The PGlite data-directory lock. PGlite does not lock its directory, and two processes writing one
// database corrupt it, so tsdbt keeps `tsdbt.lock` (holding the owner's pid) in the directory,
// created with O_EXCL (`wx`). A lock whose pid is dead is stale and taken over. The lock goes away
// on release (adapter close) and, as a last resort, when the process exits.
//
// The set of locks this process holds is module state on purpose: a lock belongs to the process,
// not to one invocation, and it lets one process refuse to open the same directory twice.
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TsdbtError } from '../../errors/tsdbt-error.js';

/** The lock file's name inside the data directory. */
export const LOCK_FILE_NAME = 'tsdbt.lock';

/** A held lock. */
export interface DataDirLock {
  readonly file: string;
  /** Removes the lock file (idempotent). */
  release(): void;
}

const held = new Set<string>();
let exitHookInstalled = false;

function removeHeldLocksOnExit(): void {
  for (const file of held) removeIfOurs(file);
  held.clear();
}

function removeIfOurs(file: string): void {
  try {
    if (readPid(file) === process.pid) unlinkSync(file);
  } catch {
    // Already gone.
  }
}

function readPid(file: string): number | null {
  const text = readFileSync(file, 'utf8').trim();
  const pid = Number(text.split(/\s+/)[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockedError(dataDir: string, file: string, pid: number | null): TsdbtError {
  const who = pid === null ? 'another process' : pid === process.pid ? `pid ${pid} (this process)` : `pid ${pid}`;
  return new TsdbtError(`the PGlite database ${dataDir} is in use by ${who}`, {
    code: 'warehouse-locked',
    category: 'user',
    retriable: true,
    hint: `wait for the other tsdbt process to finish; if none is running, delete ${file}`,
  });
}

/** Takes the lock of `dataDir` (creating the directory), or throws `warehouse-locked`. */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE_NAME);
  if (held.has(file)) throw lockedError(dataDir, file, process.pid);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let pid: number | null;
    try {
      pid = readPid(file);
    } catch {
      continue; // removed between our create and read: try again
    }
    // An unreadable pid may be a lock being written right now: give its writer a moment.
    const stale = pid !== null && (pid === process.pid || !isAlive(pid));
    if (!stale || attempt >= 5) {
      if (pid === null && attempt < 5) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
        continue;
      }
      throw lockedError(dataDir, file, pid);
    }
    try {
      // Take over only if the file still names the dead pid (narrows the race with another taker).
      if (readPid(file) === pid) unlinkSync(file);
    } catch {
      // Someone else removed it first; retry the create.
    }
  }
  held.add(file);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', removeHeldLocksOnExit);
  }
  return {
    file,
    release() {
      if (!held.delete(file)) return;
      removeIfOurs(file);
    },
  };
}

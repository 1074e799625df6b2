// The PGlite data-directory lock. PGlite does not lock its directory, and two processes writing one
// database corrupt it, so tsdbt keeps `tsdbt.lock` in the directory, created with O_EXCL (`wx`),
// naming its owner: the pid and the moment that process started (process-identity.ts). A lock is
// stale, and taken over, when its pid is dead, or when the pid now belongs to another process (a pid
// reused after the owner was killed: the start time differs, or, for a lock without one, the process
// is not node/tsdbt); taking over a live pid's lock says so in a warning. The lock goes away on
// release (adapter close) and, as a last resort, when the process exits.
//
// The set of locks this process holds is module state on purpose: a lock belongs to the process,
// not to one invocation, and it lets one process refuse to open the same directory twice.
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { isAlive, processCommand, processStartTime } from './process-identity.js';

/** The lock file's name inside the data directory. */
export const LOCK_FILE_NAME = 'tsdbt.lock';

/** A held lock. */
export interface DataDirLock {
  readonly file: string;
  /** Removes the lock file (idempotent). */
  release(): void;
}

/** What a lock file says about its owner. */
interface LockOwner {
  pid: number;
  /** The owner's start time as process-identity.ts reads it; null in a lock that does not say. */
  started: string | null;
}

export interface AcquireLockOptions {
  /** Told when a lock naming a live but unrelated process is taken over. */
  onWarning?: (message: string) => void;
}

const held = new Set<string>();
let exitHookInstalled = false;

function removeHeldLocksOnExit(): void {
  for (const file of held) removeIfOurs(file);
  held.clear();
}

function removeIfOurs(file: string): void {
  try {
    if (readOwner(file)?.pid === process.pid) unlinkSync(file);
  } catch {
    // Already gone.
  }
}

/** The owner a lock file names (first line the pid, second `started=<start time>`); null if unreadable. */
function readOwner(file: string): LockOwner | null {
  const lines = readFileSync(file, 'utf8').split('\n');
  const pid = Number((lines[0] ?? '').trim().split(/\s+/)[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const started = /^started=(.+)$/.exec((lines[1] ?? '').trim())?.[1] ?? null;
  return { pid, started };
}

function lockText(): string {
  const started = processStartTime(process.pid);
  return `${process.pid}\n${started === null ? '' : `started=${started}\n`}`;
}

/** A program name that may be tsdbt (it runs on Node.js, or is started as tsdbt). */
const TSDBT_COMMAND = /\b(node|nodejs|tsdbt|tsx|vitest|bun|deno)\b/i;

/**
 * Why a live pid does not own the lock (the owner died and its pid was reused), or null when it
 * may well own it (then the lock holds).
 */
function notTheOwner(owner: LockOwner): string | null {
  if (owner.started !== null) {
    const started = processStartTime(owner.pid);
    return started !== null && started !== owner.started ? `pid ${owner.pid} is now another process (it started after the lock's owner)` : null;
  }
  const command = processCommand(owner.pid);
  return command !== null && !TSDBT_COMMAND.test(command) ? `pid ${owner.pid} is \`${command.slice(0, 80)}\`, not tsdbt` : null;
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
export function acquireDataDirLock(dataDir: string, options: AcquireLockOptions = {}): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE_NAME);
  if (held.has(file)) throw lockedError(dataDir, file, process.pid);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, lockText(), { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let owner: LockOwner | null;
    try {
      owner = readOwner(file);
    } catch {
      continue; // removed between our create and read: try again
    }
    if (owner === null) {
      // An unreadable pid may be a lock being written right now: give its writer a moment.
      if (attempt >= 5) throw lockedError(dataDir, file, null);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
      continue;
    }
    const alive = owner.pid !== process.pid && isAlive(owner.pid);
    const unrelated = alive ? notTheOwner(owner) : null;
    if ((alive && unrelated === null) || attempt >= 5) throw lockedError(dataDir, file, owner.pid);
    try {
      // Take over only if the file still names that owner (narrows the race with another taker).
      const current = readOwner(file);
      if (current?.pid === owner.pid && current.started === owner.started) {
        unlinkSync(file);
        if (unrelated !== null) {
          options.onWarning?.(`took over the lock of the PGlite database ${dataDir}: ${path.basename(file)} named ${unrelated}, so the tsdbt that held it is gone`);
        }
      }
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

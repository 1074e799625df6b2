// kill -9 of `tsdbt build` on embedded PGlite (see kill-harness.ts). Each point starts from a copy
// of the v1 data directory; the killed process leaves its lock file (naming a dead pid) and an
// unclean data directory, which the check reads from a copy and the rerun opens as it is.
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { LOCK_FILE_NAME } from '../../src/adapters/postgres/pglite-lock.js';
import { pgliteTarget, profilesYaml } from '../support/postgres-targets.js';
import { removeDir, testdir } from '../support/testdir.js';
import { VERSIONS } from './fault-project.js';
import { defineKillSuite, SCHEMA, type FaultWarehouse } from './kill-harness.js';

const DATA_DIR = 'target/tsdbt.pglite';

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function pgliteWarehouse(): FaultWarehouse {
  let template = '';
  const dirs: string[] = [];
  return {
    coverage: 'sampled',
    name: 'PGlite',
    async setUp(build) {
      template = testdir({ ...VERSIONS.v1, 'profiles.yml': profilesYaml('fault', pgliteTarget(DATA_DIR, SCHEMA, 1)) }, 'tsdbt-fault-pglite-');
      dirs.push(template);
      await build(template);
    },
    // eslint-disable-next-line @typescript-eslint/require-await -- the harness's async signature: a throw is a rejection
    async copyOfV1(label) {
      const dir = mkdtempSync(path.join(os.tmpdir(), `tsdbt-fault-pglite-${label}-`));
      dirs.push(dir);
      cpSync(template, dir, { recursive: true });
      return {
        dir,
        async inspect(fn, untouched = false) {
          const dataDir = untouched ? mkdtempSync(path.join(os.tmpdir(), 'tsdbt-fault-inspect-')) : path.join(dir, DATA_DIR);
          if (untouched) cpSync(path.join(dir, DATA_DIR), dataDir, { recursive: true });
          const db = new PGlite(dataDir);
          try {
            return await fn(async (sql) => (await db.query<Record<string, unknown>>(sql)).rows);
          } finally {
            await db.close();
            if (untouched) removeDir(dataDir);
          }
        },
        // eslint-disable-next-line @typescript-eslint/require-await -- as above
        async cleanup() {
          removeDir(dir);
        },
      };
    },
    afterKill(dir) {
      // SIGKILL runs no exit handler: the lock file stays, naming the dead process, and the rerun
      // must take it over (pglite-lock.ts).
      const file = path.join(dir, DATA_DIR, LOCK_FILE_NAME);
      if (!existsSync(file)) return [`the killed build left no ${LOCK_FILE_NAME}`];
      const pid = Number(readFileSync(file, 'utf8').trim());
      return pidAlive(pid) ? [`${LOCK_FILE_NAME} names pid ${pid}, which is alive`] : [];
    },
    // eslint-disable-next-line @typescript-eslint/require-await -- as above
    async tearDown() {
      dirs.forEach(removeDir);
    },
  };
}

defineKillSuite(pgliteWarehouse());

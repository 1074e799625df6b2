// kill -9 of `tsdbt build` on the PostgreSQL server (see kill-harness.ts). The v1 build goes into a
// database of its own; each point gets an exact copy of it (`create database ... template`), so
// every point starts from the same v1 state, indexes and catalogs included.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { pgServer, profilesYaml, serverTarget } from '../support/postgres-targets.js';
import { removeDir, testdir } from '../support/testdir.js';
import { VERSIONS } from './fault-project.js';
import { defineKillSuite, SCHEMA, type FaultWarehouse } from './kill-harness.js';

async function withClient<T>(database: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const s = pgServer();
  const client = new pg.Client({ host: s.host, port: s.port, user: s.user, password: s.password, database, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function serverWarehouse(): FaultWarehouse {
  const prefix = `tsdbt_fault_${randomBytes(4).toString('hex')}`;
  const template = `${prefix}_v1`;
  const databases: string[] = [];
  const dirs: string[] = [];
  const admin = <T>(fn: (client: pg.Client) => Promise<T>) => withClient(pgServer().database, fn);
  const project = (database: string) => testdir({ ...VERSIONS.v1, 'profiles.yml': profilesYaml('fault', { ...serverTarget(SCHEMA, 1), dbname: database }) }, 'tsdbt-fault-server-');
  return {
    aroundEveryCommit: true,
    name: 'the PostgreSQL server',
    async setUp(build) {
      await admin((c) => c.query(`create database "${template}"`));
      databases.push(template);
      const dir = project(template);
      dirs.push(dir);
      await build(dir);
    },
    async copyOfV1(label) {
      const database = `${prefix}_${label}`;
      // The server waits (up to 5 s) for the template's last sessions, the v1 build's, to end.
      await admin((c) => c.query(`create database "${database}" template "${template}"`));
      databases.push(database);
      const dir = project(database);
      writeFileSync(path.join(dir, 'profiles.yml'), profilesYaml('fault', { ...serverTarget(SCHEMA, 1), dbname: database }));
      return {
        dir,
        inspect: (fn) => withClient(database, (client) => fn(async (sql) => (await client.query(sql)).rows as Record<string, unknown>[])),
        async cleanup() {
          removeDir(dir);
          // `with (force)` ends the killed build's session if the server has not noticed it is gone yet.
          await admin((c) => c.query(`drop database if exists "${database}" with (force)`));
          databases.splice(databases.indexOf(database), 1);
        },
      };
    },
    async tearDown() {
      dirs.forEach(removeDir);
      for (const database of databases) await admin((c) => c.query(`drop database if exists "${database}" with (force)`));
    },
  };
}

defineKillSuite(serverWarehouse());

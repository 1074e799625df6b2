// The local PostgreSQL server of the tests and the benchmarks: Debian's postgresql-15 cluster, made
// and started when needed, with a `tsdbt` login role and a `tsdbt_test` database. Fast when
// everything is already there: one pg_lsclusters call and one login.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import pg from 'pg';
import type { PgServerSettings } from './provided-context.js';

const ROLE = 'tsdbt';
const PASSWORD = 'tsdbt';
const DATABASE = 'tsdbt_test';
const PREFERRED_VERSION = '15';

interface Cluster {
  version: string;
  name: string;
  port: number;
  online: boolean;
}

const NOT_INSTALLED =
  'PostgreSQL is not installed: the integration tests need a PostgreSQL 15 server. ' +
  'Run `.ci/run`, or `apt-get install -y postgresql-15` (as root), then run the tests again.';

function run(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function listClusters(): Cluster[] {
  let out: string;
  try {
    out = run('pg_lsclusters', ['--no-header']);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(NOT_INSTALLED);
    throw err;
  }
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length >= 4 && cols[0] !== '')
    .map((cols) => ({
      version: cols[0] ?? '',
      name: cols[1] ?? '',
      port: Number(cols[2]),
      online: (cols[3] ?? '').startsWith('online'),
    }));
}

/** The cluster to use (15/main preferred), created and started when needed. */
function ensureCluster(): Cluster {
  let clusters = listClusters();
  let cluster = clusters.find((c) => c.version === PREFERRED_VERSION && c.name === 'main') ?? clusters[0];
  if (!cluster) {
    if (!existsSync(`/usr/lib/postgresql/${PREFERRED_VERSION}/bin/postgres`)) throw new Error(NOT_INSTALLED);
    run('pg_createcluster', [PREFERRED_VERSION, 'main']);
    clusters = listClusters();
    cluster = clusters.find((c) => c.version === PREFERRED_VERSION && c.name === 'main');
    if (!cluster) throw new Error('pg_createcluster did not create cluster 15/main');
  }
  if (!cluster.online) {
    try {
      run('pg_ctlcluster', [cluster.version, cluster.name, 'start']);
    } catch (err) {
      // Another test run may have started it meanwhile; only fail if it is still down.
      const again = listClusters().find((c) => c.version === cluster?.version && c.name === cluster?.name);
      if (!again?.online) {
        const stderr = (err as { stderr?: string }).stderr ?? String(err);
        throw new Error(`could not start PostgreSQL cluster ${cluster.version}/${cluster.name}: ${stderr}`);
      }
    }
  }
  return cluster;
}

/** Runs SQL as the `postgres` superuser over the local socket. */
function psqlAsPostgres(port: number, sql: string): string {
  const psql = ['psql', '-X', '-q', '-A', '-t', '-p', String(port), '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', sql];
  if (process.getuid?.() === 0) return run('runuser', ['-u', 'postgres', '--', ...psql]);
  return run('sudo', ['-n', '-u', 'postgres', '--', ...psql]);
}

async function canLogIn(settings: PgServerSettings): Promise<boolean> {
  const client = new pg.Client({ ...settings, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function ensureRoleAndDatabase(port: number): void {
  psqlAsPostgres(
    port,
    `do $$ begin
       if not exists (select from pg_roles where rolname = '${ROLE}') then
         create role ${ROLE} login createdb password '${PASSWORD}';
       else
         alter role ${ROLE} login createdb password '${PASSWORD}';
       end if;
     end $$;`,
  );
  const exists = psqlAsPostgres(port, `select 1 from pg_database where datname = '${DATABASE}'`).trim();
  if (exists !== '1') psqlAsPostgres(port, `create database ${DATABASE} owner ${ROLE}`);
}

/** The server's connection settings, once the cluster is up and the role can log in. */
export async function ensurePgServer(): Promise<PgServerSettings> {
  const cluster = ensureCluster();
  const settings: PgServerSettings = {
    host: '127.0.0.1',
    port: cluster.port,
    user: ROLE,
    password: PASSWORD,
    database: DATABASE,
  };
  if (!(await canLogIn(settings))) {
    try {
      ensureRoleAndDatabase(cluster.port);
    } catch {
      ensureRoleAndDatabase(cluster.port); // a concurrent test run may have raced us; the second pass sees its work
    }
    if (!(await canLogIn(settings))) {
      throw new Error(
        `cannot log in to PostgreSQL at 127.0.0.1:${cluster.port} as ${ROLE}/${DATABASE}; ` +
          'check pg_hba.conf allows password (scram-sha-256 or md5) logins on 127.0.0.1',
      );
    }
  }
  return settings;
}

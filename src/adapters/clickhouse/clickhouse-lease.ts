// The run lock on a ClickHouse server, which has no locks: a lease table `tsdbt_locks` in the
// target database. A process claims a lease (a row with its own id, renewed every 10 s, expiring
// after 30 s), then reads the live claims: the earliest claim holds the lock, the others withdraw.
// Two processes claiming in the same instant can both read before the other's row is visible only
// if the server does not show a finished insert to the next select (a single server does), so this
// is a safe standby on one server; on a cluster, put the table on one shard. chDB needs none: its
// data directory admits one process at a time.
import { randomUUID } from 'node:crypto';
import type { Connection, RunLock } from '../adapter.js';
import { quoteIdentifier, quoteString } from './clickhouse-sql.js';

const TTL_SECONDS = 30;
const RENEW_MS = 10_000;

export async function acquireLease(conn: Connection, database: string, name: string): Promise<RunLock | null> {
  const table = `${quoteIdentifier(database)}.${quoteIdentifier('tsdbt_locks')}`;
  await conn.execute(`create database if not exists ${quoteIdentifier(database)}`);
  await conn.execute(
    `create table if not exists ${table} (name String, owner String, claimed_at DateTime, expires_at DateTime) engine = ReplacingMergeTree(expires_at) order by (name, owner)`,
  );
  const owner = randomUUID();
  const claim = (expires: string) =>
    conn.execute(`insert into ${table} (name, owner, claimed_at, expires_at) select ${quoteString(name)}, ${quoteString(owner)}, now(), ${expires}`);
  await claim(`now() + ${TTL_SECONDS}`);
  const { rows } = await conn.execute(
    `select owner from ${table} final where name = ${quoteString(name)} and expires_at > now() order by claimed_at, owner limit 1`,
  );
  if (rows[0]?.owner !== owner) {
    await claim('toDateTime(0)');
    return null;
  }
  const renew = setInterval(() => void claim(`now() + ${TTL_SECONDS}`).catch(() => undefined), RENEW_MS);
  renew.unref();
  return {
    release: async () => {
      clearInterval(renew);
      await claim('toDateTime(0)').catch(() => undefined);
    },
  };
}

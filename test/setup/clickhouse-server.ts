// Starts Debian's ClickHouse server (18.16, installed by scripts/test-services.sh) for the HTTP
// transport smoke tests, unless one already answers on 127.0.0.1:8123. The server is too old for
// window functions or EXCHANGE TABLES; everything SQL-level runs on chDB through the same client.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CLICKHOUSE_HTTP = 'http://127.0.0.1:8123';
const BINARY = '/usr/sbin/clickhouse-server';
const CONFIG = '/etc/clickhouse-server/config.xml';

async function ping(): Promise<boolean> {
  try {
    const response = await fetch(`${CLICKHOUSE_HTTP}/ping`, { signal: AbortSignal.timeout(1000) });
    return response.ok;
  } catch {
    return false;
  }
}

export async function ensureClickHouseServer(): Promise<string> {
  if (await ping()) return CLICKHOUSE_HTTP;
  if (!existsSync(BINARY)) {
    throw new Error('ClickHouse server is not installed: the transport smoke tests need Debian\'s clickhouse-server. Run `.ci/run` or `bash scripts/test-services.sh` (as root).');
  }
  const command = `exec ${BINARY} --config-file=${CONFIG}`;
  const child = process.getuid?.() === 0 ? spawn('su', ['clickhouse', '-s', '/bin/sh', '-c', command], { detached: true, stdio: 'ignore' }) : spawn('sudo', ['-n', '-u', 'clickhouse', '/bin/sh', '-c', command], { detached: true, stdio: 'ignore' });
  child.unref();
  for (let i = 0; i < 100; i++) {
    if (await ping()) return CLICKHOUSE_HTTP;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`ClickHouse server did not answer on ${CLICKHOUSE_HTTP} within 20 s (see /var/log/clickhouse-server/)`);
}

// Runs SQL for the pytest harness: one JSON request per stdin line
// ({"sql": "...", "fetch": "one"|"all"|null}), one JSON answer per stdout line.
// Values keep their PostgreSQL type OID so conftest can turn them into Python values.
import { createRequire } from 'node:module';
import readline from 'node:readline';

const require = createRequire(process.env.TSDBT_ROOT + '/package.json');
const pg = require('pg');
// Keep every value as PostgreSQL's text; Python converts by type OID.
const raw = { getTypeParser: () => (v) => v };
// The server the tests' profile names (run.sh's POSTGRES_TEST_*), so run_sql sees what tsdbt built;
// a request naming a `database` (a test whose profile target names its own dbname) is run there.
const env = process.env;
const clients = new Map();
async function clientFor(database) {
  const name = database || env.POSTGRES_TEST_DATABASE || env.PGDATABASE || 'tsdbt_test';
  let client = clients.get(name);
  if (!client) {
    client = new pg.Client({
      host: env.POSTGRES_TEST_HOST || env.PGHOST || '127.0.0.1', port: Number(env.POSTGRES_TEST_PORT || env.PGPORT || 5432),
      user: env.POSTGRES_TEST_USER || env.PGUSER || 'tsdbt', password: env.POSTGRES_TEST_PASS || env.PGPASSWORD || 'tsdbt',
      database: name, types: raw,
    });
    await client.connect();
    clients.set(name, client);
  }
  return client;
}
await clientFor(null);
const rl = readline.createInterface({ input: process.stdin });
for await (const line of rl) {
  let answer;
  try {
    const { sql, database } = JSON.parse(line);
    const client = await clientFor(database);
    const res = await client.query({ text: sql, rowMode: 'array' });
    const last = Array.isArray(res) ? res[res.length - 1] : res;
    answer = {
      rows: last.rows ?? [], columns: (last.fields ?? []).map((f) => [f.name, f.dataTypeID]),
      rowCount: last.rowCount ?? 0, command: last.command ?? '',
    };
  } catch (e) {
    answer = { error: String(e.message), code: e.code ?? null };
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
}
for (const client of clients.values()) await client.end();

// Runs SQL for the pytest harness on ClickHouse, over chDB (embedded) at the data folder the
// tests' profile gives tsdbt (TSDBT_CHDB_PATH): one JSON request per stdin line
// ({"sql": "...", "fetch": bool, "database": "..."}), one JSON answer per stdout line
// ({names, types, rows} or {error}). chDB locks its folder per process, so the harness stops this
// process before each tsdbt command and starts it again on the next run_sql.
import { createRequire } from 'node:module';
import readline from 'node:readline';

const require = createRequire(process.env.TSDBT_ROOT + '/package.json');
const { createClient, ClickHouseLogLevel } = require('@clickhouse/client');
const { createChdbConnection } = require('chdb/connection');

const client = createClient({
  connection: createChdbConnection({ path: process.env.TSDBT_CHDB_PATH }),
  log: { level: ClickHouseLogLevel.OFF },
  // As tsdbt's sessions and dbt-clickhouse's tests expect (see clickhouse-connection.ts).
  clickhouse_settings: { join_use_nulls: 1, cast_keep_nullable: 1, output_format_json_quote_64bit_integers: 1, output_format_json_quote_decimals: 1 },
});
const RETURNS_ROWS = /^\s*(\(\s*)*(select|with|show|describe|desc|exists|explain)\b/i;
const stripComments = (sql) => sql.replace(/^(\s*(--[^\n]*\n|\/\*[\s\S]*?\*\/))*/, '');
const quote = (name) => '`' + name.replace(/\\/g, '\\\\').replace(/`/g, '\\`') + '`';
let current = null;

async function useDatabase(database) {
  if (!database || database === current) return;
  // dbt-clickhouse's connection reads unqualified names in the profile's database once it exists.
  try {
    await client.command({ query: `USE ${quote(database)}` });
    current = database;
  } catch {
    current = null;
  }
}

const rl = readline.createInterface({ input: process.stdin });
for await (const line of rl) {
  let answer;
  try {
    const { sql, database } = JSON.parse(line);
    await useDatabase(database);
    const text = sql.trim().replace(/;\s*$/, '');
    // A statement that returns no rows (SYSTEM FLUSH LOGS, OPTIMIZE) answers none, also when fetched.
    if (RETURNS_ROWS.test(stripComments(text))) {
      const result = await client.query({ query: text, format: 'JSONCompactEachRowWithNamesAndTypes' });
      const [names = [], types = [], ...rows] = await result.json();
      answer = { names, types, rows };
    } else {
      await client.command({ query: text });
      if (/^\s*drop\s+database\b/i.test(text)) current = null;
      answer = { names: [], types: [], rows: [] };
    }
  } catch (e) {
    answer = { error: String(e.message ?? e) };
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
}
await client.close();

// Reads a `type: postgres` profile target (host, port, user, password, dbname, sslmode, ...) into
// the settings the server connection needs, with a user error and hint for each mistake. Values
// may arrive as strings (env_var renders to text), so numbers and booleans are coerced here.
import { readFileSync } from 'node:fs';
import type { AdapterTargetConfig } from '../adapter.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';

/** TLS options in the shape pg's `ssl` setting takes. */
export interface ServerTls {
  rejectUnauthorized: boolean;
  ca?: string;
  cert?: string;
  key?: string;
}

/** Connection settings of a PostgreSQL server target. */
export interface ServerSettings {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  /** Pool size. */
  threads: number;
  ssl: false | ServerTls;
  applicationName: string;
  /**
   * How long opening a session may take, TCP connect to ready-for-query (`connect_timeout`,
   * default 10 s as in dbt-postgres); null with `connect_timeout: 0` (wait for ever, as libpq).
   */
  connectTimeoutMs: number | null;
  /** Further attempts to open a session after a connection failure (`retries`, default 1 as in dbt-postgres). */
  connectRetries: number;
  keepAliveInitialDelayMs?: number;
  /** Statements run once on each new session (`set role`, `set search_path`). */
  sessionSetup: string[];
}

function profileError(target: AdapterTargetConfig, message: string, hint: string): TsdbtError {
  return new TsdbtError(`profile target '${target.name}' (type postgres): ${message}`, {
    code: 'profile-invalid',
    category: 'user',
    hint,
  });
}

function text(target: AdapterTargetConfig, key: string): string | undefined {
  const value = target[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  throw profileError(target, `\`${key}\` must be a string`, `write \`${key}: <value>\` in profiles.yml`);
}

function integer(target: AdapterTargetConfig, key: string): number | undefined {
  const raw = text(target, key);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw profileError(target, `\`${key}\` must be a whole number, got '${raw}'`, `write e.g. \`${key}: 5432\``);
  }
  return n;
}

function required(target: AdapterTargetConfig, keys: string[], example: string): string {
  for (const key of keys) {
    const value = text(target, key);
    if (value !== undefined) return value;
  }
  throw profileError(target, `\`${keys[0]}\` is missing`, `add \`${keys[0]}: ${example}\` to the target in profiles.yml`);
}

function tlsFor(target: AdapterTargetConfig): false | ServerTls {
  const mode = (text(target, 'sslmode') ?? 'prefer').toLowerCase();
  const read = (key: string) => {
    const file = text(target, key);
    return file === undefined ? undefined : readFileSync(file, 'utf8');
  };
  switch (mode) {
    case 'disable':
    case 'allow':
    case 'prefer':
      // pg cannot fall back from TLS to plain text, so `prefer` (the default) connects without TLS.
      return false;
    case 'require':
    case 'verify-ca':
    case 'verify-full': {
      const tls: ServerTls = { rejectUnauthorized: mode !== 'require' };
      const ca = read('sslrootcert');
      const cert = read('sslcert');
      const key = read('sslkey');
      if (ca !== undefined) tls.ca = ca;
      if (cert !== undefined) tls.cert = cert;
      if (key !== undefined) tls.key = key;
      return tls;
    }
    default:
      throw profileError(
        target,
        `unknown sslmode '${mode}'`,
        'use one of disable, allow, prefer, require, verify-ca, verify-full',
      );
  }
}

/** dbt-postgres' defaults: `connect_timeout: 10`, `retries: 1`. */
const DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;
const DEFAULT_CONNECT_RETRIES = 1;

function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Validates a `type: postgres` target. */
export function readServerSettings(target: AdapterTargetConfig): ServerSettings {
  const host = required(target, ['host'], 'localhost');
  const user = required(target, ['user', 'username'], 'analytics');
  const database = required(target, ['dbname', 'database'], 'analytics');
  const threads = Math.max(1, integer(target, 'threads') ?? 1);
  const sessionSetup: string[] = [];
  // dbt-postgres hands search_path to the server as a startup option (`-c search_path=<value>`),
  // which the server reads as a setting's text, as postgresql.conf is read: `$user, raw` is valid
  // there but not in `set search_path to ...`. set_config() reads its text the same way.
  const searchPath = text(target, 'search_path');
  if (searchPath !== undefined) sessionSetup.push(`select set_config('search_path', ${quoteLiteral(searchPath)}, false)`);
  // dbt-postgres runs `set role {role}` with the name as written (unquoted, so folded to lower case).
  const role = text(target, 'role');
  if (role !== undefined) sessionSetup.push(`set role ${role}`);
  const settings: ServerSettings = {
    host,
    port: integer(target, 'port') ?? 5432,
    user,
    database,
    threads,
    ssl: tlsFor(target),
    applicationName: text(target, 'application_name') ?? 'tsdbt',
    connectTimeoutMs: (integer(target, 'connect_timeout') ?? DEFAULT_CONNECT_TIMEOUT_SECONDS) * 1000 || null,
    connectRetries: integer(target, 'retries') ?? DEFAULT_CONNECT_RETRIES,
    sessionSetup,
  };
  const password = text(target, 'password') ?? text(target, 'pass');
  if (password !== undefined) settings.password = password;
  const keepalivesIdle = integer(target, 'keepalives_idle');
  if (keepalivesIdle !== undefined && keepalivesIdle > 0) settings.keepAliveInitialDelayMs = keepalivesIdle * 1000;
  return settings;
}

// Reads a `type: clickhouse` profile target with dbt-clickhouse's fields (host, port, user,
// password, schema as the database, secure, verify, connect_timeout, send_receive_timeout,
// cluster, database_engine, custom_settings, threads) plus tsdbt's embedded mode
// (`driver: chdb`, `path: <data directory>`). Values may arrive as strings from env_var.
import path from 'node:path';
import type { AdapterTargetConfig } from '../adapter.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';

export interface ClickHouseSettings {
  driver: 'http' | 'chdb';
  /** http: the server URL (`http(s)://host:port`). */
  url: string;
  user: string;
  password: string;
  /** The ClickHouse database models build into (dbt-clickhouse: the profile's `schema`). */
  database: string;
  /** chdb: the absolute data directory. */
  path: string | null;
  verify: boolean;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  cluster: string | null;
  databaseEngine: string | null;
  /** `local_suffix:` / `local_db_prefix:` (dbt-clickhouse's names of a distributed table's local tables and databases). */
  localSuffix: string | null;
  localDbPrefix: string | null;
  customSettings: Record<string, string | number | boolean>;
  threads: number;
  /** dbt-clickhouse's `check_exchange` (default true), off under `cluster_mode`. */
  checkExchange: boolean;
  /** dbt-clickhouse's `allow_automatic_deduplication` (default false): else models' tables get `replicated_deduplication_window = '0'`. */
  allowAutomaticDeduplication: boolean;
}

function profileError(target: AdapterTargetConfig, message: string, hint: string): TsdbtError {
  return new TsdbtError(`profile target '${target.name}' (type clickhouse): ${message}`, { code: 'profile-invalid', category: 'user', hint });
}

function text(target: AdapterTargetConfig, key: string): string | undefined {
  const value = target[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw profileError(target, `\`${key}\` must be a string`, `write \`${key}: <value>\` in profiles.yml`);
}

function bool(target: AdapterTargetConfig, key: string, fallback: boolean): boolean {
  const raw = text(target, key);
  if (raw === undefined) return fallback;
  if (/^(true|yes|1)$/i.test(raw)) return true;
  if (/^(false|no|0)$/i.test(raw)) return false;
  throw profileError(target, `\`${key}\` must be true or false, got '${raw}'`, `write \`${key}: true\``);
}

function seconds(target: AdapterTargetConfig, key: string, fallback: number): number {
  const raw = text(target, key);
  if (raw === undefined) return fallback * 1000;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw profileError(target, `\`${key}\` must be a number of seconds, got '${raw}'`, `write e.g. \`${key}: 10\``);
  return n * 1000;
}

export function clickhouseSettings(target: AdapterTargetConfig, projectDir: string, targetDir: string): ClickHouseSettings {
  const driver = (text(target, 'driver') ?? 'http').toLowerCase();
  if (driver !== 'http' && driver !== 'chdb') throw profileError(target, `unknown driver '${driver}'`, 'use driver: http (a ClickHouse server) or driver: chdb (embedded)');
  const secure = bool(target, 'secure', false);
  const host = text(target, 'host') ?? 'localhost';
  const port = Number(text(target, 'port') ?? (secure ? 8443 : 8123));
  if (!Number.isInteger(port) || port <= 0) throw profileError(target, `\`port\` must be a whole number, got '${String(target.port)}'`, 'write e.g. `port: 8123` (the HTTP port)');
  const database = text(target, 'schema') ?? text(target, 'database') ?? 'default';
  const custom = target.custom_settings;
  if (custom !== undefined && custom !== null && (typeof custom !== 'object' || Array.isArray(custom))) {
    throw profileError(target, '`custom_settings` must be a mapping of setting to value', 'write `custom_settings: {max_threads: 4}`');
  }
  const dataPath = text(target, 'path');
  return {
    driver,
    url: `${secure ? 'https' : 'http'}://${host}:${port}`,
    user: text(target, 'user') ?? 'default',
    password: text(target, 'password') ?? '',
    database,
    path: driver === 'chdb' ? path.resolve(projectDir, dataPath ?? path.join(targetDir, 'tsdbt.chdb')) : null,
    verify: bool(target, 'verify', true),
    connectTimeoutMs: seconds(target, 'connect_timeout', 10),
    requestTimeoutMs: seconds(target, 'send_receive_timeout', 300),
    cluster: text(target, 'cluster') ?? null,
    databaseEngine: text(target, 'database_engine') ?? null,
    localSuffix: text(target, 'local_suffix') ?? null,
    localDbPrefix: text(target, 'local_db_prefix') ?? null,
    customSettings: (custom ?? {}) as Record<string, string | number | boolean>,
    threads: Math.max(1, Number(target.threads ?? 1)),
    checkExchange: bool(target, 'check_exchange', true) && !bool(target, 'cluster_mode', false),
    allowAutomaticDeduplication: bool(target, 'allow_automatic_deduplication', false),
  };
}

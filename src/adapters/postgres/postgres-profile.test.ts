// Profile validation for `type: postgres` targets, and the adapter registry.
import { describe, expect, it } from 'vitest';
import { createAdapter, dialectFor, knownAdapterTypes } from '../index.js';
import { readServerSettings } from './postgres-profile.js';

const base = { type: 'postgres', name: 'dev', schema: 's', threads: 4, host: 'db', user: 'u', dbname: 'd' };

describe('postgres profile', () => {
  it('reads settings, coercing env_var strings', () => {
    const s = readServerSettings({
      ...base,
      port: '6543',
      password: 'p',
      threads: 3,
      keepalives_idle: '30',
      connect_timeout: 10,
      search_path: '"$user", public',
      role: 'transformer',
      sslmode: 'require',
    });
    expect(s).toMatchObject({
      host: 'db',
      port: 6543,
      user: 'u',
      password: 'p',
      database: 'd',
      threads: 3,
      connectTimeoutMs: 10_000,
      keepAliveInitialDelayMs: 30_000,
      applicationName: 'tsdbt',
      ssl: { rejectUnauthorized: false },
    });
    expect(s.sessionSetup).toEqual([`select set_config('search_path', '"$user", public', false)`, 'set role transformer']);
    expect(readServerSettings({ ...base, dbname: undefined, database: 'other' }).database).toBe('other');
    expect(readServerSettings(base).ssl).toBe(false);
    expect(readServerSettings(base).port).toBe(5432);
  });

  it("bounds opening a session by dbt-postgres' defaults (connect_timeout 10 s, 1 retry), and honours the profile's", () => {
    expect(readServerSettings(base)).toMatchObject({ connectTimeoutMs: 10_000, connectRetries: 1 });
    expect(readServerSettings({ ...base, connect_timeout: '3', retries: '0' })).toMatchObject({ connectTimeoutMs: 3000, connectRetries: 0 });
    // connect_timeout: 0 waits for ever, as in libpq.
    expect(readServerSettings({ ...base, connect_timeout: 0 }).connectTimeoutMs).toBeNull();
    expect(() => readServerSettings({ ...base, connect_timeout: 'soon' })).toThrow(/`connect_timeout` must be a whole number/);
  });

  it('explains mistakes', () => {
    expect(() => readServerSettings({ ...base, host: undefined })).toThrow(/`host` is missing/);
    try {
      readServerSettings({ ...base, port: 'abc' });
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ code: 'profile-invalid', category: 'user' });
      expect((err as { hint?: string }).hint).toContain('port');
    }
    expect(() => readServerSettings({ ...base, sslmode: 'sometimes' })).toThrow(/unknown sslmode/);
  });
});

describe('adapter registry', () => {
  it('knows postgres, clickhouse and pglite', () => {
    expect(knownAdapterTypes()).toEqual(['postgres', 'clickhouse', 'pglite']);
  });

  it('rejects unknown types, listing the known ones', async () => {
    await expect(createAdapter({ ...base, type: 'snowflake' }, { projectDir: '/tmp', targetDir: '/tmp/target' })).rejects.toMatchObject({
      code: 'adapter-unknown',
      category: 'user',
      message: expect.stringContaining('postgres, clickhouse, pglite') as unknown,
    });
    expect(() => dialectFor({ ...base, type: 'oracle' })).toThrow(/unknown adapter type/);
  });

  it('gives the dialect without connecting', () => {
    const d = dialectFor(base);
    expect(d.defaultDatabase).toBe('d');
    expect(d.dispatchPrefixes).toEqual(['postgres', 'default']);
    expect(d.relation.quoteIdentifier('a')).toBe('"a"');
    expect(dialectFor({ ...base, type: 'pglite' }).defaultDatabase).toBe('postgres');
  });
});

import { describe, expect, it } from 'vitest';
import type { TsdbtError } from '../../errors/tsdbt-error.js';
import { clickhouseSettings } from './clickhouse-profile.js';

const base = { type: 'clickhouse', name: 'dev', schema: 'analytics', threads: 4 };

describe('clickhouse profile', () => {
  it('reads dbt-clickhouse fields for a server', () => {
    const s = clickhouseSettings({ ...base, host: 'ch.local', port: '8443', secure: 'true', user: 'me', password: 'pw', cluster: 'c1', custom_settings: { max_threads: 2 }, connect_timeout: 5 }, '/p', '/p/target');
    expect(s).toMatchObject({ driver: 'http', url: 'https://ch.local:8443', user: 'me', password: 'pw', database: 'analytics', cluster: 'c1', customSettings: { max_threads: 2 }, connectTimeoutMs: 5000, threads: 4, path: null });
    expect(clickhouseSettings({ ...base }, '/p', '/p/target')).toMatchObject({ url: 'http://localhost:8123', user: 'default', verify: true });
  });

  it('resolves the chDB data directory against the project, defaulting under target/', () => {
    expect(clickhouseSettings({ ...base, driver: 'chdb', path: 'data/ch' }, '/p', '/p/target').path).toBe('/p/data/ch');
    expect(clickhouseSettings({ ...base, driver: 'chdb' }, '/p', '/p/target').path).toBe('/p/target/tsdbt.chdb');
  });

  it('explains mistakes', () => {
    const err = (() => {
      try {
        clickhouseSettings({ ...base, driver: 'native' }, '/p', '/p/target');
      } catch (e) {
        return e as TsdbtError;
      }
      return null;
    })();
    expect(err?.format()).toBe("profile target 'dev' (type clickhouse): unknown driver 'native'\n  hint: use driver: http (a ClickHouse server) or driver: chdb (embedded)");
  });
});

// dbt's `target` variable (docs: "target" in the Jinja reference) holds the active target's
// connection settings and never its secrets: `target.get('pass', '')` is empty in a model or hook
// whether the profile wrote `password:` or dbt-postgres's alias `pass:`.
import { describe, expect, it } from 'vitest';
import { targetContext } from './project-loader.js';

describe('target as templates see it', () => {
  const profileTarget = { type: 'postgres', name: 'dev', schema: 'analytics', database: 'dbt', threads: 4, host: 'localhost', port: 5432, user: 'root' };

  it('leaves out `pass`, as dbt-postgres profiles spell the password', () => {
    const target = targetContext({ ...profileTarget, pass: 'password' }, 'test');
    expect(target.pass).toBeUndefined();
    expect({ user: target.user, host: target.host, port: target.port, dbname: target.dbname, name: target.name }).toEqual({ user: 'root', host: 'localhost', port: 5432, dbname: 'dbt', name: 'dev' });
  });

  it('leaves out `password`', () => {
    expect('password' in targetContext({ ...profileTarget, password: 'password' }, 'test')).toBe(false);
  });
});

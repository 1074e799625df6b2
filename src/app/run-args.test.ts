// run_results.json's `args.vars` hides the values of secret vars (docs: "dbt_env_secret" vars are
// scrubbed from logs and artifacts): a var named DBT_ENV_SECRET_* is recorded as *****, and so is
// its value wherever another var repeats it; other vars stay as given.
import { describe, expect, it } from 'vitest';
import { runArgs } from './run-args.js';

describe('runArgs', () => {
  it('scrubs the values of DBT_ENV_SECRET_ vars from every var', () => {
    const args = runArgs({}, 'run', { DBT_ENV_SECRET_token: 'abc', url: 'https://abc@host', unused: 'def', n: 3, DBT_ENV_SECRET_blank: ' ' });
    expect(args.vars).toEqual({ DBT_ENV_SECRET_token: '*****', url: 'https://*****@host', unused: 'def', n: 3, DBT_ENV_SECRET_blank: ' ' });
  });

  it('keeps vars without secrets as they are', () => {
    expect(runArgs({}, 'run', { a: 'abc' }).vars).toEqual({ a: 'abc' });
  });
});

// profiles.yml values are rendered as Jinja; a `password` that is not valid Jinja
// (`no{{jinja{%re{#ndering`) is taken as written, as dbt's SecretRenderer does for the key
// "password" (dbt-core's profiles/test_profiles_yml.py), and never printed. Any other value that
// does not render stops the command, as in dbt.
import { describe, expect, it } from 'vitest';
import { parseFiles } from '../support/parse-files.js';

const profile = (field: string, value: string) =>
  ['demo:', '  target: default', '  outputs:', '    default:', '      type: postgres', '      host: localhost', '      port: 12345', '      user: peter', '      dbname: my_db', '      schema: dummy', `      ${field}: ${value}`, ''].join('\n');

describe('a profile password that is not Jinja', () => {
  it('is taken as written: the parse succeeds and never shows it', async () => {
    const out = await parseFiles({ 'models/m.sql': 'select 1 as id\n', 'profiles.yml': profile('password', 'no{{jinja{%re{#ndering') });
    expect(out.code, out.out).toBe(0);
    expect(out.out).not.toContain('no{{jinja');
  });

  it('elsewhere in the target, such text is still an error', async () => {
    const out = await parseFiles({ 'models/m.sql': 'select 1 as id\n', 'profiles.yml': `${profile('password', 'secret')}      role: no{{jinja{%re{#ndering\n` });
    expect(out.code).toBe(2);
    expect(out.out).toContain('profiles.yml:12');
  });
});

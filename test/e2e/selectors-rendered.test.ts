// selectors.yml is rendered before it is read, as dbt renders it (docs: "YAML selectors" may use
// `target` and `var`): a `default:` written as Jinja decides which selector runs when none is
// given, and a var it needs must be given (--vars), or the command fails naming the var.
import { afterAll, describe, expect, it } from 'vitest';
import { parseOrLs } from '../support/parse-or-ls.js';
import { PGLITE_PROFILES } from '../support/parse-files.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

const SELECTORS = `selectors:
  - name: only_b
    default: "{{ var('pick_b') == 'yes' }}"
    definition:
      method: fqn
      value: b
`;

describe('selectors.yml rendered', () => {
  const dir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, 'profiles.yml': PGLITE_PROFILES, 'models/a.sql': 'select 1 as id\n', 'models/b.sql': 'select 2 as id\n', 'selectors.yml': SELECTORS });
  afterAll(() => removeDir(dir));

  it('renders a default from --vars: true picks the selector, false leaves every node', async () => {
    // ls's own lines; a parse that starts over says why first, as dbt's (UnableToPartialParse).
    const listed = (lines: string[]) => lines.filter((l) => !/Unable to do partial parsing because/.test(l));
    const picked = await parseOrLs(dir, 'ls', { vars: 'pick_b: "yes"' });
    expect(picked.code, picked.lines.join('\n')).toBe(0);
    expect(listed(picked.lines)).toEqual(['b']);
    const all = await parseOrLs(dir, 'ls', { vars: 'pick_b: "no"' });
    expect(listed(all.lines)).toEqual(['a', 'b']);
  });

  it('fails when a var the file needs is not given', async () => {
    const missing = await parseOrLs(dir, 'ls');
    expect(missing.code).toBe(2);
    expect(missing.lines.join('\n')).toMatch(/Required var 'pick_b' not found/);
  });
});

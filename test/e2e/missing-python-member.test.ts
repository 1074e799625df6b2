// A template calling a method its str lacks. dbt's parse render lets a missing attribute through
// (dbt/clients/jinja.py `create_undefined`: its Undefined drops `obj`, and `__getattr__` and
// `__call__` give an Undefined back), so `s.nosuch()` only fails when the node compiles, with
// Jinja2's `'str object' has no attribute 'nosuch'` at the macro's line. A method Python's str
// has but tsdbt lacked (`maketrans`, once) made dbt's parse pass and tsdbt's fail far away
// (`split() missing required argument 'string'`): such a name now fails at the call, while parsing.
import { afterAll, describe, expect, it } from 'vitest';
import { strMethods } from '../../src/jinja/engine/py-str-methods.js';
import { offlineProject, type OfflineProject } from '../support/offline-project.js';
import { removeDir } from '../support/testdir.js';

// Every model rendered while parsing, as dbt renders one its static parser cannot read
// (tsdbt's would skip these renders: clean_name provably records nothing).
const PROJECT = 'name: demo\nprofile: demo\nflags:\n  static_parser: false\n';

function macroCalling(method: string): string {
  return [
    '{% macro clean_name(column_str) %}',
    "  {%- set punc = '-.' -%}",
    `  {%- set cleaned = column_str.translate(column_str.${method}('', '', punc)) -%}`,
    "  {{ return(modules.re.split(' ', cleaned) | join('_')) }}",
    '{% endmacro %}',
  ].join('\n');
}

async function failure(files: Record<string, string>, command: 'parse' | 'compile'): Promise<{ message: string; location?: unknown }> {
  const err = await offlineProject(files, command).then(
    () => undefined,
    (e: unknown) => e as { message: string; location?: unknown },
  );
  if (!err) throw new Error(`${command} passed`);
  return err;
}

describe('a template calling a method its str lacks', () => {
  let p: OfflineProject | undefined;
  afterAll(() => p && removeDir(p.dir));

  it('renders with the method Python has', async () => {
    p = await offlineProject({ 'dbt_project.yml': PROJECT, 'macros/clean.sql': macroCalling('maketrans'), 'models/m.sql': "select '{{ clean_name('a-b c.d') }}' as x" });
    expect(p.compiled('m')).toBe("select 'ab_cd' as x");
  });

  it('passes the parse, as dbt does, and fails the compile at the call with Jinja2 message', async () => {
    const macro = ['{% macro clean_name(column_str) %}', "  {%- set punc = '-.' -%}", "  {%- set cleaned = column_str.maketranz('', '', punc) -%}", '  {{ return(cleaned) }}', '{% endmacro %}'].join('\n');
    const files = { 'dbt_project.yml': PROJECT, 'macros/clean.sql': macro, 'models/m.sql': "select '{{ clean_name('a-b c.d') }}' as x" };
    const parsed = await offlineProject(files, 'parse');
    removeDir(parsed.dir);
    const err = await failure(files, 'compile');
    expect(err.message).toContain("'str object' has no attribute 'maketranz'");
    expect(err.location).toEqual({ file: 'macros/clean.sql', line: 3 });
  });

  it('fails the parse at the call when tsdbt lacks a method Python has', async () => {
    const files = { 'dbt_project.yml': PROJECT, 'macros/clean.sql': macroCalling('maketrans'), 'models/m.sql': "select '{{ clean_name('a-b c.d') }}' as x" };
    const table = strMethods as Record<string, unknown>;
    const saved = table.maketrans;
    delete table.maketrans;
    try {
      const err = await failure(files, 'parse');
      expect(err.message).toContain("'str object' has no attribute 'maketrans' (Python's str.maketrans exists, but tsdbt does not implement it yet");
      expect(err.location).toEqual({ file: 'macros/clean.sql', line: 3 });
    } finally {
      table.maketrans = saved;
    }
  });
});

// dbt 1.10's validate_macro_args behaviour flag (docs: reference/global-configs/behavior-flags/
// validate_macro_args): off, a macro's manifest `arguments` are what its property file documents,
// unchecked; on, an undocumented macro lists its signature's names, and documented names, their
// number and their types are checked at parse, each mismatch an InvalidMacroAnnotation warning.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';
import { jsonLogEvents } from '../support/json-log.js';

const MACROS = '{% macro my_macro(my_arg_1, my_arg_2, my_arg_3) %}{% endmacro %}\n{% macro plain(x, y=1) %}{% endmacro %}\n';
const YML = 'macros:\n  - name: my_macro\n    arguments:\n      - name: my_arg_1\n        type: string\n      - name: my_wrong_arg_2\n        type: invalid_type\n';

describe('validate_macro_args', () => {
  const on = testdir({ 'dbt_project.yml': `${MINIMAL_PROJECT_YML}flags:\n  validate_macro_args: true\n`, 'macros/m.sql': MACROS, 'macros/m.yml': YML });
  const off = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, 'macros/m.sql': MACROS, 'macros/m.yml': YML });
  afterAll(() => {
    removeDir(on);
    removeDir(off);
  });
  const macros = (dir: string) => (JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as { macros: Record<string, { arguments: unknown[] }> }).macros;

  it('on: warns the misnamed argument, the count and the invalid type, and lists an undocumented macro\'s signature', async () => {
    const r = await runTsdbt(['parse', '--project-dir', on, '--log-format', 'json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const events = jsonLogEvents(r.stdout).filter((e) => e.name === 'InvalidMacroAnnotation');
    // dbt's `info.msg` is the bare message (dbt's own tests match it with startswith); the file and
    // line tsdbt points at are the line's `data.location`.
    expect(events.map((e) => (e.data.location as { file: string }).file)).toEqual(['macros/m.yml', 'macros/m.yml', 'macros/m.yml']);
    const warned = events.map((e) => e.msg);
    expect(warned).toEqual([
      'Argument my_wrong_arg_2 in yaml for macro my_macro does not match the jinja definition.',
      'The number of arguments in the yaml for macro my_macro does not match the jinja definition.',
      'Argument my_wrong_arg_2 in the yaml for macro my_macro has an invalid type.',
    ]);
    expect(macros(on)['macro.demo.plain']?.arguments).toEqual([
      { name: 'x', type: null, description: '' },
      { name: 'y', type: null, description: '' },
    ]);
    expect(macros(on)['macro.demo.my_macro']?.arguments).toEqual([
      { name: 'my_arg_1', type: 'string', description: '' },
      { name: 'my_wrong_arg_2', type: 'invalid_type', description: '' },
    ]);
  });

  it('text lines start with the file and line the warning points at', async () => {
    // The second parse finds nothing changed and repeats the warnings from its index.
    for (let i = 0; i < 2; i++) {
      const r = await runTsdbt(['parse', '--project-dir', on]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(/macros\/m\.yml:\d+: Argument my_wrong_arg_2 in yaml for macro my_macro does not match the jinja definition\./);
    }
  });

  it('off (the default): no warning, and only documented arguments in manifest.json', async () => {
    const r = await runTsdbt(['parse', '--project-dir', off]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).not.toContain('jinja definition');
    expect(macros(off)['macro.demo.plain']?.arguments).toEqual([]);
    expect(macros(off)['macro.demo.my_macro']?.arguments).toHaveLength(2);
  });
});

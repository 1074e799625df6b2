// dbt reads a macro file for its top-level blocks only (MacroParser over dbt-common's
// extract_toplevel_blocks: each `{% macro %}` / `{% test %}` / `{% materialization %}` block is
// parsed on its own), so what sits between them is never parsed: text, `{{ ... }}`, a top-level
// `{% set %}`, even a tag Jinja refuses, as re_data's `{% https://github.com/... %}` note above a
// macro. Errors inside a block still name the file and line.
import { afterAll, describe, expect, it } from 'vitest';
import { offlineProject, type OfflineProject } from '../support/offline-project.js';
import { removeDir } from '../support/testdir.js';

describe('macro files are read for their top-level blocks', () => {
  let p: OfflineProject | undefined;
  afterAll(() => p && removeDir(p.dir));

  it('ignores what lies between the blocks, however it is written', async () => {
    p = await offlineProject({
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'macros/notes.sql': [
        '{% https://github.com/re-data/re-data/issues/143 %}',
        'free text {{ undefined_thing.attr }}',
        "{% set prefix = 'top' %}",
        "{% macro greet(name) %}'hello {{ name }}{{ prefix }}'{% endmacro %}",
        '{% endif %}',
        '{% test positive(model, column_name) %}select * from {{ model }} where {{ column_name }} < 0{% endtest %}',
      ].join('\n'),
      'models/m.sql': "select {{ greet('you') }} as greeting",
    });
    // The top-level set is no part of the macro, as in dbt: `prefix` is undefined inside it.
    expect(p.compiled('m')).toBe("select 'hello you' as greeting");
  });

  it('still reports an error inside a block at its file and line', async () => {
    const failed = await offlineProject({
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'macros/broken.sql': ['{% note %}', '', '{% macro broken() %}', '{% if %}', '{% endmacro %}'].join('\n'),
      'models/m.sql': 'select 1 as x',
    }).catch((err: unknown) => err as { location?: unknown });
    expect((failed as { location?: unknown }).location).toEqual({ file: 'macros/broken.sql', line: 4 });
  });
});

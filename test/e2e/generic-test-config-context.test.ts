// A generic test's config values render at parse in the property file's context (dbt's docs,
// resource config `where`, "Custom logic": "The rendering context for the where config is the same
// as for all configurations defined in .yml files. You have access to {{ var() }} and
// {{ env_var() }}, but you do not have access to custom macros"). dbt's TestBuilder renders them
// with the schema YAML context, so `ref()` or a macro there is its
// CustomMacroPopulatingConfigValueError under "Invalid generic test configuration given in <file>"
// (dbt-core's TestGenericTestsConfigCustomMacros).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFiles, PGLITE_PROFILES } from '../support/parse-files.js';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const schema = (config: string) => `version: 2
models:
- name: model_a
  columns:
  - name: id
    data_tests:
    - not_null:
        config:
${config}
`;

describe('a generic test config calling what property files lack', () => {
  it("refuses ref() in `where` with dbt's message", async () => {
    const out = await parseFiles({ 'models/model_a.sql': 'select 1 as id\n', 'models/schema.yml': schema(`          where: "id = (select id from {{ ref('model_a') }} limit 1)"`) });
    expect(out.code).toBe(2);
    expect(out.out).toContain(
      'Invalid generic test configuration given in models/schema.yml: The model_a.id column\'s "not_null" test references an undefined macro in its where configuration argument. The macro \'ref\' is undefined.',
    );
  });

  it('refuses a project macro in another config key', async () => {
    const out = await parseFiles({
      'models/model_a.sql': 'select 1 as id\n',
      'macros/level.sql': "{% macro level() %}warn{% endmacro %}\n",
      'models/schema.yml': schema('          severity: "{{ level() }}"'),
    });
    expect(out.code).toBe(2);
    expect(out.out).toContain('test references an undefined macro in its severity configuration argument. The macro \'level\' is undefined.');
  });
});

describe('a generic test config using what property files give', () => {
  it('renders var(), env_var() and target natively', async () => {
    const dir = testdir({
      'dbt_project.yml': 'name: demo\nprofile: demo\nvars:\n  cutoff: 3\n',
      'profiles.yml': PGLITE_PROFILES,
      'models/model_a.sql': 'select 1 as id\n',
      'models/schema.yml': schema(
        [`          where: "id < {{ var('cutoff') }} and k = '{{ env_var('TSDBT_TEST_KIND') }}'"`, `          severity: "{{ 'warn' if target.name == 'dev' else 'error' }}"`, `          enabled: "{{ target.name == 'dev' }}"`].join('\n'),
      ),
    });
    try {
      const result = await runTsdbt(['parse', '--project-dir', dir, '--profiles-dir', dir], { env: { TSDBT_TEST_KIND: 'b' } });
      expect(result.code, result.stdout + result.stderr).toBe(0);
      const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, { resource_type: string; config: Record<string, unknown> }> };
      const test = Object.values(manifest.nodes).find((n) => n.resource_type === 'test');
      expect(test?.config).toMatchObject({ where: "id < 3 and k = 'b'", severity: 'warn', enabled: true });
    } finally {
      removeDir(dir);
    }
  });
});

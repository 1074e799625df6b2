import { describe, expect, it } from 'vitest';
import { parseYamlText } from '../config/yaml-file.js';
import { projectKeyWarnings } from '../config/project-keys.js';
import { propertyKeyWarnings } from './property-keys.js';

/** The warnings shown on every adapter; with `dbtOnly`, those shown only where dbt runs its JSON-schema checks. */
function warn(text: string, dbtOnly = false) {
  const yaml = parseYamlText(text, 'models/p.yml');
  return propertyKeyWarnings(yaml.value, 'models/p.yml', yaml.locate)
    .filter((w) => (w.dbtValidationOnly === true) === dbtOnly)
    .map((w) => `${w.location.line}: ${w.event}: ${w.message}`);
}

describe('propertyKeyWarnings', () => {
  it('names the key, its dbt key path and line, for nested entries too', () => {
    const out = warn(
      [
        'version: 2',
        'macros:',
        '  - name: m',
        '    arguments:',
        '      - name: x',
        '        typ: int',
        'unit_tests:',
        '  - name: t',
        '    model: m',
        '    given:',
        '      - input: ref("a")',
        '        row: []',
        '    expect: {rows: [], fromat: dict}',
        'sources:',
        '  - name: s',
        '    overrides: some_package',
        '    tables: []',
        '',
      ].join('\n'),
    );
    expect(out).toEqual([
      '6: CustomKeyInObjectDeprecation: Custom key `typ` found at `macros[0].arguments[0]` in file `models/p.yml`. This may mean the key is a typo, or is simply not a key supported by the object. Did you mean `type`?',
      '12: CustomKeyInObjectDeprecation: Custom key `row` found at `unit_tests[0].given[0]` in file `models/p.yml`. This may mean the key is a typo, or is simply not a key supported by the object. Did you mean `rows`?',
      '13: CustomKeyInObjectDeprecation: Custom key `fromat` found at `unit_tests[0].expect` in file `models/p.yml`. This may mean the key is a typo, or is simply not a key supported by the object. Did you mean `format`?',
      "16: SourceOverrideDeprecation: The source property `overrides` is deprecated but was found on source `s` in file `models/p.yml`. Instead, `enabled` should be used to disable the unwanted source.",
    ]);
  });

  it('is silent on every adapter on config keys under config:, merge keys, model versions and semantic-layer sections', () => {
    expect(
      warn(
        [
          'version: 2',
          'anchors:',
          '  - &cfg {anything_at_all: 1}',
          'models:',
          '  - name: m',
          '    config: {<<: *cfg, my_team_setting: x, materialized: table}',
          '    versions:',
          '      - v: 2',
          '        columns: [{include: all, exclude: [a]}]',
          '        anything: goes',
          'semantic_models:',
          '  - name: sm',
          '    whatever: 1',
          'metrics: [{name: m, odd: 1}]',
          '',
        ].join('\n'),
      ),
    ).toEqual([]);
  });
});

describe('projectKeyWarnings', () => {
  it('warns about unknown and renamed top-level keys only', () => {
    const yaml = parseYamlText('name: p\nconfig-version: 2\nmodle-paths: [m]\ndata-paths: [d]\nvars: {}\ndispatch: []\n', 'dbt_project.yml');
    const warnings = (dbtSchemaChecks: boolean) =>
      projectKeyWarnings(yaml.value as Record<string, unknown>, 'dbt_project.yml', yaml.locate, { dbtSchemaChecks }).map((w) => `${w.location.line}: ${w.event}${w.dbtValidationOnly ? ' (where dbt validates)' : ''}`);
    expect(warnings(false)).toEqual(['3: CustomTopLevelKeyDeprecation', '4: ConfigDataPathDeprecation']);
    // data-paths is no key of dbt's schema (dbt on Snowflake warns both), but dbt reads it (dbt-postgres warns the rename only).
    expect(warnings(true)).toEqual(['3: CustomTopLevelKeyDeprecation', '4: ConfigDataPathDeprecation', '4: CustomTopLevelKeyDeprecation (where dbt validates)']);
  });
});

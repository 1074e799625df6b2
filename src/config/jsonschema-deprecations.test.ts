// dbt 1.10+'s JSON-schema deprecations, from dbt's docs (reference/deprecations: "Custom key in
// config", "Custom key in object", "Missing plus prefix", "Property moved to config") and the
// cases of dbt-core's tests/functional/deprecations, each asserting the event and dbt's words.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelConfigDeprecations, projectFileDeprecations, propertyFileDeprecations } from './jsonschema-deprecations.js';
import { dbtSchemas } from './jsonschema-validators.js';
import { PROJECT_KEYS } from './project-keys.js';
import { parseYamlText } from './yaml-file.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (text: string, file: string) => parseYamlText(text, file, { timestamps: true }).value;
const events = (found: { event: string; message: string }[]) => found.map((d) => `${d.event}: ${d.message}`);

describe('property files', () => {
  it('a custom key under a model\'s config: is CustomKeyInConfigDeprecation, one per key', () => {
    const yaml = ['models:', '  - name: models_trivial', '    description: "This is a test model"', '    deprecation_date: 1999-01-01 00:00:00.00+00:00', '    config:', '      my_custom_key: "my_custom_value"', '      my_custom_key2: 2', ''].join('\n');
    expect(events(propertyFileDeprecations(read(yaml, 'models/models.yml'), 'models/models.yml'))).toEqual([
      'CustomKeyInConfigDeprecation: Custom key `my_custom_key` found in `config` at path `models[0].config` in file `models/models.yml`. Custom config keys should move into the `config.meta`.',
      'CustomKeyInConfigDeprecation: Custom key `my_custom_key2` found in `config` at path `models[0].config` in file `models/models.yml`. Custom config keys should move into the `config.meta`.',
    ]);
  });

  it('an unknown key in an entry is CustomKeyInObjectDeprecation; a config key there PropertyMovedToConfigDeprecation; a source\'s overrides SourceOverrideDeprecation; an unknown section CustomTopLevelKeyDeprecation', () => {
    const yaml = [
      'version: 2',
      'models:',
      '  - name: m',
      '    my_custom_property: "It\'s over"',
      '    access: public',
      '    columns:',
      '      - name: id',
      '        tags: [a]',
      'sources:',
      '  - name: s',
      '    overrides: other_package',
      '    tables: [{name: t, freshness: {warn_after: {count: 1, period: day}}}]',
      'modles: []',
      '',
    ].join('\n');
    expect(propertyFileDeprecations(read(yaml, 'models/p.yml'), 'models/p.yml').map((d) => [d.event, d.path.join('.'), d.data])).toEqual([
      ['CustomTopLevelKeyDeprecation', 'modles', { msg: 'Unexpected top-level key modles', file: 'models/p.yml' }],
      ['CustomKeyInObjectDeprecation', 'models.0.my_custom_property', { key: 'my_custom_property', file: 'models/p.yml', key_path: 'models[0]' }],
      ['PropertyMovedToConfigDeprecation', 'models.0.access', { key: 'access', file: 'models/p.yml', key_path: 'models[0]' }],
      ['PropertyMovedToConfigDeprecation', 'models.0.columns.0.tags', { key: 'tags', file: 'models/p.yml', key_path: 'models[0].columns[0]' }],
      ['SourceOverrideDeprecation', 'sources.0.overrides', { source_name: 's', file: 'models/p.yml' }],
      ['PropertyMovedToConfigDeprecation', 'sources.0.tables.0.freshness', { key: 'freshness', file: 'models/p.yml', key_path: 'sources[0].tables[0]' }],
    ]);
    expect(events(propertyFileDeprecations(read(yaml, 'models/p.yml'), 'models/p.yml'))[1]).toBe(
      'CustomKeyInObjectDeprecation: Custom key `my_custom_property` found at `models[0]` in file `models/p.yml`. This may mean the key is a typo, or is simply not a key supported by the object.',
    );
  });

  it('a wrong type is no deprecation (dbt does not deprecate types yet); a missing required name is dbt\'s preview GenericJSONSchemaValidationDeprecation', () => {
    expect(propertyFileDeprecations(read('models:\n  - name: m\n    deprecation_date: 19990101\n    description: 5\n', 'm.yml'), 'm.yml')).toEqual([]);
    expect(events(propertyFileDeprecations(read('models:\n  - description: x\n', 'm.yml'), 'm.yml'))).toEqual([
      "GenericJSONSchemaValidationDeprecation: 'name' is a required property in file `m.yml` at path `models[0]` is possibly a deprecation. This generally means that either we failed to catch this as a more specific deprecation type OR our JSONSchema had a regression (and this deprecation was erroneous).",
    ]);
  });
});

describe('dbt_project.yml', () => {
  const project = (trees: string) => read(`name: p\nversion: '1.0'\nconfig-version: 2\nprofile: p\n${trees}`, 'dbt_project.yml');

  it('a config key without its + in a resource tree is MissingPlusPrefixDeprecation, at any depth; a +key dbt does not know is CustomKeyInConfigDeprecation', () => {
    const found = projectFileDeprecations(project('models:\n  docs:\n  p:\n    staging:\n      materialized: view\n      +my_key: 1\n      +meta: {anything: {goes: 1}}\nseeds:\n  path:\n    +enabled: true\n    sub_path:\n      enabled: true\n'), 'dbt_project.yml');
    expect(events(found)).toEqual([
      "MissingPlusPrefixDeprecation: Missing '+' prefix on `docs` found at `docs` in file `dbt_project.yml`. Hierarchical config values without a '+' prefix are deprecated in dbt_project.yml.",
      "MissingPlusPrefixDeprecation: Missing '+' prefix on `materialized` found at `p.staging.materialized` in file `dbt_project.yml`. Hierarchical config values without a '+' prefix are deprecated in dbt_project.yml.",
      'CustomKeyInConfigDeprecation: Custom key `+my_key` found in `config` at path `p.staging.+my_key` in file `dbt_project.yml`. Custom config keys should move into the `config.meta`.',
      "MissingPlusPrefixDeprecation: Missing '+' prefix on `enabled` found at `path.sub_path.enabled` in file `dbt_project.yml`. Hierarchical config values without a '+' prefix are deprecated in dbt_project.yml.",
    ]);
    expect(found.map((d) => d.path.join('.'))).toEqual(['models.docs', 'models.p.staging.materialized', 'models.p.staging.+my_key', 'seeds.path.sub_path.enabled']);
  });

  it('folders, +configs and empty trees are fine', () => {
    expect(projectFileDeprecations(project('models:\n  p:\n    +materialized: table\n    nested_dir_l1:\n      nested_dir_l2: {+enabled: true}\n    +docs: {show: true}\nseeds:\nsnapshots:\n'), 'dbt_project.yml')).toEqual([]);
  });

  it('PROJECT_KEYS (the top-level keys checked without the validator) are the schema\'s', () => {
    expect([...PROJECT_KEYS].sort()).toEqual(Object.keys(dbtSchemas().schemas.project.properties ?? {}).sort());
  });
});

describe("a model's config() call", () => {
  it('a custom key is CustomKeyInConfigDeprecation without a path; hooks and known keys are not', () => {
    expect(events(modelConfigDeprecations({ my_custom_key: 'my_custom_value', materialized: 'table', pre_hook: 'select 2', 'post-hook': ['select 1'] }, 'models/m.sql'))).toEqual([
      'CustomKeyInConfigDeprecation: Custom key `my_custom_key` found in `config` in file `models/m.sql`. Custom config keys should move into the `config.meta`.',
    ]);
  });
});

describe('the example project at the repository root', () => {
  it('gives no deprecation: dbt_project.yml and every property file fit dbt\'s schemas', () => {
    const files = execFileSync('git', ['ls-files', '*.yml'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .filter((f) => /^(models|seeds|snapshots|macros|analyses|tests)\//.test(f));
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) expect(propertyFileDeprecations(read(readFileSync(path.join(ROOT, file), 'utf8'), file), file), file).toEqual([]);
    expect(projectFileDeprecations(read(readFileSync(path.join(ROOT, 'dbt_project.yml'), 'utf8'), 'dbt_project.yml'), 'dbt_project.yml')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import type { SourceLocation, TsdbtError } from '../errors/tsdbt-error.js';
import { TsdbtErrorList } from '../errors/tsdbt-error.js';
import { parseSchemaFile } from './index.js';
import { renderYamlValue } from '../jinja/dbt/yaml-values.js';

const parse = (content: string) => parseSchemaFile({ kind: 'yaml', path: 'models/schema.yml', absPath: '/x/models/schema.yml', resourceDir: 'models', content });

describe('parseSchemaFile', () => {
  it('normalises every test form dbt accepts', () => {
    const file = parse(
      [
        'version: 2',
        'models:',
        '  - name: stg_events',
        '    description: one row per event',
        '    config: {materialized: table}',
        '    data_tests:',
        '      - dbt_utils.expression_is_true: {expression: "a > 0"}',
        '    columns:',
        '      - name: event_id',
        '        data_type: text',
        '        tests:',
        '          - unique',
        '          - not_null: {config: {severity: warn}}',
        '      - name: event_type',
        '        data_tests:',
        '          - accepted_values:',
        "              values: ['page_view', 'purchase']",
        '              severity: warn',
        '          - accepted_values:',
        '              name: event_type_known',
        '              arguments:',
        "                values: ['a']",
        '                quote: false',
        '              config:',
        '                where: "event_ts > now()"',
        '      - name: user_id',
        '        tests:',
        "          - relationships: {to: ref('users'), field: id}",
        '',
      ].join('\n'),
    );
    const model = file.models[0]!;
    expect(model).toMatchObject({ name: 'stg_events', description: 'one row per event', config: { materialized: 'table' }, location: { file: 'models/schema.yml', line: 3 } });
    expect(model.tests).toEqual([{ testName: 'dbt_utils.expression_is_true', args: { expression: 'a > 0' }, config: {}, customName: null, description: '', topLevelArguments: true, location: { file: 'models/schema.yml', line: 7 } }]);
    const [eventId, eventType, userId] = model.columns;
    expect(eventId!.data_type).toBe('text');
    expect(eventId!.tests.map((t) => [t.testName, t.config])).toEqual([['unique', {}], ['not_null', { severity: 'warn' }]]);
    expect(eventType!.tests[0]).toMatchObject({ testName: 'accepted_values', args: { values: ['page_view', 'purchase'] }, config: { severity: 'warn' } });
    expect(eventType!.tests[1]).toMatchObject({ testName: 'accepted_values', customName: 'event_type_known', args: { values: ['a'], quote: false }, config: { where: 'event_ts > now()' }, location: { line: 19 } });
    expect(userId!.tests[0]).toMatchObject({ testName: 'relationships', args: { to: "ref('users')", field: 'id' } });
  });

  it('reads sources with table overrides', () => {
    const file = parse(
      ['sources:', '  - name: raw', '    schema: landing', '    loaded_at_field: _loaded_at', '    freshness: {warn_after: {count: 1, period: hour}}', '    tables:', '      - name: events', '        identifier: click_events', '        freshness: null', '      - name: users', '        columns:', '          - name: id', '            tests: [unique]', ''].join('\n'),
    );
    const source = file.sources[0]!;
    expect(source).toMatchObject({ name: 'raw', schema: 'landing', loaded_at_field: '_loaded_at', freshness: { warn_after: { count: 1, period: 'hour' } } });
    expect(source.tables[0]).toMatchObject({ name: 'events', identifier: 'click_events', freshness: null });
    expect(source.tables[1]!.freshness).toBeUndefined();
    expect(source.tables[1]!.columns[0]!.tests[0]!.testName).toBe('unique');
  });

  it('reports malformed entries with their line', () => {
    const errors = (text: string): TsdbtError[] => {
      try {
        parse(text);
      } catch (err) {
        return err instanceof TsdbtErrorList ? err.errors : [err as TsdbtError];
      }
      return [];
    };
    const [noName] = errors('models:\n  - description: x\n');
    expect(noName).toMatchObject({ code: 'schema-invalid', location: { file: 'models/schema.yml', line: 2 } });
    const [badTest] = errors('models:\n  - name: m\n    columns:\n      - name: c\n        tests:\n          - unique: x\n            not_null: y\n');
    expect(badTest!.location).toEqual({ file: 'models/schema.yml', line: 6 });
    expect(badTest!.message).toMatch(/exactly one key/);
    const [tab] = errors('models:\n\t- name: m\n');
    expect(tab!.code).toBe('yaml-invalid');
    expect(tab!.location?.line).toBe(2);
    const [cols] = errors('models:\n  - name: m\n    columns: oops\n');
    expect(cols!.location?.line).toBe(3);

    // A name YAML read as a boolean or a number (as dbt's PyYAML does): the error says why, at its line.
    const [off, year] = errors('models:\n  - name: m\n    columns:\n      - name: off\nsources:\n  - name: 2024\n');
    expect(off).toMatchObject({ location: { line: 4 }, hint: 'quote the name, e.g. `- name: "off"`' });
    expect(off!.message).toBe('each column needs a `name`: YAML reads this unquoted name as the boolean false (on/off/yes/no are booleans to dbt\'s YAML reader too)');
    expect(year!.message).toContain('as the number 2024');
  });
});

describe('parseSchemaFile with a renderer (dbt SchemaYamlRenderer)', () => {
  const render = (value: string, location: SourceLocation) => renderYamlValue(value, { env: {}, vars: { s: 'audit', year: 2024 }, location, target: { name: 'dev', type: 'postgres' } });
  const parseRendered = (content: string) => parseSchemaFile({ kind: 'yaml', path: 'models/schema.yml', absPath: '/x/models/schema.yml', resourceDir: 'models', content }, render);

  it('renders entries natively but leaves descriptions, tests and hooks as written', () => {
    const file = parseRendered(
      [
        'version: 2',
        'models:',
        '  - name: m',
        '    description: "{{ doc(\'m\') }}"',
        '    config:',
        "      schema: \"{{ var('s') }}\"",
        "      enabled: \"{{ target.name == 'dev' }}\"",
        "      tags: \"{{ ['a', target.type] }}\"",
        "      post_hook: \"grant select on {{ this }} to r\"",
        '    data_tests:',
        "      - expression_is_true: {expression: \"{{ var('s') }}\"}",
        '    columns:',
        '      - name: c',
        '        description: "{{ doc(\'c\') }}"',
        '        meta: {owner: "{{ target.name }}"}',
        'seeds:',
        '  - name: codes',
        '    config: {column_types: {a: "{{ \'varchar(\' ~ 10 ~ \')\' }}"}}',
        'sources:',
        '  - name: raw',
        "    schema: \"{{ var('year') }}\"",
        '    tables: [{name: t, description: "{{ x }}"}]',
        'unit_tests:',
        '  - name: ut',
        '    model: m',
        "    config: {tags: \"{{ 'skip' if target.type != 'snowflake' else 'runnable' }}\"}",
        '    given: []',
        '    expect: {rows: [{a: 1}]}',
        '',
      ].join('\n'),
    );
    const model = file.models[0];
    expect(model?.description).toBe("{{ doc('m') }}");
    expect(model?.config).toEqual({ schema: 'audit', enabled: true, tags: ['a', 'postgres'], post_hook: 'grant select on {{ this }} to r' });
    expect(model?.tests[0]?.args).toEqual({ expression: "{{ var('s') }}" });
    expect(model?.columns[0]).toMatchObject({ description: "{{ doc('c') }}", meta: { owner: 'dev' } });
    expect(file.seeds[0]?.config).toEqual({ column_types: { a: 'varchar(10)' } });
    expect(file.sources[0]).toMatchObject({ schema: '2024', tables: [{ description: '{{ x }}' }] });
    expect(file.unitTests[0]?.config).toEqual({ tags: 'skip' });
  });

  it("renders a YAML date or datetime to its isoformat() text (dbt's render_value), but not in data tests", () => {
    const file = parseRendered(
      [
        'version: 2',
        'models:',
        '  - name: m',
        '    config: {materialized: incremental, begin: 2020-01-01, meta: {at: 2020-01-01 11:30:00}}',
        '    data_tests:',
        '      - accepted_values: {values: [2024-01-31]}',
        '',
      ].join('\n'),
    );
    expect(file.models[0]?.config).toEqual({ materialized: 'incremental', begin: '2020-01-01', meta: { at: '2020-01-01T11:30:00' } });
    expect(String((file.models[0]?.tests[0]?.args as { values: unknown[] }).values[0])).toBe('2024-01-31');
    expect(typeof (file.models[0]?.tests[0]?.args as { values: unknown[] }).values[0]).toBe('object');
  });

  it("renders exposures, groups and semantic-layer entries too, but keeps MetricFlow's filter and where templates", () => {
    const file = parseRendered(
      [
        'version: 2',
        'exposures:',
        '  - name: "weekly_{{ target.name }}"',
        '    type: dashboard',
        '    url: "https://bi.example.com/{{ var(\'s\') }}"',
        '    owner: {email: "{{ var(\'s\') }}@example.com"}',
        '    description: "{{ doc(\'weekly\') }}"',
        '    depends_on: ["ref(\'orders_{{ var(\'year\') }}\')"]',
        'groups:',
        '  - name: finance',
        '    owner: {name: "{{ target.name }} team"}',
        'metrics:',
        '  - name: revenue',
        '    label: "Revenue {{ var(\'year\') }}"',
        '    type: simple',
        '    type_params: {measure: {name: amount, filter: "{{ Dimension(\'order__status\') }} = \'done\'"}}',
        '    filter: ["{{ Dimension(\'order__region\') }} = \'EU\'"]',
        'saved_queries:',
        '  - name: q',
        '    query_params:',
        '      metrics: [revenue]',
        '      where: ["{{ TimeDimension(\'metric_time\', \'day\') }} > \'2024-01-01\'"]',
        '    config: {schema: "{{ var(\'s\') }}"}',
        '',
      ].join('\n'),
    );
    const entry = (section: string, i = 0) => file.declared?.filter((d) => d.section === section)[i]?.entry;
    expect(entry('exposures')).toMatchObject({
      name: 'weekly_dev',
      url: 'https://bi.example.com/audit',
      owner: { email: 'audit@example.com' },
      description: "{{ doc('weekly') }}",
      depends_on: ["ref('orders_2024')"],
    });
    expect(entry('groups')).toMatchObject({ owner: { name: 'dev team' } });
    expect(entry('metrics')).toMatchObject({
      label: 'Revenue 2024',
      type_params: { measure: { filter: "{{ Dimension('order__status') }} = 'done'" } },
      filter: ["{{ Dimension('order__region') }} = 'EU'"],
    });
    expect(entry('saved_queries')).toMatchObject({ query_params: { where: ["{{ TimeDimension('metric_time', 'day') }} > '2024-01-01'"] }, config: { schema: 'audit' } });
  });

  it('reports a render error at the line of the value', () => {
    let error: unknown;
    try {
      parseRendered('version: 2\nmodels:\n  - name: m\n    config:\n      alias: "{{ nope() }}"\n');
    } catch (err) {
      error = err;
    }
    expect((error as TsdbtError).location).toEqual({ file: 'models/schema.yml', line: 5 });
  });

  it("refuses a file that is a list, in dbt's words (Dictionary expected)", () => {
    expect(() => parse('- name: my_model\n')).toThrow("Contents of file 'models/schema.yml' are not valid. Dictionary expected");
  });

  it("refuses a resource section that is not a list of named mappings, in dbt's validate_yaml words", () => {
    const thrown = (text: string): TsdbtError => {
      try {
        parse(text);
      } catch (err) {
        return err as TsdbtError;
      }
      throw new Error('parsed');
    };
    const notList = thrown('version: 2\n\nmodels:\n  name: model\n  columns: []\n');
    expect(notList.message).toBe("The schema file at models/schema.yml is invalid because the value of 'models' is not a list");
    expect(notList.location).toEqual({ file: 'models/schema.yml', line: 3 });
    expect(thrown('seeds:\n  - just_a_name\n').message).toBe("The schema file at models/schema.yml is invalid because a list element for 'seeds' is not a dictionary");
    expect(thrown('models:\n  - name: m\nexposures:\n  - type: dashboard\n').message).toBe(
      "The schema file at models/schema.yml is invalid because a list element for 'exposures' does not have a name attribute.",
    );
  });
});

import { describe, expect, it } from 'vitest';
import type { TsdbtError} from '../errors/tsdbt-error.js';
import { TsdbtErrorList } from '../errors/tsdbt-error.js';
import { parseSchemaFile } from './index.js';

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
  });
});

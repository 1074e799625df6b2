// YAML read as dbt reads it (PyYAML's SafeLoader): merge keys apply, a key given twice keeps its
// last value, dbt's DuplicateYAMLKeysDeprecation warning is ours too, and yes/no/on/off are
// booleans and `010` is 8 while `1e3` is text (YAML 1.1's, as PyYAML resolves them; not y/n).
import { describe, expect, it } from 'vitest';
import { PyDate, PyDatetime } from '../jinja/pylib/datetime/index.js';
import { parseCliVars } from './vars.js';
import { isPlainObject, parseYamlDocument, parseYamlText } from './yaml-file.js';

describe('isPlainObject', () => {
  it("is a mapping, not a datetime.date PyYAML read (walking it as one lost the date: `{}`)", () => {
    expect(isPlainObject({ a: 1 })).toBe(true);
    expect(isPlainObject(Object.create(null))).toBe(true);
    expect(isPlainObject(new PyDate(2024, 1, 31))).toBe(false);
    expect(isPlainObject(PyDatetime.create(2024, 1, 31, 10, 0, 0, 0, null))).toBe(false);
    expect(isPlainObject([1])).toBe(false);
  });
});

describe('parseYamlText', () => {
  it("reads yes/no/on/off as PyYAML does (booleans, in three spellings), y/n and quoted ones as text, on both reading paths", () => {
    const text = ['enabled: no', 'quote: Yes', 'persist: ON', 'show: off', 'also: NO', 'letter: y', 'other: n', 'quoted: "no"', 'noisy: nope', 'yes: 1', 'tags: [on, off, yes]', ''].join('\n');
    const expected = { enabled: false, quote: true, persist: true, show: false, also: false, letter: 'y', other: 'n', quoted: 'no', noisy: 'nope', true: 1, tags: [true, false, true] };
    expect(parseYamlText(text, 'models/x.yml').value).toEqual(expected);
    expect(parseYamlDocument(text, 'models/x.yml').value).toEqual(expected);
    // --vars too, as dbt reads them with the same loader.
    expect(parseCliVars('{full: yes, partial: off, kind: n}')).toEqual({ full: true, partial: false, kind: 'n' });
  });

  it('reads numbers as PyYAML does (YAML 1.1: octal 010, 1_000, base-60 1:30; 1e3, 08 and 0o17 are text), on both reading paths', () => {
    const text = ['octal: 010', 'under: 1_000', 'base60: 1:30', 'binary: 0b101', 'hex: 0x1F', 'exp: 1e3', 'signed_exp: 1.5e+3', 'unsigned_exp: 1.5e3', 'eight: 08', 'oct12: 0o17', 'half: .5', 'minus_half: -.5', 'zero_colon: 0:30', 'float: 2.5', 'quoted: "010"', ''].join('\n');
    const expected = { octal: 8, under: 1000, base60: 90, binary: 5, hex: 31, exp: '1e3', signed_exp: 1500, unsigned_exp: '1.5e3', eight: '08', oct12: '0o17', half: 0.5, minus_half: '-.5', zero_colon: '0:30', float: 2.5, quoted: '010' };
    expect(parseYamlText(text, 'models/x.yml').value).toEqual(expected);
    expect(parseYamlDocument(text, 'models/x.yml').value).toEqual(expected);
    expect(parseCliVars('{start: 010, size: 1e3, time: 1:30}')).toEqual({ start: 8, size: '1e3', time: 90 });
  });

  it('applies merge keys (<<: *anchor)', () => {
    const yaml = parseYamlText(['shared: &col', '  data_type: text', '  tests: [not_null]', 'columns:', '  - <<: *col', '    name: a', '  - name: b', '    <<: *col', ''].join('\n'), 'models/x.yml');
    expect(yaml.value).toEqual({
      shared: { data_type: 'text', tests: ['not_null'] },
      columns: [
        { data_type: 'text', tests: ['not_null'], name: 'a' },
        { name: 'b', data_type: 'text', tests: ['not_null'] },
      ],
    });
    expect(yaml.warnings).toEqual([]);
  });

  it('keeps the last of a duplicate key, with a warning at its line', () => {
    const yaml = parseYamlText(['version: 2', 'models:', '  - name: a', 'models:', '  - name: b', ''].join('\n'), 'models/x.yml');
    expect(yaml.value).toEqual({ version: 2, models: [{ name: 'b' }] });
    expect(yaml.warnings).toHaveLength(1);
    expect(yaml.warnings[0]?.location).toEqual({ file: 'models/x.yml', line: 4 });
    expect(yaml.warnings[0]?.message).toBe('Duplicate key \'models\' in "<unicode string>", line 4, column 1 in file `models/x.yml`');
    // Locations point at the kept value.
    expect(yaml.locate(['models', 0])).toEqual({ file: 'models/x.yml', line: 5 });
  });

  // dbt's checked_load reads the file stripped of surrounding whitespace (load_file_contents), and
  // names the duplicate by PyYAML's mark: tests/functional/deprecations' TestDuplicateYAMLKeysInSchemaFiles.
  it("words a duplicate key as dbt's DuplicateYAMLKeysDeprecation, lines counted from the first non-blank one", () => {
    const text = ['', '  ', 'models:', '  - name: a', '    config: {x: 1, x: 2}', '', 'models:', '  - name: b', ''].join('\n');
    for (const read of [parseYamlText, parseYamlDocument]) {
      const yaml = read(text, 'models/m.yml');
      expect(yaml.warnings.map((w) => [w.location.line, w.message]).sort()).toEqual([
        [5, 'Duplicate key \'x\' in "<unicode string>", line 3, column 20 in file `models/m.yml`'],
        [7, 'Duplicate key \'models\' in "<unicode string>", line 5, column 1 in file `models/m.yml`'],
      ]);
    }
  });
  it("reads a quoted value whose continuation lines sit at its key's column, as PyYAML does (GitLab's analytics project)", () => {
    const text = [
      'version: 2',
      'models:',
      '  - name: mart_user_request',
      '    description: |',
      '      A block scalar keeps "this quote',
      '      and its lines as written.',
      '    columns:',
      '      - name: primary_key',
      '        description: "Primary key. It is at the grain of the user request',
      '        (combination of the issue_id or epic_id) and',
      '',
      '        the links"',
      '        tests:',
      "          - 'one'",
      '          - name: x',
      "            meta: {note: 'a",
      "            b''s'}",
      '',
    ].join('\n');
    const yaml = parseYamlText(text, 'models/schema.yml');
    expect(yaml.value).toEqual({
      version: 2,
      models: [
        {
          name: 'mart_user_request',
          description: 'A block scalar keeps "this quote\nand its lines as written.\n',
          columns: [{ name: 'primary_key', description: 'Primary key. It is at the grain of the user request (combination of the issue_id or epic_id) and\nthe links', tests: ['one', { name: 'x', meta: { note: "a b's" } }] }],
        },
      ],
    });
    // Positions keep their lines.
    expect(yaml.locate(['models', 0, 'columns', 0, 'tests'])).toEqual({ file: 'models/schema.yml', line: 13 });
    // A quote that never closes is still the file's error, at its own line.
    expect(() => parseYamlText(['a:', '  b: "open', '  c: 1', ''].join('\n'), 'models/bad.yml')).toThrow(/models\/bad\.yml|Missing closing/);
  });
});

// PyYAML ignores indentation inside a flow collection (`{...}`, `[...]`), so a closing bracket may
// sit at the indentation of the block entry it belongs to, or further left; a bracket never closed
// is still an error.
describe('flow collections closed at the block indentation', () => {
  it('reads a closing } or ] no deeper than its block entry, as PyYAML does', () => {
    const text = [
      'models:',
      '  - name: users',
      '    data_tests:',
      '      - accepted_values: {',
      '          values: [blue, green],',
      '          quote: true',
      '      }',
      '      - tags: [',
      '          a, b',
      ']',
      '',
    ].join('\n');
    expect(parseYamlText(text, 'models/schema.yml').value).toEqual({
      models: [{ name: 'users', data_tests: [{ accepted_values: { values: ['blue', 'green'], quote: true } }, { tags: ['a', 'b'] }] }],
    });
  });

  it('still refuses a flow mapping that is never closed, at its line', () => {
    expect(() => parseYamlText('a:\n  - b: {\n      x: 1\n  - c: 2\n', 'x.yml')).toThrow(/invalid YAML: Flow map in block collection/);
  });

  it("reads PyYAML's plain timestamps as dates only when asked (timestamps: true), on both reading paths; quoted ones stay text", () => {
    const text = ['day: 2024-01-31', 'at: 2024-01-31 10:00:00', 'quoted: "2024-01-31"', 'list: [2024-1-5 1:02:03]', ''].join('\n');
    for (const read of [parseYamlText, parseYamlDocument]) {
      const plain = read(text, 'dbt_project.yml').value as Record<string, unknown>;
      expect(plain).toEqual({ day: '2024-01-31', at: '2024-01-31 10:00:00', quoted: '2024-01-31', list: ['2024-1-5 1:02:03'] });
      const dated = read(text, 'dbt_project.yml', { timestamps: true }).value as Record<string, unknown>;
      expect(dated.day).toBeInstanceOf(PyDate);
      expect(String(dated.day)).toBe('2024-01-31');
      expect(dated.at).toBeInstanceOf(PyDatetime);
      expect(String(dated.at)).toBe('2024-01-31 10:00:00');
      expect(dated.quoted).toBe('2024-01-31');
      expect(String((dated.list as unknown[])[0])).toBe('2024-01-05 01:02:03');
    }
  });
});

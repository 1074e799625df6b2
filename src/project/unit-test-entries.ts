// A property file's `unit_tests:` entries (dbt 1.8): each test's model, `given` inputs and `expect`
// rows in their fixture format (dict, csv or sql, inline or a fixture file), overrides and the
// versions it applies to. schema-file.ts asks it for the section; graph/parse-unit-tests.ts builds the nodes.
import { isPlainObject } from '../config/yaml-file.js';
import type { UnitTestEntry, UnitTestRowsEntry } from './types.js';
import type { EntryReader, Path } from './entry-reader.js';
import { isVersionId } from './model-version-entries.js';

/** The `unit_tests:` section: each test with its inputs, expected rows and overrides, at their file:line. */
export function readUnitTests(r: EntryReader, value: unknown, path: Path): UnitTestEntry[] {
  const out: UnitTestEntry[] = [];
  r.list(value, path, 'unit tests').forEach((e, i) => {
    const epath = [...path, i];
    if (!isPlainObject(e) || typeof e.name !== 'string' || typeof e.model !== 'string') {
      r.error('each unit test needs a `name` and a `model`', epath, 'write `- name: test_x` and `model: my_model`');
      return;
    }
    const given: UnitTestEntry['given'] = [];
    r.list(e.given, [...epath, 'given'], 'inputs').forEach((g, j) => {
      const gpath = [...epath, 'given', j];
      if (!isPlainObject(g) || typeof g.input !== 'string') {
        r.error('each `given` item needs an `input`', gpath, "write `- input: ref('parent_model')` with `rows:`");
        return;
      }
      const rows = unitRows(r, g, gpath);
      if (rows) given.push({ ...rows, input: g.input.trim() });
    });
    const expectPath = [...epath, 'expect'];
    const expected = isPlainObject(e.expect) ? unitRows(r, e.expect, expectPath) : null;
    if (!expected) {
      if (!isPlainObject(e.expect)) r.error(`unit test '${e.name}' needs \`expect:\` with \`rows:\``, epath, 'add `expect: {rows: [{column: value}]}`');
      return;
    }
    const overrides = isPlainObject(e.overrides) ? e.overrides : {};
    const envVars = isPlainObject(overrides.env_vars) ? Object.fromEntries(Object.entries(overrides.env_vars).map(([k, v]) => [k, String(v)])) : {};
    out.push({
      name: e.name,
      model: e.model,
      description: typeof e.description === 'string' ? e.description : '',
      given,
      expect: expected,
      overrides: { vars: isPlainObject(overrides.vars) ? overrides.vars : {}, env_vars: envVars, macros: isPlainObject(overrides.macros) ? overrides.macros : {} },
      overridesWritten: isPlainObject(e.overrides),
      config: isPlainObject(e.config) ? e.config : {},
      versions: isPlainObject(e.versions) ? { include: versionList(e.versions.include), exclude: versionList(e.versions.exclude) } : null,
      location: r.yaml.locate(epath),
    });
  });
  return out;
}

function unitRows(r: EntryReader, entry: Record<string, unknown>, path: Path): UnitTestRowsEntry | null {
  const format = entry.format === undefined ? 'dict' : entry.format;
  if (format !== 'dict' && format !== 'csv' && format !== 'sql') {
    r.error(`unknown fixture format '${String(format)}'`, [...path, 'format'], 'use format: dict, csv or sql');
    return null;
  }
  const fixture = typeof entry.fixture === 'string' ? entry.fixture : null;
  const rows = entry.rows;
  if (fixture === null) {
    if (format === 'dict' && rows !== undefined && rows !== null && !(Array.isArray(rows) && rows.every(isPlainObject))) {
      r.error('`rows` must be a list of mappings (column: value)', [...path, 'rows'], 'write `rows: [{id: 1, name: a}]`, or set format: csv / sql');
      return null;
    }
    if (format !== 'dict' && typeof rows !== 'string') {
      r.error(`\`rows\` must be text for format: ${format}`, [...path, 'rows'], 'write `rows: |` followed by the lines');
      return null;
    }
  }
  return { format, rows: (rows ?? null) as UnitTestRowsEntry['rows'], fixture, location: r.yaml.locate(path) };
}

function versionList(value: unknown): (string | number)[] | null {
  if (value === undefined || value === null) return null;
  return (Array.isArray(value) ? value : [value]).filter(isVersionId);
}

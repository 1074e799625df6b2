// The reader every section of a property file goes through: an entry's value as written (before
// its Jinja rendered), the file's collected errors at their file:line, and the parts entries share
// (lists, tests, columns). schema-file.ts and the section readers beside it use it.
import { TsdbtError } from '../errors/tsdbt-error.js';
import { isPlainObject, type YamlFile } from '../config/yaml-file.js';
import { parseTestEntry } from './property-tests.js';
import type { ColumnEntry, TestDef } from './types.js';

export type Path = (string | number)[];

/**
 * Reads entries of one property file: the value as written, its errors (collected, each at its
 * file:line), lists, tests and columns. The section readers take it as their first argument.
 */
export class EntryReader {
  constructor(
    readonly yaml: YamlFile,
    readonly errors: TsdbtError[],
  ) {}

  /** The value at `path` in the file as written (before its Jinja rendered). */
  written(path: Path): unknown {
    let value: unknown = this.yaml.value;
    for (const key of path) value = isPlainObject(value) || Array.isArray(value) ? (value as Record<string | number, unknown>)[key] : undefined;
    return value;
  }

  /** An entry's `config:` as written, when it is a mapping. */
  writtenConfig(path: Path): { writtenConfig?: Record<string, unknown> } {
    const config = this.written([...path, 'config']);
    return isPlainObject(config) ? { writtenConfig: config } : {};
  }

  error(message: string, path: Path, hint: string): void {
    this.errors.push(new TsdbtError(message, { code: 'schema-invalid', location: this.yaml.locate(path), hint }));
  }

  /**
   * An entry without a string `name`. Where YAML read the name as something else (`name: off` is
   * false and `name: 2024` a number, for dbt's PyYAML as for us), the error says so: dbt only
   * reports a schema mismatch.
   */
  nameError(entry: unknown, message: string, path: Path, hint: string): void {
    const name = isPlainObject(entry) ? entry.name : undefined;
    if (typeof name === 'boolean' || typeof name === 'number') {
      this.error(`${message}: YAML reads this unquoted name as the ${typeof name} ${String(name)} (on/off/yes/no are booleans to dbt's YAML reader too)`, [...path, 'name'], 'quote the name, e.g. `- name: "off"`');
      return;
    }
    this.error(message, path, hint);
  }

  list(value: unknown, path: Path, what: string): unknown[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.error(`\`${String(path[path.length - 1])}\` must be a list of ${what}`, path, `start each item with '- '`);
      return [];
    }
    return value;
  }

  /**
   * `tests:` and `data_tests:` (dbt 1.8's name) of an entry or column. Both given is dbt's
   * "Invalid test config" error: for models, seeds, snapshots and analyses when `tests:` is not
   * empty (schemas.py's validate_data_tests), for source tables (`sources`) when neither is.
   */
  tests(entry: Record<string, unknown>, path: Path, sources = false): TestDef[] {
    const both = sources ? nonEmpty(entry.tests) && nonEmpty(entry.data_tests) : nonEmpty(entry.tests) && 'data_tests' in entry;
    if (both) {
      this.error("Invalid test config: cannot have both 'tests' and 'data_tests' defined", [...path, 'tests'], 'move the tests under `data_tests:` (`tests:` is its old name)');
      return [];
    }
    const tests: TestDef[] = [];
    for (const key of ['tests', 'data_tests']) {
      this.list(entry[key], [...path, key], 'tests').forEach((t, i) => {
        try {
          tests.push(parseTestEntry(t, this.yaml.locate([...path, key, i])));
        } catch (err) {
          if (err instanceof TsdbtError) this.errors.push(err);
          else throw err;
        }
      });
    }
    return tests;
  }

  columns(entry: Record<string, unknown>, path: Path, skip?: (column: unknown) => boolean): ColumnEntry[] {
    const out: ColumnEntry[] = [];
    this.list(entry.columns, [...path, 'columns'], 'columns').forEach((c, i) => {
      const cpath = [...path, 'columns', i];
      if (skip?.(c)) return;
      if (!isPlainObject(c) || typeof c.name !== 'string') {
        this.nameError(c, 'each column needs a `name`', cpath, 'write `- name: column_name`');
        return;
      }
      // dbt 1.10 moved a column's meta and tags under `config:`; the top-level ones still count.
      // Merged, they are the column's as well as its config's (ParserRef._add). dbt joins the tags
      // through a Python set, in an order that changes between runs; tsdbt keeps the written order.
      const config = isPlainObject(c.config) ? c.config : {};
      const meta = { ...(isPlainObject(c.meta) ? c.meta : {}), ...(isPlainObject(config.meta) ? config.meta : {}) };
      const tags = [...new Set([...toList(c.tags), ...toList(config.tags)])];
      out.push({
        name: c.name,
        description: typeof c.description === 'string' ? c.description : '',
        data_type: typeof c.data_type === 'string' ? c.data_type : null,
        meta,
        tags,
        quote: typeof c.quote === 'boolean' ? c.quote : null,
        constraints: Array.isArray(c.constraints) ? c.constraints : [],
        // MetricFlow's time grain of the column (dbt 1.9, a time spine's standard column needs one).
        ...(c.granularity !== undefined && c.granularity !== null ? { granularity: String(c.granularity) } : {}),
        ...columnExtra(c),
        config: { meta, tags },
        tests: this.tests(c, cpath),
        location: this.yaml.locate(cpath),
      });
    });
    return out;
  }
}

/** The fields of dbt's UnparsedColumn (and what its parser pops): any other key is kept in the column's `_extra`. */
const COLUMN_FIELDS = new Set(['name', 'description', 'meta', 'data_type', 'constraints', 'docs', 'config', 'tags', 'quote', 'tests', 'data_tests', 'granularity', 'dimension', 'entity']);

function columnExtra(c: Record<string, unknown>): { extra?: Record<string, unknown> } {
  const extra = Object.entries(c).filter(([k]) => !COLUMN_FIELDS.has(k));
  return extra.length ? { extra: Object.fromEntries(extra) } : {};
}

/** A text property; a number (`schema: "{{ var('year') }}"` rendered natively) is its text. */
export function text(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}

export function toList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** Python's truth of a YAML value (`if data.get("tests")`): not null, false, 0, '' or an empty list or mapping. */
function nonEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  return typeof v !== 'object' || Object.keys(v).length > 0;
}

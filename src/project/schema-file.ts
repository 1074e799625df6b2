// Parses a dbt property file (schema.yml): models, seeds, snapshots, analyses, sources with their
// columns and tests, each entry carrying its file and line. Exposures, groups and the semantic
// layer's sections (semantic_models, metrics, saved_queries) are kept as written, for the docs.
import { TsdbtError, throwCollected } from '../errors/tsdbt-error.js';
import { isPlainObject, parseYamlText, type YamlFile, type YamlWarning } from '../config/yaml-file.js';
import { parseTestEntry } from './property-tests.js';
import { functionSignature } from './function-entries.js';
import { propertyKeyWarnings } from './property-keys.js';
import { renderPropertyEntries, type PropertyValueRenderer } from './property-render.js';
import { normalizeDeprecationDate } from './deprecation-date.js';
import { greatestVersion } from '../manifest/model-versions.js';
import type { ColumnEntry, ProjectFile, ResourceEntry, SchemaFile, SourceEntry, SourceTableEntry, TestDef, UnitTestEntry, UnitTestRowsEntry, VersionEntry } from './types.js';

type Path = (string | number)[];

/**
 * Parses a property file; with `render`, Jinja in its entries renders first as dbt's does
 * (property-render.ts): configs, names, meta..., but not descriptions, tests or hooks.
 */
export function parseSchemaFile(file: ProjectFile, render?: PropertyValueRenderer): SchemaFile {
  // PyYAML's SafeLoader, as dbt reads every property file: a plain `2024-01-31` is a datetime.date
  // (in `meta`, configs, test arguments...), quoted it stays text.
  const yaml = parseYamlText(file.content ?? '', file.path, { timestamps: true });
  // Keys dbt does not read (`descripton`) are warned about, as dbt 1.10's schema validation does.
  const warnings = [...yaml.warnings, ...propertyKeyWarnings(yaml.value, file.path, yaml.locate)];
  const out: SchemaFile = { path: file.path, models: [], seeds: [], snapshots: [], analyses: [], sources: [], unitTests: [], macros: [], exposures: [], warnings };
  if (yaml.value === null || yaml.value === undefined) return out;
  const errors: TsdbtError[] = [];
  if (!isPlainObject(yaml.value)) {
    throw new TsdbtError(`Contents of file '${file.path}' are not valid. Dictionary expected: a property file is a mapping (version: 2, models: ...)`, { code: 'schema-invalid', location: { file: file.path, line: 1 }, hint: 'start the file with `version: 2`' });
  }
  const root = render ? renderPropertyEntries(yaml.value, yaml, render, errors) : yaml.value;
  const ctx = new EntryReader(yaml, errors);
  out.models = ctx.resources(root.models, ['models']);
  out.seeds = ctx.resources(root.seeds, ['seeds']);
  out.snapshots = ctx.resources(root.snapshots, ['snapshots']);
  out.analyses = ctx.resources(root.analyses, ['analyses']);
  out.functions = ctx.resources(root.functions, ['functions']);
  out.singularTests = singularTestPatches(root.data_tests, file.path, ctx, warnings, yaml);
  out.sources = ctx.sources(root.sources, ['sources']);
  out.unitTests = ctx.unitTests(root.unit_tests, ['unit_tests']);
  out.macros = Array.isArray(root.macros) ? root.macros : [];
  out.exposures = Array.isArray(root.exposures) ? root.exposures : [];
  out.resourceDir = file.resourceDir;
  out.declared = (['exposures', 'groups', 'semantic_models', 'metrics', 'saved_queries'] as const).flatMap((section) =>
    (Array.isArray(root[section]) ? (root[section] as unknown[]) : []).flatMap((entry, i) =>
      isPlainObject(entry) && typeof entry.name === 'string' ? [{ section, entry, location: yaml.locate([section, i]) }] : [],
    ),
  );
  out.namedPatches = (['macros', 'data_tests', 'tests'] as const).flatMap((section) =>
    (Array.isArray(root[section]) ? (root[section] as unknown[]) : []).flatMap((e, i) =>
      isPlainObject(e) && typeof e.name === 'string' ? [{ section, name: e.name, location: yaml.locate([section, i]) }] : [],
    ),
  );
  throwCollected(errors);
  return out;
}

/**
 * dbt's SingularTestPatchParser: the `data_tests:` entries up to the first without a name, which
 * stops the section with a warning (dbt's "Unable to parse 'data_tests' section", not an error).
 */
function singularTestPatches(section: unknown, filePath: string, ctx: EntryReader, warnings: YamlWarning[], yaml: YamlFile): ResourceEntry[] {
  if (!Array.isArray(section)) return [];
  const nameless = section.findIndex((e) => !isPlainObject(e) || typeof e.name !== 'string');
  if (nameless >= 0) {
    warnings.push({ message: `Unable to parse 'data_tests' section of file '${filePath}'\nEntry did not contain a name`, location: yaml.locate(['data_tests', nameless]) });
  }
  return ctx.resources(nameless >= 0 ? section.slice(0, nameless) : section, ['data_tests']);
}

class EntryReader {
  constructor(
    private readonly yaml: YamlFile,
    private readonly errors: TsdbtError[],
  ) {}

  /** The value at `path` in the file as written (before its Jinja rendered). */
  private written(path: Path): unknown {
    let value: unknown = this.yaml.value;
    for (const key of path) value = isPlainObject(value) || Array.isArray(value) ? (value as Record<string | number, unknown>)[key] : undefined;
    return value;
  }

  /** An entry's `config:` as written, when it is a mapping. */
  private writtenConfig(path: Path): { writtenConfig?: Record<string, unknown> } {
    const config = this.written([...path, 'config']);
    return isPlainObject(config) ? { writtenConfig: config } : {};
  }

  private error(message: string, path: Path, hint: string): void {
    this.errors.push(new TsdbtError(message, { code: 'schema-invalid', location: this.yaml.locate(path), hint }));
  }

  /**
   * An entry without a string `name`. Where YAML read the name as something else (`name: off` is
   * false and `name: 2024` a number, for dbt's PyYAML as for us), the error says so: dbt only
   * reports a schema mismatch.
   */
  private nameError(entry: unknown, message: string, path: Path, hint: string): void {
    const name = isPlainObject(entry) ? entry.name : undefined;
    if (typeof name === 'boolean' || typeof name === 'number') {
      this.error(`${message}: YAML reads this unquoted name as the ${typeof name} ${String(name)} (on/off/yes/no are booleans to dbt's YAML reader too)`, [...path, 'name'], 'quote the name, e.g. `- name: "off"`');
      return;
    }
    this.error(message, path, hint);
  }

  private list(value: unknown, path: Path, what: string): unknown[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.error(`\`${String(path[path.length - 1])}\` must be a list of ${what}`, path, `start each item with '- '`);
      return [];
    }
    return value;
  }

  private tests(entry: Record<string, unknown>, path: Path): TestDef[] {
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

  private columns(entry: Record<string, unknown>, path: Path, skip?: (column: unknown) => boolean): ColumnEntry[] {
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
        config: { meta, tags },
        tests: this.tests(c, cpath),
        location: this.yaml.locate(cpath),
      });
    });
    return out;
  }

  /**
   * An entry's config with dbt's top-level shorthands moved in (SchemaParser.normalize_*_attribute):
   * `meta`, `docs`, `group`, `contract` and `access` written beside `config:` are config values;
   * written in both places, dbt stops, and so does tsdbt.
   */
  private normalizedConfig(e: Record<string, unknown>, epath: Path): Record<string, unknown> {
    const config = isPlainObject(e.config) ? { ...e.config } : {};
    for (const key of ['meta', 'docs', 'group', 'contract', 'access']) {
      if (e[key] === undefined) continue;
      if (config[key] !== undefined) {
        this.error(`\`${key}\` is set both under \`config:\` and as a top-level key`, [...epath, key], `remove the top-level \`${key}\` and define it under \`config:\` only`);
        continue;
      }
      config[key] = e[key];
    }
    return config;
  }

  resources(value: unknown, path: Path): ResourceEntry[] {
    const out: ResourceEntry[] = [];
    this.list(value, path, 'entries').forEach((e, i) => {
      const epath = [...path, i];
      if (!isPlainObject(e) || typeof e.name !== 'string') {
        this.nameError(e, `each entry under \`${String(path[0])}\` needs a \`name\``, epath, 'write `- name: my_model`');
        return;
      }
      out.push({
        name: e.name,
        description: typeof e.description === 'string' ? e.description : '',
        config: this.normalizedConfig(e, epath),
        columns: this.columns(e, epath),
        tests: this.tests(e, epath),
        docs: isPlainObject(e.docs) ? e.docs : undefined,
        meta: isPlainObject(e.meta) ? e.meta : {},
        tags: toList(e.tags),
        constraints: Array.isArray(e.constraints) ? e.constraints : [],
        ...(typeof e.quote_columns === 'boolean' ? { quote_columns: e.quote_columns } : {}),
        ...(e.relation !== undefined ? { relation: e.relation } : {}),
        ...(path[0] === 'models' ? this.versioning(e, epath) : {}),
        ...(path[0] === 'functions' ? functionSignature(e, (message, sub, hint) => this.error(message, [...epath, ...sub], hint)) : {}),
        ...(path[0] === 'models' && isPlainObject(e.time_spine)
          ? { time_spine: { standard_granularity_column: e.time_spine.standard_granularity_column ?? null, custom_granularities: customGranularities(e.time_spine.custom_granularities) } }
          : {}),
        ...this.writtenConfig(epath),
        location: this.yaml.locate(epath),
      });
    });
    return out;
  }

  /** A model's `versions:`, `latest_version` and `deprecation_date`, checked as dbt's UnparsedModelUpdate does. */
  private versioning(e: Record<string, unknown>, epath: Path): Pick<ResourceEntry, 'versions' | 'latest_version' | 'deprecation_date'> {
    const versions: VersionEntry[] = [];
    const seen = new Set<string>();
    this.list(e.versions, [...epath, 'versions'], 'versions').forEach((item, i) => {
      const vpath = [...epath, 'versions', i];
      if (!isPlainObject(item) || !isVersionId(item.v)) {
        this.error(`each version of model '${String(e.name)}' needs a \`v\` (a number or a string)`, vpath, 'write `- v: 2`');
        return;
      }
      if (seen.has(String(item.v))) {
        this.error(`Found duplicate version: '${String(item.v)}' in versions list of model '${String(e.name)}'`, [...vpath, 'v'], 'give each version its own `v`');
        return;
      }
      seen.add(String(item.v));
      const scope = this.includeExclude(item, vpath);
      const hasTests = item.tests !== undefined || item.data_tests !== undefined;
      versions.push({
        v: item.v,
        defined_in: typeof item.defined_in === 'string' && item.defined_in !== '' ? item.defined_in.replace(/\.(sql|py)$/, '') : null,
        description: typeof item.description === 'string' ? item.description : null,
        config: isPlainObject(item.config) ? item.config : {},
        ...this.writtenConfig(vpath),
        constraints: Array.isArray(item.constraints) ? item.constraints : null,
        docs: isPlainObject(item.docs) ? item.docs : undefined,
        include: scope.include,
        exclude: scope.exclude,
        columns: this.columns(item, vpath, isIncludeExclude),
        tests: hasTests ? this.tests(item, vpath) : null,
        deprecation_date: this.deprecationDate(item, vpath),
        location: this.yaml.locate(vpath),
      });
    });
    let latest: string | number | null = null;
    if (e.latest_version !== undefined && e.latest_version !== null) {
      const known = versions.map((v) => v.v);
      const wanted = e.latest_version;
      const match = isVersionId(wanted) ? known.find((v) => String(v) === String(wanted)) : undefined;
      if (match === undefined) {
        this.error(
          `latest_version: ${String(wanted)} is not one of model '${String(e.name)}' versions: [${known.map(String).join(', ')}]`,
          [...epath, 'latest_version'],
          known.length ? `set latest_version to one of ${known.map(String).join(', ')}, or add a version \`- v: ${String(wanted)}\`` : 'list the versions under `versions:`',
        );
      } else latest = match;
    } else if (versions.length > 0) latest = greatestVersion(versions.map((v) => v.v)) ?? null;
    return { versions, latest_version: latest, deprecation_date: this.deprecationDate(e, epath) };
  }

  private deprecationDate(entry: Record<string, unknown>, path: Path): string | null {
    const value = entry.deprecation_date;
    if (value === undefined || value === null) return null;
    const normalized = normalizeDeprecationDate(value);
    if (normalized === null) {
      this.error(`deprecation_date '${String(value)}' is not a date`, [...path, 'deprecation_date'], 'write YYYY-MM-DD, or YYYY-MM-DD hh:mm:ss with an optional offset like +00:00');
    }
    return normalized;
  }

  /** The version's `- include: ... / exclude: ...` element of `columns` (at most one; default: all). */
  private includeExclude(item: Record<string, unknown>, vpath: Path): { include: 'all' | string[]; exclude: string[] } {
    const elements = (Array.isArray(item.columns) ? item.columns : []).map((c, i) => [c, i] as const).filter(([c]) => isIncludeExclude(c));
    if (elements.length === 0) return { include: 'all', exclude: [] };
    if (elements.length > 1) this.error('version can have at most one include/exclude element', [...vpath, 'columns', elements[1]?.[1] ?? 0], 'merge them into one `- include: ... exclude: [...]`');
    const [element, index] = elements[0] as readonly [Record<string, unknown>, number];
    const cpath = [...vpath, 'columns', index];
    const include = element.include === undefined ? 'all' : element.include;
    const names = (value: unknown): string[] | null => (Array.isArray(value) && value.every((n) => typeof n === 'string') ? value : null);
    const all = include === 'all' || include === '*';
    if (!all && names(include) === null) {
      this.error(`include must be one of 'all', '*' or a list of column names, got ${JSON.stringify(include)}`, [...cpath, 'include'], "write `include: all` or `include: [col_a, col_b]`");
      return { include: 'all', exclude: [] };
    }
    const exclude = element.exclude === undefined || element.exclude === null ? [] : names(element.exclude);
    if (exclude === null) {
      this.error('exclude must be a list of column names', [...cpath, 'exclude'], 'write `exclude: [col_a]`');
      return { include: all ? 'all' : (names(include) as string[]), exclude: [] };
    }
    if (exclude.length > 0 && !all) this.error(`exclude can only be specified if include is one of 'all' or '*'`, [...cpath, 'exclude'], 'use `include: all` with `exclude`, or list only the columns to include');
    return { include: all ? 'all' : (names(include) as string[]), exclude };
  }

  sources(value: unknown, path: Path): SourceEntry[] {
    const out: SourceEntry[] = [];
    this.list(value, path, 'sources').forEach((s, i) => {
      const spath = [...path, i];
      if (!isPlainObject(s) || typeof s.name !== 'string') {
        this.nameError(s, 'each source needs a `name`', spath, 'write `- name: raw`');
        return;
      }
      const tables: SourceTableEntry[] = [];
      this.list(s.tables, [...spath, 'tables'], 'tables').forEach((t, j) => {
        const tpath = [...spath, 'tables', j];
        if (!isPlainObject(t) || typeof t.name !== 'string') {
          this.nameError(t, 'each source table needs a `name`', tpath, 'write `- name: events`');
          return;
        }
        this.loadedAtChecks(t, tpath, 'table');
        tables.push({
          name: t.name,
          identifier: text(t.identifier),
          description: typeof t.description === 'string' ? t.description : '',
          columns: this.columns(t, tpath),
          tests: this.tests(t, tpath),
          loaded_at_field: typeof t.loaded_at_field === 'string' ? t.loaded_at_field : t.loaded_at_field === null ? null : undefined,
          loaded_at_query: typeof t.loaded_at_query === 'string' ? t.loaded_at_query : undefined,
          freshness: 'freshness' in t ? (isPlainObject(t.freshness) ? t.freshness : null) : undefined,
          quoting: isPlainObject(t.quoting) ? t.quoting : undefined,
          meta: isPlainObject(t.meta) ? t.meta : {},
          tags: toList(t.tags),
          config: isPlainObject(t.config) ? t.config : {},
          external: t.external,
          written: Object.keys(t),
          location: this.yaml.locate(tpath),
        });
      });
      this.loadedAtChecks(s, spath, 'source');
      out.push({
        name: s.name,
        description: typeof s.description === 'string' ? s.description : '',
        database: text(s.database),
        schema: text(s.schema),
        // dbt keeps them only when set (a falsy value is None).
        unrendered_database: text(this.written([...spath, 'database'])) || null,
        unrendered_schema: text(this.written([...spath, 'schema'])) || null,
        loader: typeof s.loader === 'string' ? s.loader : '',
        loaded_at_field: typeof s.loaded_at_field === 'string' ? s.loaded_at_field : null,
        loaded_at_query: typeof s.loaded_at_query === 'string' ? s.loaded_at_query : null,
        freshness: 'freshness' in s ? (isPlainObject(s.freshness) ? s.freshness : null) : undefined,
        quoting: isPlainObject(s.quoting) ? s.quoting : {},
        meta: isPlainObject(s.meta) ? s.meta : {},
        tags: toList(s.tags),
        config: isPlainObject(s.config) ? s.config : {},
        tables,
        ...(typeof s.overrides === 'string' ? { overrides: s.overrides } : {}),
        written: Object.keys(s),
        location: this.yaml.locate(spath),
      });
    });
    return out;
  }

  /**
   * dbt's refusals of a source's or table's loaded_at_field / loaded_at_query (UnparsedSourceDefinition.validate,
   * SourcePatcher.calculate_loaded_at_field_query_from_raw_target): an empty loaded_at_field, or both
   * set at one level (a table's loaded_at_field counts when written, even null; its config's when set).
   */
  private loadedAtChecks(entry: Record<string, unknown>, path: Path, level: 'source' | 'table'): void {
    const config = isPlainObject(entry.config) ? entry.config : {};
    if (entry.loaded_at_field === '') {
      this.error('loaded_at_field cannot be an empty string.', [...path, 'loaded_at_field'], level === 'table' ? "remove it to take the source's, or write `loaded_at_field: null` to turn it off for this table" : 'remove it, or name the column');
    }
    const field = level === 'table' ? 'loaded_at_field' in entry || Boolean(config.loaded_at_field) : Boolean(entry.loaded_at_field) || Boolean(config.loaded_at_field);
    if (field && (Boolean(entry.loaded_at_query) || Boolean(config.loaded_at_query))) {
      this.error(`Cannot specify both loaded_at_field and loaded_at_query at ${level} level.`, [...path, entry.loaded_at_query ? 'loaded_at_query' : 'config'], 'keep one of the two: loaded_at_query replaces the max(loaded_at_field) query');
    }
  }

  unitTests(value: unknown, path: Path): UnitTestEntry[] {
    const out: UnitTestEntry[] = [];
    this.list(value, path, 'unit tests').forEach((e, i) => {
      const epath = [...path, i];
      if (!isPlainObject(e) || typeof e.name !== 'string' || typeof e.model !== 'string') {
        this.error('each unit test needs a `name` and a `model`', epath, 'write `- name: test_x` and `model: my_model`');
        return;
      }
      const given: UnitTestEntry['given'] = [];
      this.list(e.given, [...epath, 'given'], 'inputs').forEach((g, j) => {
        const gpath = [...epath, 'given', j];
        if (!isPlainObject(g) || typeof g.input !== 'string') {
          this.error('each `given` item needs an `input`', gpath, "write `- input: ref('parent_model')` with `rows:`");
          return;
        }
        const rows = this.unitRows(g, gpath);
        if (rows) given.push({ ...rows, input: g.input.trim() });
      });
      const expectPath = [...epath, 'expect'];
      const expected = isPlainObject(e.expect) ? this.unitRows(e.expect, expectPath) : null;
      if (!expected) {
        if (!isPlainObject(e.expect)) this.error(`unit test '${e.name}' needs \`expect:\` with \`rows:\``, epath, 'add `expect: {rows: [{column: value}]}`');
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
        location: this.yaml.locate(epath),
      });
    });
    return out;
  }

  private unitRows(entry: Record<string, unknown>, path: Path): UnitTestRowsEntry | null {
    const format = entry.format === undefined ? 'dict' : entry.format;
    if (format !== 'dict' && format !== 'csv' && format !== 'sql') {
      this.error(`unknown fixture format '${String(format)}'`, [...path, 'format'], 'use format: dict, csv or sql');
      return null;
    }
    const fixture = typeof entry.fixture === 'string' ? entry.fixture : null;
    const rows = entry.rows;
    if (fixture === null) {
      if (format === 'dict' && rows !== undefined && rows !== null && !(Array.isArray(rows) && rows.every(isPlainObject))) {
        this.error('`rows` must be a list of mappings (column: value)', [...path, 'rows'], 'write `rows: [{id: 1, name: a}]`, or set format: csv / sql');
        return null;
      }
      if (format !== 'dict' && typeof rows !== 'string') {
        this.error(`\`rows\` must be text for format: ${format}`, [...path, 'rows'], 'write `rows: |` followed by the lines');
        return null;
      }
    }
    return { format, rows: (rows ?? null) as UnitTestRowsEntry['rows'], fixture, location: this.yaml.locate(path) };
  }
}

function versionList(value: unknown): (string | number)[] | null {
  if (value === undefined || value === null) return null;
  return (Array.isArray(value) ? value : [value]).filter(isVersionId);
}

function isVersionId(value: unknown): value is string | number {
  return (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value.trim() !== '');
}

/** A version's `columns` element that says which top-level columns it has, not a column. */
function isIncludeExclude(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && value.name === undefined && ('include' in value || 'exclude' in value);
}

/** A text property; a number (`schema: "{{ var('year') }}"` rendered natively) is its text. */
function text(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}

function toList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** A time spine's `custom_granularities` as dbt's CustomGranularity list: `{name, column_name}` each, column_name null when not written. */
function customGranularities(value: unknown): { name: unknown; column_name: unknown }[] {
  if (!Array.isArray(value)) return [];
  return (value as unknown[]).map((g) => (isPlainObject(g) ? { name: g.name ?? null, column_name: g.column_name ?? null } : { name: g, column_name: null }));
}

// Parses a dbt property file (schema.yml): models, seeds, snapshots, analyses, sources with their
// columns and tests, each entry carrying its file and line. Exposures, groups and the semantic
// layer's sections (semantic_models, metrics, saved_queries) are kept as written, for the docs.
import { TsdbtError, throwCollected } from '../errors/tsdbt-error.js';
import { isPlainObject, parseYamlText, type YamlFile, type YamlWarning } from '../config/yaml-file.js';
import { functionSignature } from './function-entries.js';
import { propertyKeyWarnings } from './property-keys.js';
import { renderPropertyEntries, type PropertyValueRenderer } from './property-render.js';
import type { ProjectFile, ResourceEntry, SchemaFile } from './types.js';
import { EntryReader, toList, type Path } from './entry-reader.js';
import { modelVersioning } from './model-version-entries.js';
import { readSources } from './source-entries.js';
import { readUnitTests } from './unit-test-entries.js';
import { checkSchemaFileSections } from './schema-file-sections.js';

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
  checkSchemaFileSections(yaml.value, file.path, yaml.locate);
  const root = render ? renderPropertyEntries(yaml.value, yaml, render, errors) : yaml.value;
  const ctx = new EntryReader(yaml, errors);
  out.models = readResources(ctx, root.models, ['models']);
  out.seeds = readResources(ctx, root.seeds, ['seeds']);
  out.snapshots = readResources(ctx, root.snapshots, ['snapshots']);
  out.analyses = readResources(ctx, root.analyses, ['analyses']);
  out.functions = readResources(ctx, root.functions, ['functions']);
  out.singularTests = singularTestPatches(root.data_tests, file.path, ctx, warnings, yaml);
  out.sources = readSources(ctx, root.sources, ['sources']);
  out.unitTests = readUnitTests(ctx, root.unit_tests, ['unit_tests']);
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
  return readResources(ctx, nameless >= 0 ? section.slice(0, nameless) : section, ['data_tests']);
}

/** A `models:`, `seeds:`, `snapshots:`, `analyses:`, `functions:` or `data_tests:` section: each entry with its config, columns and tests. */
function readResources(r: EntryReader, value: unknown, path: Path): ResourceEntry[] {
  const out: ResourceEntry[] = [];
  r.list(value, path, 'entries').forEach((e, i) => {
    const epath = [...path, i];
    if (!isPlainObject(e) || typeof e.name !== 'string') {
      r.nameError(e, `each entry under \`${String(path[0])}\` needs a \`name\``, epath, 'write `- name: my_model`');
      return;
    }
    out.push({
      name: e.name,
      description: typeof e.description === 'string' ? e.description : '',
      config: normalizedConfig(r, e, epath),
      columns: r.columns(e, epath),
      tests: r.tests(e, epath),
      docs: isPlainObject(e.docs) ? e.docs : undefined,
      meta: isPlainObject(e.meta) ? e.meta : {},
      tags: toList(e.tags),
      constraints: Array.isArray(e.constraints) ? e.constraints : [],
      ...(typeof e.quote_columns === 'boolean' ? { quote_columns: e.quote_columns } : {}),
      ...(e.relation !== undefined ? { relation: e.relation } : {}),
      ...(path[0] === 'models' ? modelVersioning(r, e, epath) : {}),
      ...(path[0] === 'functions' ? functionSignature(e, (message, sub, hint) => r.error(message, [...epath, ...sub], hint)) : {}),
      ...(path[0] === 'models' && isPlainObject(e.time_spine)
        ? { time_spine: { standard_granularity_column: e.time_spine.standard_granularity_column ?? null, custom_granularities: customGranularities(e.time_spine.custom_granularities) } }
        : {}),
      ...r.writtenConfig(epath),
      location: r.yaml.locate(epath),
    });
  });
  return out;
}

/**
 * An entry's config with dbt's top-level shorthands moved in (SchemaParser.normalize_*_attribute):
 * `meta`, `docs`, `group`, `contract` and `access` written beside `config:` are config values;
 * written in both places, dbt stops, and so does tsdbt.
 */
function normalizedConfig(r: EntryReader, e: Record<string, unknown>, epath: Path): Record<string, unknown> {
  const config = isPlainObject(e.config) ? { ...e.config } : {};
  for (const key of ['meta', 'docs', 'group', 'contract', 'access']) {
    if (e[key] === undefined) continue;
    if (config[key] !== undefined) {
      r.error(`\`${key}\` is set both under \`config:\` and as a top-level key`, [...epath, key], `remove the top-level \`${key}\` and define it under \`config:\` only`);
      continue;
    }
    config[key] = e[key];
  }
  return config;
}

/** A time spine's `custom_granularities` as dbt's CustomGranularity list: `{name, column_name}` each, column_name null when not written. */
function customGranularities(value: unknown): { name: unknown; column_name: unknown }[] {
  if (!Array.isArray(value)) return [];
  return (value as unknown[]).map((g) => (isPlainObject(g) ? { name: g.name ?? null, column_name: g.column_name ?? null } : { name: g, column_name: null }));
}

// A property file's `sources:` entries and their tables, read as dbt's UnparsedSourceDefinition,
// with its refusals of loaded_at_field / loaded_at_query. schema-file.ts asks it for the section;
// rendering a source's database, schema and identifiers is graph/'s (parse-package.ts).
import { isPlainObject } from '../config/yaml-file.js';
import type { SourceEntry, SourceTableEntry } from './types.js';
import { toList, text, type EntryReader, type Path } from './entry-reader.js';

/** The `sources:` section: each source with its tables, columns and tests, at their file:line. */
export function readSources(r: EntryReader, value: unknown, path: Path): SourceEntry[] {
  const out: SourceEntry[] = [];
  r.list(value, path, 'sources').forEach((s, i) => {
    const spath = [...path, i];
    if (!isPlainObject(s) || typeof s.name !== 'string') {
      r.nameError(s, 'each source needs a `name`', spath, 'write `- name: raw`');
      return;
    }
    const tables: SourceTableEntry[] = [];
    r.list(s.tables, [...spath, 'tables'], 'tables').forEach((t, j) => {
      const tpath = [...spath, 'tables', j];
      if (!isPlainObject(t) || typeof t.name !== 'string') {
        r.nameError(t, 'each source table needs a `name`', tpath, 'write `- name: events`');
        return;
      }
      loadedAtChecks(r, t, tpath, 'table');
      tables.push({
        name: t.name,
        identifier: text(t.identifier),
        description: typeof t.description === 'string' ? t.description : '',
        columns: r.columns(t, tpath),
        tests: r.tests(t, tpath, true),
        loaded_at_field: typeof t.loaded_at_field === 'string' ? t.loaded_at_field : t.loaded_at_field === null ? null : undefined,
        loaded_at_query: typeof t.loaded_at_query === 'string' ? t.loaded_at_query : undefined,
        freshness: 'freshness' in t ? (isPlainObject(t.freshness) ? t.freshness : null) : undefined,
        quoting: isPlainObject(t.quoting) ? t.quoting : undefined,
        meta: isPlainObject(t.meta) ? t.meta : {},
        tags: toList(t.tags),
        config: isPlainObject(t.config) ? t.config : {},
        external: t.external,
        written: Object.keys(t),
        location: r.yaml.locate(tpath),
      });
    });
    loadedAtChecks(r, s, spath, 'source');
    out.push({
      name: s.name,
      description: typeof s.description === 'string' ? s.description : '',
      database: text(s.database),
      schema: text(s.schema),
      // dbt keeps them only when set (a falsy value is None).
      unrendered_database: text(r.written([...spath, 'database'])) || null,
      unrendered_schema: text(r.written([...spath, 'schema'])) || null,
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
      location: r.yaml.locate(spath),
    });
  });
  return out;
}

/**
 * dbt's refusals of a source's or table's loaded_at_field / loaded_at_query (UnparsedSourceDefinition.validate,
 * SourcePatcher.calculate_loaded_at_field_query_from_raw_target): an empty loaded_at_field, or both
 * set at one level (a table's loaded_at_field counts when written, even null; its config's when set).
 */
function loadedAtChecks(r: EntryReader, entry: Record<string, unknown>, path: Path, level: 'source' | 'table'): void {
  const config = isPlainObject(entry.config) ? entry.config : {};
  if (entry.loaded_at_field === '') {
    r.error('loaded_at_field cannot be an empty string.', [...path, 'loaded_at_field'], level === 'table' ? "remove it to take the source's, or write `loaded_at_field: null` to turn it off for this table" : 'remove it, or name the column');
  }
  const field = level === 'table' ? 'loaded_at_field' in entry || Boolean(config.loaded_at_field) : Boolean(entry.loaded_at_field) || Boolean(config.loaded_at_field);
  if (field && (Boolean(entry.loaded_at_query) || Boolean(config.loaded_at_query))) {
    r.error(`Cannot specify both loaded_at_field and loaded_at_query at ${level} level.`, [...path, entry.loaded_at_query ? 'loaded_at_query' : 'config'], 'keep one of the two: loaded_at_query replaces the max(loaded_at_field) query');
  }
}

// `overrides:` on a source property entry (dbt's SourcePatch, deprecated in dbt 1.10 but still
// applied): the entry names a package's source and patches it instead of declaring a source of its
// own. dbt's docs (resource-properties/overrides): "The properties defined in the overriding
// source will be applied on top of the base properties of the overridden source". As dbt's
// SourcePatcher does it (parser/sources.py, patch_source): the source's keys the patch writes
// replace the package's, its `config` replaces the package's config and a freshness it leaves out
// is the empty threshold (SourcePatch's defaults); each table of the patch with the name of a
// package table replaces that table's keys it writes (its quoting and freshness likewise default
// to empty). Two patches of one package's source are refused (DuplicateSourcePatchNameError); a
// patch naming no source, or a table the source lacks, is warned about (UnusedTables).
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { SchemaFile, SourceEntry, SourceTableEntry } from '../project/types.js';
import type { Warning } from '../manifest/types.js';

interface Patch {
  entry: SourceEntry;
  /** The tables of the package's source the patch's tables were applied to. */
  used: Set<string> | null;
}

/** The `overrides:` entries of every package, by `<package>.<source>`. */
export class SourcePatches {
  private readonly patches = new Map<string, Patch>();

  /** Takes a property file's `overrides:` entries out of its sources (a duplicate fails through `fail`). */
  collect(schemaFile: SchemaFile, fail: (err: TsdbtError) => void): void {
    const own: SourceEntry[] = [];
    for (const entry of schemaFile.sources) {
      if (entry.overrides === undefined) {
        own.push(entry);
        continue;
      }
      const key = `${entry.overrides}.${entry.name}`;
      const existing = this.patches.get(key);
      if (existing) fail(duplicatePatch(entry, existing.entry));
      else this.patches.set(key, { entry, used: null });
    }
    schemaFile.sources = own;
  }

  /** The package's source entries with the patches naming them applied. */
  apply(schemaFile: SchemaFile, packageName: string): void {
    if (this.patches.size === 0) return;
    schemaFile.sources = schemaFile.sources.map((source) => {
      const patch = this.patches.get(`${packageName}.${source.name}`);
      if (!patch) return source;
      patch.used ??= new Set();
      for (const t of source.tables) if (patch.entry.tables.some((p) => p.name === t.name)) patch.used.add(t.name);
      return patchSource(source, patch.entry);
    });
  }

  /** dbt's UnusedTables warning: patches (or patch tables) that named nothing. */
  unused(): Warning | null {
    const lines: string[] = [];
    for (const { entry, used } of this.patches.values()) {
      const name = `${entry.overrides}.${entry.name}`;
      if (used === null) lines.push(`  - Source ${name} (in ${entry.location.file})`);
      else for (const t of entry.tables.map((t) => t.name).filter((t) => !used.has(t)).sort()) lines.push(`  - Source table ${name}.${t} (in ${entry.location.file})`);
    }
    if (lines.length === 0) return null;
    return { message: ['During parsing, dbt encountered source overrides that had no target:', ...lines, ''].join('\n'), event: 'UnusedTables' };
  }
}

const SOURCE_KEYS = ['description', 'meta', 'database', 'schema', 'loader', 'quoting', 'freshness', 'loaded_at_field', 'loaded_at_query', 'tags'] as const;
const TABLE_KEYS = ['description', 'meta', 'loaded_at_field', 'loaded_at_query', 'identifier', 'external', 'tags', 'columns'] as const;

function written(entry: { written?: string[] }, key: string): boolean {
  return entry.written?.includes(key) ?? false;
}

function patchSource(source: SourceEntry, patch: SourceEntry): SourceEntry {
  const out: SourceEntry = { ...source, config: patch.config, freshness: undefined };
  for (const key of SOURCE_KEYS) if (written(patch, key)) (out as unknown as Record<string, unknown>)[key] = patch[key];
  out.tables = source.tables.map((table) => {
    const tablePatch = patch.tables.find((t) => t.name === table.name);
    return tablePatch ? patchTable(table, tablePatch) : table;
  });
  return out;
}

function patchTable(table: SourceTableEntry, patch: SourceTableEntry): SourceTableEntry {
  const out: SourceTableEntry = { ...table, quoting: patch.quoting ?? {}, freshness: patch.freshness };
  for (const key of TABLE_KEYS) if (written(patch, key)) (out as unknown as Record<string, unknown>)[key] = patch[key];
  if (written(patch, 'tests') || written(patch, 'data_tests')) out.tests = patch.tests;
  return out;
}

/** dbt's DuplicateSourcePatchNameError. */
function duplicatePatch(second: SourceEntry, first: SourceEntry): TsdbtError {
  const name = `${first.overrides}.${first.name}`;
  const files = first.location.file === second.location.file
    ? `remove one of the sources entries for ${name} in this file:\n - ${first.location.file}\n`
    : `remove the sources entry for ${name} in one of these files:\n - ${first.location.file}\n - ${second.location.file}`;
  return new TsdbtError(
    `dbt found two schema.yml entries for the same source named ${first.name} in package ${first.overrides}. Sources may only be overridden a single time. To fix this, ${files}`,
    { code: 'duplicate-node', location: second.location, hint: `keep one \`overrides: ${first.overrides}\` entry for ${first.name}` },
  );
}

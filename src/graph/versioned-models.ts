// Versioned models (dbt 1.5+ `versions:`), as dbt's ModelPatchParser reads them: which model file
// defines each version (`defined_in`, else `<model>_v<v>`; the latest may live in `<model>.sql`),
// and the property entry each version gets: the model's description, config, columns and tests,
// with the version's own on top (`columns` narrowed by include / exclude, config deep-merged).
import { deepMerge } from '../config/index.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { ColumnEntry, ResourceEntry, TestDef, VersionEntry } from '../project/types.js';
import { sameVersion, type VersionId } from '../manifest/model-versions.js';
import type { Warning } from '../manifest/types.js';

/** A version's property entry, shaped as an unversioned model's (what applyPatch reads). */
export interface VersionPatch {
  name: string;
  description: string;
  config: Record<string, unknown>;
  /** The version's own `config:` as written (dbt keeps no model-level one for a version's unrendered config). */
  writtenConfig?: Record<string, unknown>;
  columns: ColumnEntry[];
  /** Whose column tests the version gets: the included top-level columns and its own (both, when one redefines the other, as dbt). */
  testedColumns: ColumnEntry[];
  tests: TestDef[];
  meta: Record<string, unknown>;
  docs: { show?: boolean } | undefined;
  constraints: unknown[];
  location: VersionEntry['location'];
}

/** One version of a model, found in a model file. */
export interface ModelVersion {
  /** The model's name (every version's node is named so). */
  name: string;
  v: VersionId;
  latest: VersionId;
  deprecationDate: string | null;
  patch: VersionPatch;
}

export interface VersionedFiles {
  /** Model file name (without `.sql`) -> the version it defines. */
  byFile: Map<string, ModelVersion>;
  /** Names of versioned models: their unsuffixed file is a version or a mistake, never a patch target. */
  versionedNames: Set<string>;
  warnings: Warning[];
}

/** Which model files of one package define which versions (`files`: the package's model file names). */
export function versionedModelFiles(entries: ResourceEntry[], files: ReadonlySet<string>): VersionedFiles {
  const byFile = new Map<string, ModelVersion>();
  const versionedNames = new Set<string>();
  const warnings: Warning[] = [];
  for (const entry of entries) {
    const versions = entry.versions ?? [];
    if (versions.length === 0) continue;
    versionedNames.add(entry.name);
    const latest = entry.latest_version ?? versions[versions.length - 1]?.v ?? '';
    for (const version of versions) {
      const wanted = version.defined_in ?? `${entry.name}_v${String(version.v)}`;
      // dbt: the latest version may also be defined in a file named like the model.
      const file = files.has(wanted) ? wanted : sameVersion(version.v, latest) && files.has(entry.name) ? entry.name : null;
      if (file === null) {
        warnings.push({
          event: 'NoNodeForYamlKey',
          message: `Did not find matching node for patch with name '${wanted}' in the 'models' section of file '${entry.location.file}' (version ${String(version.v)} of model '${entry.name}' is defined in models/.../${wanted}.sql)`,
          location: version.location,
        });
        continue;
      }
      const other = byFile.get(file);
      if (other) {
        throw new TsdbtError(`model file '${file}.sql' defines two versions: ${other.name}.v${String(other.v)} and ${entry.name}.v${String(version.v)}`, {
          code: 'version-file-twice',
          location: version.location,
          hint: 'give each version its own file (`defined_in:` names it)',
        });
      }
      byFile.set(file, { name: entry.name, v: version.v, latest, deprecationDate: version.deprecation_date ?? entry.deprecation_date ?? null, patch: versionPatch(entry, version) });
    }
  }
  return { byFile, versionedNames, warnings };
}

/** dbt's ParsedNodePatch for a version: the version's properties over the model's. */
function versionPatch(entry: ResourceEntry, version: VersionEntry): VersionPatch {
  return {
    name: entry.name,
    description: version.description || entry.description,
    config: deepMerge(entry.config, version.config),
    ...(version.writtenConfig ? { writtenConfig: version.writtenConfig } : {}),
    columns: columnsForVersion(entry, version),
    testedColumns: [...includedColumns(entry, version), ...version.columns],
    tests: version.tests ?? entry.tests,
    meta: entry.meta,
    docs: version.docs ?? entry.docs,
    constraints: version.constraints && version.constraints.length > 0 ? version.constraints : entry.constraints,
    location: version.location,
  };
}

/** dbt's get_columns_for_version: the top-level columns the version includes, then its own (which win by name). */
export function columnsForVersion(entry: ResourceEntry, version: VersionEntry): ColumnEntry[] {
  const byName = new Map<string, ColumnEntry>();
  for (const column of [...includedColumns(entry, version), ...version.columns]) byName.set(column.name, column);
  return [...byName.values()];
}

export function includedColumns(entry: ResourceEntry, version: VersionEntry): ColumnEntry[] {
  return entry.columns.filter((c) => (version.include === 'all' || version.include.includes(c.name)) && !version.exclude.includes(c.name));
}

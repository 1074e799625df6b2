// A parsed node with its property-file entry applied (description, columns, docs, constraints,
// deprecation_date), and a model, singular test or analysis file parsed into such a node. A
// package's parse (parse-package.ts) and the partial re-parse (reparse-sql-files.ts) share them.
import type { ProjectConfig } from '../config/types.js';
import type { ProjectFile } from '../project/types.js';
import { fileStem } from '../project/index.js';
import type { ParsePhase } from '../compile/parse-phase.js';
import { parseSqlNode, type SqlFileInput } from './parse-sql-nodes.js';
import type { PatchEntry } from './patch-entry.js';
import type { VersionedFiles } from './versioned-models.js';
import type { Constraint, ManifestNode } from '../manifest/types.js';

/**
 * The node of a model, singular test or analysis file: its template rendered for refs, sources and
 * config, the property-file entry describing it applied (models). Its materialization is not
 * checked here: dbt parses and compiles a model whatever it names (`materialized_view`, Snowflake's
 * `dynamic_table` on another warehouse) and fails that node alone when it runs.
 * Null when it failed to parse (the error is in the session).
 */
export function parseSqlFile(
  session: ParsePhase,
  project: ProjectConfig,
  file: ProjectFile,
  patch: PatchEntry | undefined,
  version?: VersionedFiles['byFile'] extends Map<string, infer V> ? V : never,
): ManifestNode | null {
  const resourceType = file.kind === 'test' ? 'test' : file.kind === 'analysis' ? 'analysis' : 'model';
  const name = version?.name ?? fileStem(file.path);
  const input: SqlFileInput = { resourceType, path: file.path, absPath: file.absPath, content: file.content ?? '', resourceDir: file.resourceDir ?? '', packageName: project.name, ...(version ? { name, version: { v: version.v, latest: version.latest, deprecationDate: version.deprecationDate } } : {}) };
  // Models and analyses take their property entry (`analyses:` in a property file: description, config,
  // columns); a singular test its `data_tests:` entry (dbt's SingularTestPatchParser: config, description).
  const node = parseSqlNode(session, project, input, patch?.config, patch?.writtenConfig);
  if (node && patch && resourceType === 'test') {
    node.description = patch.description ?? '';
    node.patch_path = `${node.package_name}://${patch.location.file}`;
    (node as ManifestNode & { _patch?: PatchEntry })._patch = patch; // for a partial re-parse of the file
  } else if (node && patch) applyPatch(node, patch);
  return node;
}

function isConstraint(value: unknown): value is Constraint {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** A snapshot with its property entry's description, columns and docs (dbt patches snapshots as it does models and seeds). */
export function patched(node: ManifestNode, patch: PatchEntry | undefined): ManifestNode {
  if (patch) applyPatch(node, patch);
  return node;
}

export function applyPatch(node: ManifestNode, patch: PatchEntry & { packageName?: string }): void {
  node.description = patch.description ?? '';
  // The package of the property file (a root file may describe a package's node).
  node.patch_path = `${patch.packageName ?? node.package_name}://${patch.location.file}`;
  if (patch.docs) node.docs = { show: patch.docs.show !== false, node_color: typeof patch.docs.node_color === 'string' ? patch.docs.node_color : null };
  for (const column of patch.columns ?? []) {
    node.columns[column.name] = {
      ...(column.extra as Record<string, unknown> | undefined),
      name: column.name,
      description: column.description ?? '',
      data_type: column.data_type ?? null,
      meta: column.meta ?? {},
      tags: column.tags ?? [],
      quote: column.quote ?? null,
      constraints: (column.constraints ?? []).filter(isConstraint),
      config: column.config ?? { meta: column.meta ?? {}, tags: column.tags ?? [] },
      ...(column.granularity !== undefined ? { granularity: column.granularity } : {}),
    };
  }
  node.constraints = (patch.constraints ?? []).filter(isConstraint);
  // A model's deprecation_date (a version's comes with its version, see versioned-models.ts).
  if (node.resource_type === 'model' && node.version === undefined) node.deprecation_date = patch.deprecation_date ?? null;
  if (node.resource_type === 'model' && patch.time_spine) node.time_spine = patch.time_spine;
  (node as ManifestNode & { _patch?: PatchEntry })._patch = patch;
}

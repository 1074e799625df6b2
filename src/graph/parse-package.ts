// One package's resources parsed into the manifest: its property files, SQL, snapshot, function and
// seed files, docs blocks, sources, generic and unit tests. buildManifest runs it for the root
// project, then for each installed package; the links and checks across packages stay there.
import { parseProjectHooks } from './project-hooks-parse.js';
import type { ProjectConfig } from '../config/types.js';
import type { ProjectFile, SchemaFile } from '../project/types.js';
import { fileStem, parseSchemaFile } from '../project/index.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { ParsePhase } from '../compile/parse-phase.js';
import type { TargetNames } from './node-naming.js';
import { addGenericTests, testDefs, type DeferredEntryTests, type WrittenTest } from './property-data-tests.js';
import { progressCount } from '../time/slow-step.js';
import { parseSourceTables, type SourceInput } from './parse-sources.js';
import { parseSeedNode } from './parse-sql-nodes.js';
import { parseSnapshotFile, parseYamlSnapshots } from './parse-snapshots.js';
import { functionName, parseFunctionFile } from './parse-functions.js';
import type { Unparsed } from './unparsed.js';
import { enabledError } from './node-config-checks.js';
import type { PatchEntry } from './patch-entry.js';
import { collectPatches, duplicatePatchError, refuseDuplicates, splitKey } from './property-patches.js';
import { packageScope } from '../packages/package-scope.js';
import { fixtureIndex, parseUnitTest, unitTestPerVersion } from './parse-unit-tests.js';
import { versionedModelFiles, type VersionedFiles } from './versioned-models.js';
import type { SourcePatches } from './source-overrides.js';
import type { Manifest, ManifestNode, SourceTable } from '../manifest/types.js';
import { recordValues } from '../manifest/record-values.js';
import { applyPatch, parseSqlFile, patched } from './patched-nodes.js';

/** One package's config and files (the root project is one too). */
export interface PackageUnit {
  config: ProjectConfig;
  files: ProjectFile[];
}

/** What every package's parse reads of the whole build: the root project, the session, the target. */
export interface PackageParseInput {
  project: ProjectConfig;
  session: ParsePhase;
  target: TargetNames;
}

/** What parsing left out because it is disabled: nodes, and source tables (`source.table`). */
export interface Disabled {
  nodes: ManifestNode[];
  sources: string[];
  /** The fqns of the disabled source tables. */
  sourceFqns: string[][];
}

/** What one package's parse leaves for the next ones. */
export interface SharedParseState {
  /** Property entries whose node was not parsed before theirs (their tests are built at the end). */
  deferredTests: DeferredEntryTests[];
  /**
   * The root project's model, seed and snapshot entries naming no root node: dbt's patch lookup
   * falls back to any package (schemas.py), so the first package node of that name takes them.
   */
  rootPatches: Map<string, PatchEntry & { packageName: string; duplicate?: PatchEntry }>;
}

/** Parses one package's resources; returns its tests written with top-level arguments. */
export function parsePackage(
  unit: PackageUnit,
  input: PackageParseInput,
  manifest: Manifest,
  add: (node: ManifestNode | null) => void,
  off: Disabled,
  unparsed: Unparsed,
  propertyFiles: { packageName: string; schemaFile: SchemaFile }[],
  sourcePatches: SourcePatches,
  shared: SharedParseState,
): WrittenTest[] {
  const { session } = input;
  const files = unit.files;
  const project = unit.config.name === input.project.name ? unit.config : packageScope(input.project, unit.config);
  const pkg = project.name;
  // Property files first: their config feeds the config layers of the nodes they describe.
  const schemaFiles: SchemaFile[] = [];
  const yamlFiles = files.filter((f) => f.kind === 'yaml');
  for (const [i, file] of yamlFiles.entries()) {
    session.progress(() => `${pkg}: reading property files, ${progressCount(i, yamlFiles.length)}`);
    try {
      const schemaFile = parseSchemaFile(file, (value, location) => session.renderPropertyNative(value, location, pkg));
      for (const w of schemaFile.warnings ?? []) manifest.warnings.push(w);
      sourcePatches.collect(schemaFile, (err) => session.fail(err));
      schemaFiles.push(schemaFile);
      propertyFiles.push({ packageName: pkg, schemaFile });
    } catch (err) {
      session.fail(err, file.path);
      unparsed.propertyFile(file.content ?? '');
    }
  }
  // `overrides:` entries of the packages parsed before this one (the root project's) patch its sources.
  for (const schemaFile of schemaFiles) sourcePatches.apply(schemaFile, pkg);
  const failed = (err: TsdbtError): void => session.fail(err);
  const collected = collectPatches(schemaFiles, pkg, failed);
  const patches = collected.patches;
  const isRoot = pkg === input.project.name;
  const patchFor = (key: string): PatchEntry | undefined => {
    const own = patches.get(key);
    if (isRoot) return own;
    const foreign = shared.rootPatches.get(key);
    if (!foreign) return own;
    // The root's entry patched this node first: a second entry (the package's, or the root's own) is dbt's DuplicatePatchPathError.
    shared.rootPatches.delete(key);
    const root = { entry: foreign, packageName: foreign.packageName };
    if (foreign.duplicate) failed(duplicatePatchError({ entry: foreign.duplicate, packageName: foreign.packageName }, root));
    if (own) failed(duplicatePatchError({ entry: own, packageName: pkg }, root));
    return foreign;
  };
  const versioned = modelVersions(schemaFiles, files, session);
  manifest.warnings.push(...versioned.warnings);

  // The static parser reads what it can; the rest compile in one JavaScript compilation (most of compile time).
  session.parseSqlFiles(
    files.filter((f) => f.kind === 'model' || f.kind === 'test' || f.kind === 'analysis').map((f) => ({ path: f.path, source: f.content ?? '' })),
    pkg,
  );

  for (const [i, file] of files.entries()) {
    session.progress(() => `${pkg}: parsing nodes, ${progressCount(i, files.length)} files`);
    const resourceDir = file.resourceDir ?? '';
    if (file.kind === 'model' || file.kind === 'test' || file.kind === 'analysis') {
      const resourceType = file.kind === 'test' ? 'test' : file.kind === 'analysis' ? 'analysis' : 'model';
      const fileName = fileStem(file.path);
      const version = resourceType === 'model' ? versioned.byFile.get(fileName) : undefined;
      if (resourceType === 'model' && !version && versioned.versionedNames.has(fileName)) {
        session.fail(unversionedFileOfVersionedModel(file.path, fileName, versioned));
        continue;
      }
      const name = version?.name ?? fileName;
      const patch = version ? (version.patch as unknown as PatchEntry) : patchFor(`${resourceType}:${name}`);
      const node = parseSqlFile(session, project, file, patch, version);
      if (!node) unparsed.node(name);
      add(node);
    } else if (file.kind === 'snapshot') {
      for (const node of parseSnapshotFile(session, project, file, patches, pkg, unparsed)) add(patched(node, patchFor(`snapshot:${node.name}`)));
    } else if (file.kind === 'function') {
      const patch = patches.get(`function:${functionName(file)}`);
      const node = parseFunctionFile(session, project, file, patch);
      if (!node) unparsed.node(functionName(file));
      else if (patch) applyPatch(node, patch);
      add(node);
    } else if (file.kind === 'seed') {
      const name = fileStem(file.path);
      const patch = patchFor(`seed:${name}`);
      const node = parseSeedNode(session, project, { path: file.path, absPath: file.absPath, resourceDir, packageName: pkg }, patch?.config, patch?.writtenConfig);
      if (!node) unparsed.node(name);
      else if (patch) applyPatch(node, patch);
      add(node);
    }
  }

  // The on-run-start / on-run-end hooks, after the project's files (dbt's HookParser runs last of its file parsers).
  for (const node of parseProjectHooks(session, project, unit.config, input.project.projectDir)) add(node);

  // `{% docs name %}...{% enddocs %}` blocks of .md files, for `{{ doc('name') }}` in descriptions.
  for (const file of files.filter((f) => f.kind === 'docs')) {
    // dbt's Documentation `path`: the file relative to the folder it was found under (`docs.md` for models/docs.md).
    const docPath = file.resourceDir && file.path.startsWith(`${file.resourceDir}/`) ? file.path.slice(file.resourceDir.length + 1) : file.path;
    for (const match of (file.content ?? '').matchAll(/\{%-?\s*docs\s+([A-Za-z_][\w]*)\s*-?%\}([\s\S]*?)\{%-?\s*enddocs\s*-?%\}/g)) {
      const name = match[1] as string;
      manifest.docs[`doc.${pkg}.${name}`] = { unique_id: `doc.${pkg}.${name}`, resource_type: 'doc', package_name: pkg, name, path: docPath, original_file_path: file.path, block_contents: (match[2] as string).trim() };
    }
  }

  // Snapshots declared in YAML (dbt 1.9: `relation:` plus config).
  for (const schemaFile of schemaFiles) for (const node of parseYamlSnapshots(session, project, schemaFile, pkg, unparsed)) add(patched(node, patches.get(`snapshot:${node.name}`)));

  // A second entry for one of this package's enabled nodes is refused, as dbt refuses it.
  const hasEnabledNode = (kind: string, name: string): boolean => recordValues(manifest.nodes).some((n) => n.resource_type === kind && n.package_name === pkg && n.name === name);
  const duplicates = refuseDuplicates(collected, pkg, hasEnabledNode, failed);

  // The root's entries describing no root node (enabled, disabled or versioned) may describe a package's.
  if (isRoot) {
    for (const [key, patch] of patches) {
      const [kind, name] = splitKey(key);
      if ((patch as { versions?: unknown[] }).versions?.length) continue;
      if ((kind === 'model' || kind === 'seed' || kind === 'snapshot' || kind === 'analysis') && !manifest.nodes[`${kind}.${pkg}.${name}`] && !off.nodes.some((n) => n.resource_type === kind && n.name === name)) {
        const duplicate = duplicates.get(key);
        shared.rootPatches.set(key, { ...patch, packageName: pkg, ...(duplicate ? { duplicate } : {}) });
      }
    }
  }

  // Sources. One source's tables may be declared in several entries (several files), as in dbt:
  // only a table declared twice is refused (duplicateSource). `overrides:` entries are applied
  // above (source-overrides.ts).
  for (const schemaFile of schemaFiles) {
    for (const declared of schemaFile.sources as unknown as SourceInput[]) {
      // dbt renders a source's database, schema and each table's identifier.
      const render = (value: string | null | undefined, line: number | undefined) =>
        typeof value === 'string' ? session.renderPropertyValue(value, { file: declared.location.file, line }, pkg) : value;
      const source: SourceInput = {
        ...declared,
        database: render(declared.database, declared.location.line),
        schema: render(declared.schema, declared.location.line),
        tables: declared.tables.map((t) => ({ ...t, identifier: render(t.identifier, t.location.line) })),
      };
      for (const table of parseSourceTables(source, pkg, { database: input.target.database, dialect: session.services.sqlBuilders }, session.services.relation, project.sources, project.unrenderedTrees?.sources ?? project.sources)) {
        const enabled = enabledError(table.config.enabled, `source '${table.source_name}.${table.name}'`, { file: table.original_file_path, line: table.line });
        if (enabled) {
          session.fail(enabled);
          continue;
        }
        const existing = manifest.sources[table.unique_id];
        if (existing && table.config.enabled) session.fail(duplicateSource(existing, table));
        else if (table.config.enabled) manifest.sources[table.unique_id] = table;
        else {
          (manifest.disabledSources ??= []).push(table);
          off.sources.push(`${table.source_name}.${table.name}`);
          off.sourceFqns.push(table.fqn);
        }
      }
    }
  }

  // Generic tests from property files.
  const testable = new Map<string, ManifestNode>();
  for (const node of recordValues(manifest.nodes)) if (node.resource_type !== 'test') testable.set(`${node.resource_type}:${node.name}`, node);
  // A disabled or missing node's tests have no target: they are left out (a missing one is warned about).
  for (const schemaFile of schemaFiles) addGenericTests(schemaFile, testable, manifest, session, project, add, shared.deferredTests);

  // Unit tests (dbt 1.8 `unit_tests:`).
  const fixtures = fixtureIndex(files, pkg, (err) => session.fail(err));
  for (const schemaFile of schemaFiles) {
    for (const entry of schemaFile.unitTests) {
      try {
        for (const node of unitTestPerVersion(parseUnitTest(session, entry, pkg, fixtures, project.unitTests), entry, manifest)) add(node);
      } catch (err) {
        session.fail(err);
      }
    }
  }
  return schemaFiles
    .flatMap(testDefs)
    .filter(({ test: t }) => t.topLevelArguments || (t.movedConfigKeys?.length ?? 0) > 0 || 'argumentsProperty' in t)
    .map((written) => ({ ...written, packageName: pkg }));

}

/** dbt's DuplicateResourceNameError for a source table declared twice. */
function duplicateSource(first: SourceTable, second: SourceTable): TsdbtError {
  return new TsdbtError(
    `dbt found two sources with the name '${second.source_name}.${second.name}': ${first.original_file_path}:${first.line} and ${second.original_file_path}:${second.line}`,
    { code: 'duplicate-node', location: { file: second.original_file_path, line: second.line }, hint: 'remove one of the two table entries (or merge the two entries of the source into one)' },
  );
}

/** Which model files define versions of versioned models (none when that fails: its error is reported). */
function modelVersions(schemaFiles: SchemaFile[], files: ProjectFile[], session: ParsePhase): VersionedFiles {
  const modelFiles = new Set(files.filter((f) => f.kind === 'model').map((f) => fileStem(f.path)));
  try {
    return versionedModelFiles(schemaFiles.flatMap((f) => f.models), modelFiles);
  } catch (err) {
    session.fail(err);
    return { byFile: new Map(), versionedNames: new Set(), warnings: [] };
  }
}

/** `dim_customers.sql` beside a versioned `dim_customers` whose versions all live in other files. */
function unversionedFileOfVersionedModel(filePath: string, name: string, versioned: VersionedFiles): TsdbtError {
  const files = [...versioned.byFile.entries()].filter(([, v]) => v.name === name).map(([file, v]) => `v${String(v.v)} in ${file}.sql`);
  return new TsdbtError(`model file ${filePath} is named like the versioned model '${name}' but is none of its versions (${files.join(', ') || 'no version file found'})`, {
    code: 'version-file-unused',
    location: { file: filePath, line: 1 },
    hint: `rename or remove it, or make it a version with \`defined_in: ${name}\` under that version in the property file`,
  });
}

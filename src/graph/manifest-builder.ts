// RawProject -> Manifest: parses every resource, applies property files (descriptions, columns,
// tests), names relations, links refs/sources into depends_on, and builds the DAG. All user errors
// are collected and thrown together.
import type { ProjectConfig } from '../config/types.js';
import type { ProjectFile, SchemaFile, TestDef } from '../project/types.js';
import { fileStem, parseSchemaFile } from '../project/index.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { callParseMacro, type ParsePhase } from '../compile/parse-phase.js';
import { Dag, buildParentChildMaps } from './dag.js';
import { nodeAlias, nodeDatabase, nodeSchema, type NamingMacros } from './node-naming.js';
import { storesFailures } from './node-factory.js';
import { addDeferredGenericTests, addGenericTests, disableTest, disablesInstead, testDefs, warnTopLevelArguments, type DeferredEntryTests } from './property-data-tests.js';
import { groupThousands, progressCount } from '../time/slow-step.js';
import { parseSourceTables, type SourceInput } from './parse-sources.js';
import { inferPrimaryKeys } from './primary-key.js';
import { comparesUnrenderedValues, parseSeedNode, parseSqlNode, type SqlFileInput } from './parse-sql-nodes.js';
import { parseSnapshotFile, parseYamlSnapshots } from './parse-snapshots.js';
import { functionName, parseFunctionFile } from './parse-functions.js';
import { RefIndex } from './ref-index.js';
import { packageNodeOnRootWarnings } from './package-root-refs.js';
import { linkMacroDependencies } from './macro-dependencies.js';
import { shareEqualConfigs } from './shared-configs.js';
import { addDeclaredResources } from './declared-resources.js';
import { checkSemanticLayer } from './semantic-checks.js';
import { checkNodeMetrics } from './metric-links.js';
import { Unparsed } from './unparsed.js';
import { ambiguousEnableError, patchTargetWarnings } from './patch-targets.js';
import { disabledFqns, unusedConfigPathWarning } from './unused-config-paths.js';
import { renderDescriptions } from './doc-descriptions.js';
import { checkAccessAndGroups, inheritAttachedGroups } from './model-access.js';
import { applyMacroArgumentValidation } from './macro-arguments.js';
import { applyMacroPatches } from './macro-patches.js';
import { enabledError, finalizeNodeConfig, nodeConfigError } from './node-config-checks.js';
import { checkContracts } from './contract-checks.js';
import { checkMicrobatchModels, microbatchWarnings } from './microbatch-checks.js';
import { checkResourceNameUniqueness } from './resource-name-uniqueness.js';
import { checkResourceNamesWithSpaces } from './resource-names-with-spaces.js';
import type { PatchEntry } from './patch-entry.js';
import { collectPatches, duplicatePatchError, refuseDuplicates, splitKey } from './property-patches.js';
import { nodeRefOf } from '../manifest/node-ref.js';
import { packageScope } from '../packages/package-scope.js';
import { metadataFreshnessWarnings } from './source-freshness-warnings.js';
import { linkForeignKeys } from './foreign-keys.js';
import { addDbtDocs } from './dbt-docs.js';
import { checkUnitTestInputs, fixtureIndex, parseUnitTest, unitTestPerVersion } from './parse-unit-tests.js';
import { versionedModelFiles, type VersionedFiles } from './versioned-models.js';
import { SourcePatches } from './source-overrides.js';
import { configVersionError } from './config-version.js';
import type { Constraint, Manifest, ManifestNode, SourceTable, UnitTestInput } from '../manifest/types.js';
import { recordKeys, recordValues, withKeysKept } from '../manifest/record-values.js';

/** One package's config and files (the root project is one too). */
export interface PackageUnit {
  config: ProjectConfig;
  files: ProjectFile[];
}

export interface BuildManifestInput {
  project: ProjectConfig;
  files: ProjectFile[];
  /** Installed packages (dbt_packages/), parsed after the root project. */
  packages?: PackageUnit[];
  session: ParsePhase;
  target: { schema: string; database: string };
}

export interface ParsedManifest {
  manifest: Manifest;
  dag: Dag;
  refs: RefIndex;
  /** Disabled nodes (kept so a ref to one says it is disabled). */
  disabled: ManifestNode[];
}

/** Rebuilds the ref index and DAG of a manifest restored from the parse cache. */
export function relinkManifest(manifest: Manifest, disabled: ManifestNode[]): ParsedManifest {
  const refs = new RefIndex(manifest.projectName, recordValues(manifest.nodes), disabled, recordValues(manifest.sources)).restrict(manifest.restrictedPackages).searchNodePackageFirst(manifest.refSearchesNodePackageFirst);
  return { manifest, dag: Dag.fromManifest(manifest), refs, disabled };
}

export function buildManifest(input: BuildManifestInput): ParsedManifest {
  const { project, session } = input;
  const manifest: Manifest = { projectName: project.name, nodes: {}, sources: {}, macros: session.macros, docs: {}, parent_map: {}, child_map: {}, warnings: [] };
  addDbtDocs(manifest);
  if (comparesUnrenderedValues(session)) manifest.comparesUnrenderedValues = true;
  const disabled: ManifestNode[] = [];
  const add = nodeAdder(manifest, disabled, session);

  // The root project, then each installed package with its own paths and config scope.
  const off: Disabled = { nodes: disabled, sources: [], sourceFqns: [] };
  const unparsed = new Unparsed();
  const propertyFiles: { packageName: string; schemaFile: SchemaFile }[] = [];
  const sourcePatches = new SourcePatches();
  const deferredTests: DeferredEntryTests[] = [];
  const shared: SharedParseState = { deferredTests, rootPatches: new Map() };
  const legacyTests = parsePackage({ config: project, files: input.files }, input, manifest, add, off, unparsed, propertyFiles, sourcePatches, shared);
  for (const pkg of input.packages ?? []) legacyTests.push(...parsePackage(pkg, input, manifest, add, off, unparsed, propertyFiles, sourcePatches, shared));
  addDeferredGenericTests(deferredTests, manifest);
  const badVersion = configVersionError(project, (input.packages ?? []).map((p) => p.config), [...recordValues(manifest.nodes), ...disabled]);
  if (badVersion) {
    // dbt stops there: nothing of a project it refuses is checked further. Other errors go on
    // being collected (a bad entry and a missing source are reported together).
    session.fail(badVersion);
    session.throwIfErrors();
  }
  const unusedPatches = sourcePatches.unused();
  if (unusedPatches) manifest.warnings.push(unusedPatches);
  warnTopLevelArguments(legacyTests, manifest);
  // Entries describing no node, once every package is parsed (a root file may describe a package's node).
  manifest.warnings.push(...patchTargetWarnings(propertyFiles, manifest, disabled));
  const ambiguous = ambiguousEnableError(propertyFiles, manifest, disabled);
  if (ambiguous) session.fail(ambiguous);
  applyMacroPatches(manifest, propertyFiles, (err) => session.fail(err));
  applyMacroArgumentValidation(manifest, project.flags?.validate_macro_args === true);

  // Naming and linking list manifest.nodes' keys once (record-values.ts); a data test or unit test
  // whose target is disabled leaves manifest.nodes after that step, not during it.
  const { refs, toDisable } = withKeysKept(manifest.nodes, () => {
    // Names (schema, alias, database, relation_name). A test's relation is where store_failures
    // writes its failing rows (schema `<target>_dbt_test__audit` by default, as in dbt).
    session.progress(`naming and linking ${groupThousands(recordKeys(manifest.nodes).length)} nodes`);
    const naming = namingMacros(session);
    for (const node of recordValues(manifest.nodes)) nameNode(node, input.target, naming, session);

    linkForeignKeys(manifest, session);
    const restricted = (input.packages ?? []).filter((p) => p.config.restrictAccess).map((p) => p.config.name);
    if (restricted.length > 0) manifest.restrictedPackages = restricted;
    if (project.flags?.require_ref_searches_node_package_before_root === true) manifest.refSearchesNodePackageFirst = true;
    const refs = new RefIndex(project.name, recordValues(manifest.nodes), disabled, recordValues(manifest.sources), off.sources, unparsed).restrict(manifest.restrictedPackages).searchNodePackageFirst(manifest.refSearchesNodePackageFirst);
    return { refs, toDisable: linkRefsAndSources(manifest, refs, session) };
  });
  for (const { node, reasons } of toDisable) disableTest(node, reasons, manifest, disabled);

  // From here on no node is added or removed: the twenty walks of manifest.nodes below list its
  // 30,000 keys once (record-values.ts).
  return withKeysKept(manifest.nodes, () => {
    manifest.warnings.push(...packageNodeOnRootWarnings(manifest, refs));
    session.throwIfErrors();
    checkUnitTests(manifest, refs, session, project.seedPaths);
    session.throwIfErrors();
    buildParentChildMaps(manifest);
    inferPrimaryKeys(manifest, disabled);
    const scopes = new Map([project, ...(input.packages ?? []).map((p) => packageScope(project, p.config))].map((c) => [c.name, c]));
    addDeclaredResources(
      manifest,
      propertyFiles,
      refs,
      (pkg, kind) => scopes.get(pkg)?.declaredTrees?.[kind as keyof NonNullable<ProjectConfig['declaredTrees']>],
      (err) => session.fail(err),
    );
    checkSemanticLayer(manifest, (err) => session.fail(err));
    checkNodeMetrics(manifest, (err) => session.fail(err));
    checkAccessAndGroups(manifest, (err) => session.fail(err));
    inheritAttachedGroups(manifest);
    checkMicrobatchModels(manifest, (err) => session.fail(err));
    const ownPackages = new Set([project.name, ...(input.packages ?? []).map((p) => p.config.name)]);
    manifest.warnings.push(
      ...microbatchWarnings(manifest, {
        batchCustomMacro: project.flags?.require_batched_execution_for_custom_microbatch_strategy === true,
        customMacro: recordValues(manifest.macros).some((m) => m.name === 'get_incremental_microbatch_sql' && ownPackages.has(m.package_name)),
        adapterType: String(session.services.targetContext.type ?? ''),
      }),
    );
    manifest.warnings.push(...checkResourceNameUniqueness(manifest, project.flags?.require_unique_project_resource_names === true, (err) => session.fail(err)));
    const spaces = checkResourceNamesWithSpaces(manifest, project.flags?.require_resource_names_without_spaces !== false);
    if (spaces.error) session.fail(spaces.error);
    manifest.warnings.push(...spaces.warnings);
    checkContracts(manifest, (err) => session.fail(err));
    manifest.warnings.push(...metadataFreshnessWarnings(manifest));
    const unused = unusedConfigPathWarning(project, manifest, disabledFqns(disabled, off.sourceFqns));
    if (unused) manifest.warnings.push(unused);
    linkMacroDependencies(manifest, session.scope);
    renderDescriptions(manifest, session, project.name);
    session.throwIfErrors();
    shareEqualConfigs([...recordValues(manifest.nodes), ...disabled]);
    const dag = Dag.fromManifest(manifest);
    return { manifest, dag, refs, disabled };
  });
}

/** Adds a parsed node to the manifest (a disabled one to `disabled`); a second node of one name fails. */
function nodeAdder(manifest: Manifest, disabled: ManifestNode[], session: ParsePhase): (node: ManifestNode | null) => void {
  return (node: ManifestNode | null) => {
    if (!node) return;
    const configError = nodeConfigError(node);
    if (configError) {
      session.fail(configError);
      return;
    }
    finalizeNodeConfig(node);
    if (!node.config.enabled) {
      disabled.push(node);
      return;
    }
    const existing = manifest.nodes[node.unique_id];
    if (existing && node.test_metadata) {
      // dbt's unique_id hashes a generic test's name and arguments: only a repeated test collides.
      session.fail(
        // dbt's DuplicateResourceNameError words ("data_tests"), which projects' tests look for.
        new TsdbtError(`dbt found two data_tests with the name "${node.name}": test '${node.name}' is declared twice with the same arguments (lines ${existing.line} and ${node.line})`, {
          code: 'duplicate-node',
          location: { file: node.original_file_path, line: node.line },
          hint: 'remove one, or give them different names with `name:` (tests that differ only in config need their own names)',
        }),
      );
      return;
    }
    if (existing) {
      session.fail(
        new TsdbtError(`dbt found two ${node.resource_type === 'analysis' ? 'analyses' : `${node.resource_type}s`} with the name '${node.name}': ${existing.original_file_path} and ${node.original_file_path}`, {
          code: 'duplicate-node',
          location: { file: node.original_file_path, line: 1 },
          hint: 'rename one of them (names must be unique within a package)',
        }),
      );
      return;
    }
    manifest.nodes[node.unique_id] = node;
  };
}

/** dbt's DuplicateResourceNameError for a source table declared twice. */
function duplicateSource(first: SourceTable, second: SourceTable): TsdbtError {
  return new TsdbtError(
    `dbt found two sources with the name '${second.source_name}.${second.name}': ${first.original_file_path}:${first.line} and ${second.original_file_path}:${second.line}`,
    { code: 'duplicate-node', location: { file: second.original_file_path, line: second.line }, hint: 'remove one of the two table entries (or merge the two entries of the source into one)' },
  );
}

/**
 * Link refs and sources into depends_on. As in dbt (process_refs), a data test whose ref or source
 * is disabled or missing is disabled instead of failing the parse (packages switch features off
 * this way): silently for a disabled ref, with a warning otherwise; so is a unit test of a disabled
 * model (process_models_for_unit_test): those are returned, to leave manifest.nodes after this step. Any other node fails.
 */
function linkRefsAndSources(manifest: Manifest, refs: RefIndex, session: ParsePhase): { node: ManifestNode; reasons: TsdbtError[] }[] {
  const toDisable: { node: ManifestNode; reasons: TsdbtError[] }[] = [];
  for (const node of recordValues(manifest.nodes)) {
    const parents = new Set<string>();
    const unresolved: TsdbtError[] = [];
    const link = (resolve: () => string) => {
      try {
        parents.add(resolve());
      } catch (err) {
        // A ref to what did not parse: that node's own error is the one to report.
        if (err instanceof TsdbtError && UNPARSED.has(err.code)) return;
        if (err instanceof TsdbtError && disablesInstead(node, err)) unresolved.push(err);
        else session.fail(err);
      }
    };
    // dbt's order: process_sources runs before process_refs, so depends_on lists sources first.
    for (const [s, t] of node.sources) link(() => refs.resolveSource(s, t, node).unique_id);
    for (const call of node.refs) link(() => refs.resolveRef(call, node).unique_id);
    for (const call of node.functions ?? []) link(() => refs.resolveFunction(call, node).unique_id);
    node.depends_on.nodes = [...parents];
    if (unresolved.length > 0) toDisable.push({ node, reasons: unresolved });
  }
  return toDisable;
}

/** Each unit test against its model: the model exists and is SQL, an input without rows is a seed (checkUnitTestInputs). */
function checkUnitTests(manifest: Manifest, refs: RefIndex, session: ParsePhase, seedPaths: readonly string[]): void {
  const resolveInput = (input: UnitTestInput, from: ManifestNode) =>
    input.ref ? refs.resolveRef(input.ref, from).unique_id : refs.resolveSource(input.source?.[0] ?? '', input.source?.[1] ?? '', from).unique_id;
  for (const node of recordValues(manifest.nodes)) {
    if (node.resource_type !== 'unit_test') continue;
    try {
      checkUnitTestInputs(node, manifest, resolveInput, seedPaths);
    } catch (err) {
      session.fail(err, node.original_file_path, nodeRefOf(node));
    }
  }
}

/** A node's database, schema, alias and relation_name (a test's: where store_failures writes). */
export function nameNode(node: ManifestNode, target: BuildManifestInput['target'], naming: NamingMacros, session: ParsePhase): void {
  if (node.resource_type === 'analysis' || node.resource_type === 'unit_test') {
    node.schema = target.schema;
    node.database = target.database;
    return;
  }
  try {
    node.database = nodeDatabase(node, target, naming);
    node.schema = nodeSchema(node, target, naming);
    node.alias = nodeAlias(node, naming);
    const stored = node.resource_type !== 'test' || storesFailures(node.config, session.services.flags.STORE_FAILURES === true) !== null;
    node.relation_name =
      node.config.materialized === 'ephemeral' || !stored ? null : session.services.relation({ database: node.database, schema: node.schema, identifier: node.alias }).render();
  } catch (err) {
    session.fail(err, node.original_file_path, nodeRefOf(node));
  }
}

/** A ref or source() that failed because its target did not parse (see Unparsed). */
const UNPARSED = new Set(['ref-unparsed', 'source-unparsed']);

/** What parsing left out because it is disabled: nodes, and source tables (`source.table`). */
interface Disabled {
  nodes: ManifestNode[];
  sources: string[];
  /** The fqns of the disabled source tables. */
  sourceFqns: string[][];
}

/** What one package's parse leaves for the next ones. */
interface SharedParseState {
  /** Property entries whose node was not parsed before theirs (their tests are built at the end). */
  deferredTests: DeferredEntryTests[];
  /**
   * The root project's model, seed and snapshot entries naming no root node: dbt's patch lookup
   * falls back to any package (schemas.py), so the first package node of that name takes them.
   */
  rootPatches: Map<string, PatchEntry & { packageName: string; duplicate?: PatchEntry }>;
}

/** Parses one package's resources; returns its tests written with top-level arguments. */
function parsePackage(
  unit: PackageUnit,
  input: BuildManifestInput,
  manifest: Manifest,
  add: (node: ManifestNode | null) => void,
  off: Disabled,
  unparsed: Unparsed,
  propertyFiles: { packageName: string; schemaFile: SchemaFile }[],
  sourcePatches: SourcePatches,
  shared: SharedParseState,
): TestDef[] {
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

  // `{% docs name %}...{% enddocs %}` blocks of .md files, for `{{ doc('name') }}` in descriptions.
  for (const file of files.filter((f) => f.kind === 'docs')) {
    for (const match of (file.content ?? '').matchAll(/\{%-?\s*docs\s+([A-Za-z_][\w]*)\s*-?%\}([\s\S]*?)\{%-?\s*enddocs\s*-?%\}/g)) {
      const name = match[1] as string;
      manifest.docs[`doc.${pkg}.${name}`] = { unique_id: `doc.${pkg}.${name}`, resource_type: 'doc', package_name: pkg, name, path: file.path, original_file_path: file.path, block_contents: (match[2] as string).trim() };
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
      for (const table of parseSourceTables(source, pkg, { database: input.target.database, dialect: session.services.sqlBuilders }, session.services.sourceRelation ?? session.services.relation, project.sources)) {
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
        for (const node of unitTestPerVersion(parseUnitTest(session, entry, pkg, fixtures), entry, manifest)) add(node);
      } catch (err) {
        session.fail(err);
      }
    }
  }
  return schemaFiles.flatMap(testDefs).filter((t) => t.topLevelArguments || (t.movedConfigKeys?.length ?? 0) > 0);

}

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

function isConstraint(value: unknown): value is Constraint {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** A snapshot with its property entry's description, columns and docs (dbt patches snapshots as it does models and seeds). */
function patched(node: ManifestNode, patch: PatchEntry | undefined): ManifestNode {
  if (patch) applyPatch(node, patch);
  return node;
}

function applyPatch(node: ManifestNode, patch: PatchEntry & { packageName?: string }): void {
  node.description = patch.description ?? '';
  // The package of the property file (a root file may describe a package's node).
  node.patch_path = `${patch.packageName ?? node.package_name}://${patch.location.file}`;
  if (patch.docs) node.docs = { show: patch.docs.show !== false, node_color: typeof patch.docs.node_color === 'string' ? patch.docs.node_color : null };
  for (const column of patch.columns ?? []) {
    node.columns[column.name] = {
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

export function namingMacros(session: ParsePhase): NamingMacros {
  const root = session.services.projectName;
  return {
    overridden(name) {
      return session.scope.visibleMacros(root).get(name) !== 'dbt' || session.scope.dispatchPrefixes.some((prefix) => session.library.has(root, `${prefix}__${name}`));
    },
    call(name, args, node) {
      return callParseMacro(session, node, name, args);
    },
  };
}

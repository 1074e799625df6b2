// RawProject -> Manifest: parses every package's resources (parse-package.ts), names relations
// (name-nodes.ts), links refs/sources into depends_on (link-refs.ts), runs the checks dbt makes
// once everything is linked, and builds the DAG. All user errors are collected and thrown together.
import type { ProjectConfig } from '../config/types.js';
import type { ProjectFile, SchemaFile } from '../project/types.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { ParsePhase } from '../compile/parse-phase.js';
import { Dag, buildParentChildMaps, type DagPlaces } from './dag.js';
import { addDeferredGenericTests, warnTopLevelArguments, type DeferredEntryTests } from './property-data-tests.js';
import { groupThousands } from '../time/slow-step.js';
import { inferPrimaryKeys } from './primary-key.js';
import { comparesUnrenderedValues } from './parse-sql-nodes.js';
import { RefIndex } from './ref-index.js';
import { packageNodeOnRootWarnings } from './package-root-refs.js';
import { linkMacroDependencies } from './macro-dependencies.js';
import { shareEqualConfigs } from './shared-configs.js';
import { addDeclaredResources } from './declared-resources.js';
import { checkSemanticLayer } from './semantic-checks.js';
import { semanticFlagChecks } from './semantic-flag-checks.js';
import { checkNodeMetrics } from './metric-links.js';
import { Unparsed } from './unparsed.js';
import { ambiguousEnableError, patchTargetWarnings } from './patch-targets.js';
import { disabledFqns, unusedConfigPathWarning } from './unused-config-paths.js';
import { renderDescriptions } from './doc-descriptions.js';
import { checkAccessAndGroups, inheritAttachedGroups } from './model-access.js';
import { applyMacroArgumentValidation } from './macro-arguments.js';
import { applyMacroPatches } from './macro-patches.js';
import { finalizeNodeConfig, nodeConfigError } from './node-config-checks.js';
import { checkContracts } from './contract-checks.js';
import { pythonContractErrors } from './python-model-contracts.js';
import { checkMicrobatchModels, microbatchWarnings } from './microbatch-checks.js';
import { checkResourceNameUniqueness } from './resource-name-uniqueness.js';
import { resourceNamesWithSpacesError, spacedNamesOnlyWarn } from './resource-names-with-spaces.js';
import { packageScope } from '../packages/package-scope.js';
import { metadataFreshnessWarnings } from './source-freshness-warnings.js';
import { linkForeignKeys } from './foreign-keys.js';
import { addDbtDocs } from './dbt-docs.js';
import { SourcePatches } from './source-overrides.js';
import { configVersionError } from './config-version.js';
import type { Manifest, ManifestNode } from '../manifest/types.js';
import { recordKeys, recordValues, withKeysKept } from '../manifest/record-values.js';
import { parsePackage, type Disabled, type PackageParseInput, type PackageUnit, type SharedParseState } from './parse-package.js';
import { checkUnitTests, linkRefsAndSources } from './link-refs.js';
import { nameNode, namingMacros } from './name-nodes.js';

export type { PackageUnit };

export interface BuildManifestInput extends PackageParseInput {
  files: ProjectFile[];
  /** The root project's Python models (project-relative paths), which tsdbt skips. */
  pythonModels?: readonly string[];
  /** Installed packages (dbt_packages/), parsed after the root project. */
  packages?: PackageUnit[];
}

export interface ParsedManifest {
  manifest: Manifest;
  dag: Dag;
  refs: RefIndex;
  /** Disabled nodes (kept so a ref to one says it is disabled). */
  disabled: ManifestNode[];
}

/** Rebuilds the ref index and DAG of a manifest restored from the parse cache (the DAG read from it, `dag`, when the parse is reused as it is). */
export function relinkManifest(manifest: Manifest, disabled: ManifestNode[], dag?: DagPlaces): ParsedManifest {
  const refs = new RefIndex(manifest.projectName, recordValues(manifest.nodes), disabled, recordValues(manifest.sources)).restrict(manifest.restrictedPackages).searchNodePackageFirst(manifest.refSearchesNodePackageFirst);
  return { manifest, dag: dag ? Dag.fromPlaces(dag) : Dag.fromManifest(manifest), refs, disabled };
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
  // dbt reads the behaviour flag from the root project's `flags:` (true by default since dbt 1.11).
  warnTopLevelArguments(legacyTests, manifest, project.flags?.require_generic_test_arguments_property);
  // Entries describing no node, once every package is parsed (a root file may describe a package's node).
  manifest.warnings.push(...patchTargetWarnings(propertyFiles, manifest, disabled));
  for (const err of pythonContractErrors(input.pythonModels ?? [], propertyFiles, project.name)) session.fail(err);
  const ambiguous = ambiguousEnableError(propertyFiles, manifest, disabled);
  if (ambiguous) session.fail(ambiguous);
  applyMacroPatches(manifest, propertyFiles, (err) => session.fail(err));
  applyMacroArgumentValidation(manifest, project.flags?.validate_macro_args === true);

  // From here on no node is added, and only a test whose target is missing or disabled is removed
  // (deleteRecordKey), and no node object is replaced (they change in place): the twenty walks of
  // manifest.nodes below list its 30,000 keys and values once (record-values.ts).
  return withKeysKept(manifest.nodes, () => {
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
    linkRefsAndSources(manifest, refs, disabled, session);
    manifest.warnings.push(...packageNodeOnRootWarnings(manifest, refs));
    session.throwIfErrors();
    checkUnitTests(manifest, refs, session, project.seedPaths);
    session.throwIfErrors();
    inferPrimaryKeys(manifest, disabled);
    const scopes = new Map([project, ...(input.packages ?? []).map((p) => packageScope(project, p.config))].map((c) => [c.name, c]));
    // Each package's own dbt_project.yml, which dbt's parsers read as `self.project` (an exposure's tags and meta).
    const own = new Map([project, ...(input.packages ?? []).map((p) => p.config)].map((c) => [c.name, c]));
    const trees = (configs: Map<string, ProjectConfig>) => (pkg: string, kind: string) => configs.get(pkg)?.declaredTrees?.[kind as keyof NonNullable<ProjectConfig['declaredTrees']>];
    addDeclaredResources(manifest, propertyFiles, refs, trees(scopes), (err) => session.fail(err), input.target, trees(own));
    checkSemanticLayer(manifest, (err) => session.fail(err));
    manifest.warnings.push(...semanticFlagChecks(manifest, project.flags ?? {}, (err) => session.fail(err)));
    checkNodeMetrics(manifest, (err) => session.fail(err));
    // After the declared resources and the metric() calls: dbt's maps hold exposures, metrics, semantic models and saved queries too.
    buildParentChildMaps(manifest);
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
    // With the flag off, the warnings are the loader's (they depend on --debug).
    const spaces = spacedNamesOnlyWarn(project.flags) ? null : resourceNamesWithSpacesError(manifest);
    if (spaces) session.fail(spaces);
    checkContracts(manifest, (err) => session.fail(err));
    manifest.warnings.push(...metadataFreshnessWarnings(manifest));
    const unused = unusedConfigPathWarning(project, manifest, disabledFqns(disabled, off.sourceFqns));
    if (unused) manifest.warnings.push(unused);
    manifest.warnings.push(...session.warnings.splice(0)); // the nodes' own (config-call-keys.ts)
    linkMacroDependencies(manifest, session.scope);
    renderDescriptions(manifest, session, project.name);
    session.throwIfErrors();
    shareEqualConfigs([...recordValues(manifest.nodes), ...disabled]);
    const dag = Dag.fromManifest(manifest);
    return { manifest, dag, refs, disabled };
  }, { values: true });
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


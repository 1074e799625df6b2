// The data tests of property files as they join the manifest: each generic test written under a
// model, seed, snapshot or source table (and its columns) is parsed against its target; a test whose
// target is disabled or missing is disabled as dbt's invalid_target_fail_unless_test does; and
// dbt 1.10's warnings about arguments outside `arguments:` are given per test.
import type { ProjectConfig } from '../config/types.js';
import type { TsdbtError } from '../errors/tsdbt-error.js';
import type { ColumnEntry, ResourceEntry, SchemaFile, TestDef } from '../project/types.js';
import { parseGenericTest, type GenericTestInput } from './parse-generic-tests.js';
import type { ParsePhase } from '../compile/parse-phase.js';
import type { SourceInput } from './parse-sources.js';
import type { Manifest, ManifestNode, SourceTable } from '../manifest/types.js';
import { includedColumns, type VersionPatch } from './versioned-models.js';
import { deleteRecordKey, recordValues } from '../manifest/record-values.js';
import { pyRepr } from '../jinja/engine/py-repr.js';
import { nodePatch } from '../manifest/node-patch.js';

/** A model, seed or snapshot entry of a property file, as far as its tests go. */
interface TestedEntry {
  name: string;
  versions?: unknown[];
  columns?: (TestedColumn & { tests?: GenericTestInput[] })[];
  tests?: GenericTestInput[];
  quote_columns?: boolean;
  location: { file: string; line?: number };
}

/** The kinds `ref()` reaches, in the order an entry under the wrong key is matched. */
const REFERABLE_KINDS = ['model', 'seed', 'snapshot'] as const;

/** Why a ref or source did not resolve to an enabled node. */
const UNRESOLVED_TARGET = new Set(['ref-disabled', 'ref-not-found', 'source-disabled', 'source-not-found']);

/** dbt disables a data test whose target is disabled or missing, and a unit test of a disabled model. */
export function disablesInstead(node: ManifestNode, err: TsdbtError): boolean {
  if (node.resource_type === 'test') return UNRESOLVED_TARGET.has(err.code);
  return node.resource_type === 'unit_test' && err.code === 'ref-disabled';
}

/** dbt's invalid_target_fail_unless_test: the test leaves the graph; only a missing target warns. */
export function disableTest(node: ManifestNode, reasons: TsdbtError[], manifest: Manifest, disabled: ManifestNode[]): void {
  deleteRecordKey(manifest.nodes, node.unique_id);
  node.config.enabled = false;
  disabled.push(node);
  const reason = reasons.find((r) => r.code !== 'ref-disabled');
  if (!reason) return;
  const message = reason.code === 'source-disabled' ? `${reason.message}: the test is disabled too` : `test '${node.name}' is disabled: ${reason.message}`;
  manifest.warnings.push({ message, event: 'NodeNotFoundOrDisabled', location: reason.location ?? { file: node.original_file_path, line: node.line } });
}

/** A generic test as written in a property file, with the resource it is written under. */
export interface WrittenTest {
  test: TestDef;
  /** The model, seed, snapshot or source table's name. */
  resource: string;
  /** The package of the property file (set once its package is known). */
  packageName?: string;
}

/**
 * dbt 1.10's TestBuilder.extract_test_args, per generic test: with the behaviour flag
 * `require_generic_test_arguments_property` on (the default), arguments not under `arguments:` are
 * MissingArgumentsPropertyInGenericTestDeprecation, and a config key written beside the test's name
 * (`- not_null: {severity: warn}`), which still configures the test, is
 * PropertyMovedToConfigDeprecation, one per key. With the flag off, an `arguments:` property is
 * ArgumentsPropertyInGenericTestDeprecation. Each is a deprecation: the first of each kind is
 * shown, every one with --show-all-deprecations.
 */
export function warnTopLevelArguments(tests: WrittenTest[], manifest: Manifest, argumentsFlag: unknown): void {
  for (const { test, resource, packageName } of tests) {
    const location = test.location;
    if (argumentsFlag === false) {
      if (!('argumentsProperty' in test)) continue;
      manifest.warnings.push({
        message: `Found \`arguments\` property in test definition of \`${test.testName}\` (${pyRepr(test.argumentsProperty)}) without usage of \`require_generic_test_arguments_property\` behavior change flag. The \`arguments\` property is deprecated for custom usage and will be used to nest keyword arguments in future versions of dbt.`,
        event: 'ArgumentsPropertyInGenericTestDeprecation',
        location,
      });
      continue;
    }
    for (const key of test.movedConfigKeys ?? []) {
      const where = `data_tests.${test.testName}.${key}`;
      manifest.warnings.push({
        message: `Found \`${key}\` as a top-level property of \`${where}\` in file \`${location.file}\`. The \`${key}\` top-level property should be moved into the \`config\` of \`${where}\`.`,
        event: 'PropertyMovedToConfigDeprecation',
        location,
      });
    }
    if (!test.topLevelArguments) continue;
    manifest.warnings.push({
      message: `Found top-level arguments to test \`${test.testName}\` defined on '${resource}' in package '${packageName ?? manifest.projectName}' (${location.file}). Arguments to generic tests should be nested under the \`arguments\` property.`,
      event: 'MissingArgumentsPropertyInGenericTestDeprecation',
      location,
    });
  }
}

/** Every generic test of the property files, in file order, with the resource it is written under. */
export function testDefs(schemaFile: SchemaFile): WrittenTest[] {
  const under = (resource: string, tests: TestDef[]) => tests.map((test) => ({ test, resource }));
  const written = (r: ResourceEntry, tests: TestDef[], columns: ColumnEntry[]) => [...under(r.name, tests), ...columns.flatMap((c) => under(r.name, c.tests))];
  const resources = [...schemaFile.models, ...schemaFile.seeds, ...schemaFile.snapshots];
  return [
    // dbt builds a versioned model's tests per version: its own, or the model's, and its columns'.
    ...resources.flatMap((r) =>
      r.versions && r.versions.length > 0
        ? r.versions.flatMap((v) => written(r, v.tests ?? r.tests, [...includedColumns(r, v), ...v.columns]))
        : written(r, r.tests, r.columns),
    ),
    ...schemaFile.sources.flatMap((s) => s.tables.flatMap((t) => [...under(t.name, t.tests), ...t.columns.flatMap((c) => under(t.name, c.tests))])),
  ];
}

/** An entry whose node was not parsed yet when its file's package was: tried again once every package is. */
export interface DeferredEntryTests {
  kind: string;
  entry: TestedEntry;
  session: ParsePhase;
  project: ProjectConfig;
  add: (node: ManifestNode | null) => void;
}

export function addGenericTests(
  schemaFile: SchemaFile,
  testable: Map<string, ManifestNode>,
  manifest: Manifest,
  session: ParsePhase,
  project: ProjectConfig,
  add: (node: ManifestNode | null) => void,
  deferred: DeferredEntryTests[] = [],
): void {
  const groups: [string, TestedEntry[]][] = [
    ['model', schemaFile.models],
    ['seed', schemaFile.seeds],
    ['snapshot', schemaFile.snapshots],
  ];
  for (const [kind, entries] of groups) {
    for (const entry of entries ?? []) {
      if (kind === 'model' && (entry.versions?.length ?? 0) > 0) {
        for (const version of versionNodes(manifest, project.name, entry.name)) addEntryTests(versionTests(version), version, session, project, add, `models.${entry.name}`);
        continue;
      }
      // dbt builds an entry's tests on `ref(name)`, so an entry under the wrong key (a seed under
      // `models:`, warned about as WrongResourceSchemaFile) still tests the node that name refers to.
      const node = entryNode(testable, kind, entry.name);
      // dbt's patch lookup falls back to any package (a root file describing a package's model, as
      // dbt-kustomer's integration tests do); that node may be parsed later: tried again then.
      if (!node) deferred.push({ kind, entry, session, project, add });
      else addEntryTests(entry, node, session, project, add, `${kind}s.${entry.name}`);
    }
  }
  type TestedTable = SourceInput['tables'][number] & { tests?: GenericTestInput[]; columns?: (TestedColumn & { tests?: GenericTestInput[] })[] };
  for (const source of schemaFile.sources as unknown as (SourceInput & { tables: TestedTable[] })[]) {
    for (const table of source.tables) {
      const id = `source.${project.name}.${source.name}.${table.name}`;
      const src: SourceTable | undefined = manifest.sources[id];
      if (!src) continue;
      // dbt: a source test carries the source's and the table's tags, and its column's.
      const tags = [...(source.tags ?? []), ...(table.tags ?? [])];
      const target = (column: TestedColumn | null) => ({
        kind: 'source' as const, sourceName: source.name, tableName: table.name, uniqueId: id, packageName: project.name, fileKey: `sources.${source.name}`,
        columnName: column ? testedColumn(column, session, table.quoting?.column ?? source.quoting?.column) : null, tags: [...tags, ...columnTags(column)],
      });
      for (const test of table.tests ?? []) add(parseGenericTest(session, project, test, target(null)));
      for (const column of table.columns ?? []) for (const test of column.tests ?? []) add(parseGenericTest(session, project, test, target(column)));
    }
  }
}

/** The node an entry under `kind` describes: that kind's, else any `ref()` reaches by that name. */
function entryNode(testable: Map<string, ManifestNode>, kind: string, name: string): ManifestNode | undefined {
  return testable.get(`${kind}:${name}`) ?? REFERABLE_KINDS.map((k) => testable.get(`${k}:${name}`)).find((n) => n !== undefined);
}

/**
 * The tests of entries whose node no package parsed before theirs, once every package is parsed.
 * An entry naming no node at all is warned about by patchTargetWarnings; its tests have no target.
 */
export function addDeferredGenericTests(deferred: DeferredEntryTests[], manifest: Manifest): void {
  if (deferred.length === 0) return;
  const testable = new Map<string, ManifestNode>();
  for (const node of recordValues(manifest.nodes)) if (node.resource_type !== 'test') testable.set(`${node.resource_type}:${node.name}`, node);
  for (const { kind, entry, session, project, add } of deferred) {
    const node = entryNode(testable, kind, entry.name);
    if (node) addEntryTests(entry, node, session, project, add, `${kind}s.${entry.name}`);
  }
}

/**
 * The tests of one entry (or of one version's entry) on its columns, then on its node, in the
 * order dbt's SchemaGenericTestParser parses them (parse_tests, parse_versioned_tests), which is
 * their order in manifest.json and group_map; `fileKey` is dbt's file_key_name (`models.orders`).
 */
function addEntryTests(entry: Pick<TestedEntry, 'tests' | 'columns' | 'quote_columns'>, node: ManifestNode, session: ParsePhase, project: ProjectConfig, add: (node: ManifestNode | null) => void, fileKey: string): void {
  for (const column of entry.columns ?? []) {
    const target = { kind: 'node' as const, node, columnName: testedColumn(column, session, entry.quote_columns), tags: columnTags(column), fileKey };
    for (const test of column.tests ?? []) add(parseGenericTest(session, project, test, target));
  }
  for (const test of entry.tests ?? []) add(parseGenericTest(session, project, test, { kind: 'node', node, columnName: null, tags: [], fileKey }));
}

/** The enabled versions of a versioned model of this package, in version order of their files. */
function versionNodes(manifest: Manifest, packageName: string, name: string): ManifestNode[] {
  return recordValues(manifest.nodes).filter((n) => n.resource_type === 'model' && n.package_name === packageName && n.name === name && n.version !== null && n.version !== undefined);
}

/**
 * dbt's parse_versioned_tests: the version's tests (else the model's), and the tests of the columns
 * it has. The entry is the node's `_patch`, read through nodePatch: a node from partial_parse.bin
 * holds a DeferredPatch there until asked (node-patch.ts).
 */
export function versionTests(node: ManifestNode): Pick<TestedEntry, 'tests' | 'columns'> {
  const patch = nodePatch<VersionPatch>(node);
  return { tests: patch?.tests, columns: patch?.testedColumns };
}

type TestedColumn = { name: string; tags?: string[]; quote?: boolean | null; config?: { tags?: string[] } };

/** The tags a column gives its tests: its own and its `config:`'s (dbt's `column.tags + column.config['tags']`). */
function columnTags(column: TestedColumn | null): string[] {
  return column ? [...new Set([...(column.tags ?? []), ...(column.config?.tags ?? [])])] : [];
}

/**
 * The column_name a column's tests get: quoted for the warehouse when the column says `quote: true`,
 * or says nothing and its entry quotes columns (a model's `quote_columns`, a source's or table's
 * `quoting.column`): dbt's `column.quote or (column.quote is None and target.quote_columns)`.
 */
function testedColumn(column: TestedColumn, session: ParsePhase, quoteColumns: unknown): string {
  const quote = column.quote === true || ((column.quote === null || column.quote === undefined) && quoteColumns === true);
  return quote ? session.services.quoteIdentifier(column.name) : column.name;
}

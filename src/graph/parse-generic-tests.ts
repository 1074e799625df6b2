// Generic tests declared in property files (`tests:` / `data_tests:` on models, columns, seeds,
// sources) become test nodes named and identified the way dbt names them (schema_generic_tests.py):
// the synthesized full name (`not_null_stg_events_event_id`, so `--select` works as in dbt), a
// hashed alias when that name has 64 characters or more, and a unique_id ending in dbt's md5 of
// the test's name and metadata, so tests whose names collide still have their own ids.
import { hash as digest } from 'node:crypto';
import path from 'node:path';
import type { ProjectConfig } from '../config/types.js';
import { resolveHierarchyConfig } from '../config/index.js';
import { hierarchyDepth } from '../config/config-hierarchy.js';
import { defaultConfig, nodeSkeleton } from './node-factory.js';
import { configTreeFor, finalizeConfig, unrenderedConfig } from './parse-sql-nodes.js';
import type { ParsePhase } from '../compile/parse-phase.js';
import type { ManifestNode, RefCall } from '../manifest/types.js';
import { pyRepr, pyStr, strRepr } from '../jinja/engine/index.js';
import { collectTestMacroConfig, hasTemplate, renderTestArguments, type ModelCall } from '../compile/test-arguments.js';
import { macroNeedsParseRender, STATIC_TEST_MACROS, testMacroId } from './macro-dependencies.js';
import { builderTags, constructConfig, genericTestTags, renderGenericTestConfig } from './generic-test-config.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { isPlainObject } from '../config/yaml-file.js';

export interface GenericTestInput {
  /** `unique`, `accepted_values`, `dbt_utils.expression_is_true`... */
  testName: string;
  args: Record<string, unknown>;
  config: Record<string, unknown>;
  customName?: string | null;
  description?: string;
  location: { file: string; line?: number };
}

/**
 * What a test is attached to; `tags` are inherited from its column (and source and table);
 * `fileKey`, the property file's section and entry name (dbt's file_key_name, `models.orders`).
 */
export type TestTarget =
  | { kind: 'node'; node: ManifestNode; columnName: string | null; tags?: string[]; fileKey?: string }
  | { kind: 'source'; sourceName: string; tableName: string; uniqueId: string; packageName: string; columnName: string | null; tags?: string[]; fileKey?: string };

/**
 * dbt's `synthesize_generic_test_names`: `not_null_stg_events_event_id`. `fullName` is the test's
 * name (and the last part of its unique_id); `name` is the shorter alias used for its relation
 * and compiled file when the full name has 64 characters or more: the first 30 characters of
 * `<test>_<target>` and the md5 of the full name.
 */
export function genericTestName(testName: string, namespace: string | null, targetName: string, args: Record<string, unknown>): { name: string; fullName: string } {
  const flat: string[] = [];
  for (const key of sortedKeys(args)) {
    if (key === 'model') continue;
    const value = args[key];
    const parts = Array.isArray(value) ? value : isMapping(value) ? Object.values(value) : [value];
    flat.push(...parts.map((p) => pyStr(p)));
  }
  const unique = flat.map((a) => a.replace(/[^0-9a-zA-Z_]+/g, '_')).join('__');
  // dbt's test_identifier is the test and its target (`accepted_values_orders`); a long name keeps
  // its first 30 characters: `accepted_values_orders_<md5>`, the alias its failures are stored under.
  const identifier = `${namespace ? `${namespace}_${testName}` : testName}_${targetName}`;
  const fullName = `${identifier}_${unique}`;
  if (fullName.length >= 64) {
    const label = digest('md5', fullName);
    return { name: `${identifier.slice(0, 30)}_${label}`, fullName };
  }
  return { name: fullName, fullName };
}

/**
 * `Object.keys(record).sort()`, without the sort when the keys come in order already (a test's
 * `column_name` then `model`: 20,000 sorts of two keys were 16 MB of a 10,000-model parse's
 * allocations). `<` orders strings as sort() does, by UTF-16 code units.
 */
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record);
  for (let i = 1; i < keys.length; i++) if ((keys[i - 1] as string) > (keys[i] as string)) return keys.sort();
  return keys;
}

/** A YAML mapping (not a datetime.date PyYAML read from `2024-01-31`, which is str() as a value). */
function isMapping(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value);
}

/**
 * The 10-hex suffix of a generic test's unique_id, as dbt's create_test_node computes it: md5 of
 * the test's name followed by the Python repr of its test_metadata with every mapping's keys
 * sorted and every scalar turned into str() (so tests whose arguments differ only in punctuation,
 * and share a name, still get different ids). The last 10 hex digits.
 */
export function genericTestHash(name: string, metadata: { namespace: string | null; name: string; kwargs: Record<string, unknown> }): string {
  const plain = plainMetadataRepr(metadata);
  if (plain !== null) return digest('md5', `${name}${plain}`).slice(-10);
  const hashable = (data: unknown): unknown => {
    if (Array.isArray(data)) return data.map(hashable);
    if (isMapping(data)) return Object.fromEntries(Object.keys(data).sort().map((k) => [k, hashable(data[k])]));
    return data === null || data === undefined ? 'None' : pyStr(data);
  };
  return digest('md5', `${name}${pyRepr(hashable(metadata))}`).slice(-10);
}

/**
 * genericTestHash's repr written directly (no sorted copies) for the usual metadata: every
 * argument a string under a key that is neither an integer (JavaScript would order it first) nor
 * `__keywords` (which pyRepr leaves out). Null for any other metadata, which takes the general path.
 */
function plainMetadataRepr(metadata: { namespace: string | null; name: string; kwargs: Record<string, unknown> }): string | null {
  const keys = sortedKeys(metadata.kwargs);
  let kwargs = '';
  for (const key of keys) {
    const value = metadata.kwargs[key];
    if (typeof value !== 'string' || /^[0-9]+$/.test(key) || key === '__keywords') return null;
    kwargs += `${kwargs ? ', ' : ''}${strRepr(key)}: ${strRepr(value)}`;
  }
  return `{'kwargs': {${kwargs}}, 'name': ${strRepr(metadata.name)}, 'namespace': ${strRepr(metadata.namespace ?? 'None')}}`;
}

/**
 * dbt's TEST_NAME_PATTERN, matched at the start of the name as Python's re.match does: the rest is
 * ignored, so `'dbt_expectations.expect_table_row_count_to_be_between:'` (a stray colon inside the
 * quotes, as Artemis writes it) is that test.
 */
const TEST_NAME_PATTERN = /^(?:([a-zA-Z_][0-9a-zA-Z_]*)\.)?([a-zA-Z_][0-9a-zA-Z_]*)/;

/** A test name's namespace (null without one) and name, as dbt's TestBuilder reads them. */
export function splitTestName(testName: string, location: { file: string; line?: number }): [string | null, string] {
  const match = TEST_NAME_PATTERN.exec(testName);
  if (!match) {
    throw new TsdbtError(`test name '${testName}' does not match the expected pattern [namespace.]name`, {
      code: 'schema-invalid',
      location,
      hint: 'name a generic test with letters, digits and underscores, optionally after its package: dbt_utils.expression_is_true',
    });
  }
  return [match[1] ?? null, match[2] as string];
}

export function parseGenericTest(session: ParsePhase, project: ProjectConfig, test: GenericTestInput, target: TestTarget): ManifestNode | null {
  const [namespace, bare] = splitTestName(test.testName, test.location);
  const columnName = target.columnName;
  // Object.assign, not a spread: a spread copy that gains a key is slow in Node 20 (config-hierarchy.ts).
  const args: Record<string, unknown> = Object.assign({}, test.args);
  if (columnName !== null) args.column_name = columnName;
  // dbt: a version's tests are named after `<model>_v<v>` and ref that version.
  const version = target.kind === 'node' ? target.node.version ?? null : null;
  const targetName = target.kind === 'node' ? (version !== null ? `${target.node.name}_v${String(version)}` : target.node.name) : `${target.sourceName}_${target.tableName}`;
  const identifier = target.kind === 'source' ? `source_${bare}` : bare;
  const synthesized = genericTestName(identifier, namespace, targetName, args);
  // dbt: the full name is the test's name; a hashed short name becomes its alias.
  const name = test.customName ?? synthesized.fullName;
  // dbt: a test belongs to the package of the property file declaring it, whichever package its target is in.
  const packageName = target.kind === 'node' ? project.name : target.packageName;
  const ymlDir = path.posix.dirname(test.location.file);
  const modelRef = target.kind === 'node' ? (version !== null ? `ref('${target.node.name}', version='${String(version)}')` : `ref('${target.node.name}')`) : `source('${target.sourceName}', '${target.tableName}')`;
  const kwargs: Record<string, unknown> = Object.assign({}, args);
  kwargs.model = `{{ get_where_subquery(${modelRef}) }}`;
  const metadata = { name: bare, namespace, kwargs };
  const rawCode = `{{ ${namespace ? `${namespace}.` : ''}test_${bare}(**_dbt_generic_test_kwargs) }}`;
  const memo = testMemo(session, project);
  const node = nodeSkeleton({
    resourceType: 'test',
    packageName,
    name,
    originalFilePath: test.location.file,
    pathInResourceDir: path.posix.join(ymlDir.split('/').slice(1).join('/'), `${test.customName ?? synthesized.name}.sql`),
    rawCode,
    config: defaultConfig('test'),
    line: test.location.line,
    uniqueIdSuffix: genericTestHash(name, metadata),
    checksum: '',
  });
  // dbt's create_test_node: a generic test has no file of its own, so FileHash.empty().
  node.checksum = NO_CHECKSUM;
  // Lists made to their size (concat; an array literal: a spread in a literal, or a push onto an
  // empty list, leaves room for 17-19): 20,000 tests of a 10,000-model project keep them all parse long.
  node.fqn = [packageName].concat(ymlDir.split('/').slice(1).filter(Boolean), [name]);
  node.test_metadata = metadata;
  let propertyConfig: Record<string, unknown>;
  try {
    const attachedTo = target.kind === 'node' ? target.node.name : `${target.sourceName}_${target.tableName}`;
    propertyConfig = renderGenericTestConfig(session, test.config, { test: bare, target: attachedTo, columnName, packageName: project.name, location: test.location });
  } catch (err) {
    session.fail(err, test.location.file);
    return null;
  }
  if (!test.customName && synthesized.name !== synthesized.fullName && propertyConfig.alias === undefined) propertyConfig.alias = synthesized.name;
  // dbt's build_raw_code: the macro call, then the test's config as a config() call.
  const configCall = constructConfig(propertyConfig);
  if (configCall) node.raw_code = rawCode + configCall;
  const base = projectConfigs(memo, project, node.fqn);
  const projectLayer = base.projectLayer;
  if (isEmpty(propertyConfig)) {
    // The usual test (no config of its own): the config its folder gives every such test, copied.
    node.config = { ...base.config };
    node.unrendered_config = { ...base.unrendered };
  } else {
    node.config = finalizeConfig([defaultConfig('test'), projectLayer, propertyConfig]);
    node.unrendered_config = unrenderedConfig(project, 'test', node.fqn, [propertyConfig]);
  }
  node.meta = node.config.meta;
  node.description = test.description ?? '';
  node.column_name = columnName;
  node.file_key_name = target.fileKey ?? null;
  node.attached_node = target.kind === 'node' ? target.node.unique_id : target.uniqueId;
  if (target.kind === 'node') node.refs = [{ name: target.node.name, package: null, version } satisfies RefCall];
  else node.sources = [[target.sourceName, target.tableName]];

  // dbt renders the arguments while parsing too: their ref()/source() calls become dependencies,
  // and the test macro's parse render (below) sees their values. A disabled test never runs: its
  // arguments (say, a macro of an adapter it is disabled on) are not rendered.
  const state = { refs: [] as RefCall[], sources: [] as [string, string][], configCalls: [] };
  let rendered: Record<string, unknown>;
  try {
    rendered = node.config.enabled && hasTemplate(args) ? renderTestArguments(session, node, args, state) : args;
  } catch (err) {
    session.fail(err, test.location.file);
    return null;
  }
  if (state.refs.length > 0) node.refs = node.refs.concat(state.refs);
  if (state.sources.length > 0) node.sources = node.sources.concat(state.sources);
  const modelCall: ModelCall = target.kind === 'node' ? { fn: 'ref', args: [target.node.name], kwargs: version !== null ? { version: String(version) } : {} } : { fn: 'source', args: [target.sourceName, target.tableName], kwargs: {} };
  const macroId = testMacroId(metadata, packageName, session.scope);
  const renderedAtParse = macroId === undefined || !STATIC_TEST_MACROS.has(macroId);
  if (renderedAtParse) applyMacroConfig(session, node, modelCall, rendered, [defaultConfig('test'), projectLayer], propertyConfig);
  const own = builderTags(propertyConfig);
  // dbt renders a non-static test's raw_code at parse, so its config() call adds the test's tags a
  // second time to those the builder's config added (dbt-core's list tests: `tags: [t, t]`).
  if (renderedAtParse && configCall && own.length > 0) node.config = { ...node.config, tags: [...node.config.tags, ...own] };
  node.tags = genericTestTags(target.tags ?? [], own, node.config.tags);
  return node;
}

/** A generic test's checksum in dbt's manifest: FileHash.empty(). */
const NO_CHECKSUM: ManifestNode['checksum'] = { name: 'none', checksum: '' };

/** What the tests of one project share within a parse: the configs of their folders. */
interface TestMemo {
  /** By the fqn parts the project's test config trees read (hierarchyDepth). */
  configs: Map<string, { projectLayer: Record<string, unknown>; config: ManifestNode['config']; unrendered: Record<string, unknown> }>;
}
const testMemos = new WeakMap<ParsePhase, WeakMap<ProjectConfig, TestMemo>>();

function testMemo(session: ParsePhase, project: ProjectConfig): TestMemo {
  let byProject = testMemos.get(session);
  if (!byProject) testMemos.set(session, (byProject = new WeakMap()));
  let memo = byProject.get(project);
  if (!memo) byProject.set(project, (memo = { configs: new Map() }));
  return memo;
}

/**
 * The project's config for a test at `fqn` (its dbt_project.yml layer, and the config and
 * unrendered config of a test with no config of its own), made once for all the tests whose fqns
 * agree on the parts the project's trees read.
 */
function projectConfigs(memo: TestMemo, project: ProjectConfig, fqn: string[]): NonNullable<ReturnType<TestMemo['configs']['get']>> {
  const tree = configTreeFor(project, 'test');
  const depth = Math.max(hierarchyDepth(tree, fqn), hierarchyDepth(project.unrenderedTrees?.tests, fqn));
  const key = fqn.slice(0, depth).join('\0');
  let base = memo.configs.get(key);
  if (!base) {
    const projectLayer = resolveHierarchyConfig(tree, fqn, 'test');
    base = { projectLayer, config: finalizeConfig([defaultConfig('test'), projectLayer, {}]), unrendered: unrenderedConfig(project, 'test', fqn, [{}]) };
    memo.configs.set(key, base);
  }
  return base;
}

function isEmpty(value: Record<string, unknown>): boolean {
  for (const _ in value) return false;
  return true;
}

/** Per parse session: whether each macro needs a parse render (macro-dependencies.ts). */
const parseRenderMemos = new WeakMap<ParsePhase, Map<string, boolean>>();

/**
 * dbt renders a generic test's macro while parsing, so `{{ config(fail_calc=...) }}` inside the
 * test definition configures every test that uses it (property-file config still wins), and the
 * `ref()` / `source()` calls of its body become the test's dependencies (dbt-core's
 * render_test_update: the parse resolvers append to the node's refs and sources). The parse render
 * (compile/test-arguments.ts: collectTestMacroConfig) has no warehouse; a macro that fails there is
 * judged when it runs.
 */
function applyMacroConfig(session: ParsePhase, node: ManifestNode, model: ModelCall, args: Record<string, unknown>, below: Record<string, unknown>[], above: Record<string, unknown> | undefined): void {
  const meta = node.test_metadata as NonNullable<ManifestNode['test_metadata']>;
  const configCalls: Record<string, unknown>[] = [];
  const macro = `${meta.namespace ? `${meta.namespace}.` : ''}test_${meta.name}`;
  const namespace = meta.namespace ?? session.scope.visibleMacros(node.package_name).get(`test_${meta.name}`);
  let memo = parseRenderMemos.get(session);
  if (!memo) parseRenderMemos.set(session, (memo = new Map<string, boolean>()));
  // A test macro that cannot configure, print nor ref (nor any macro it reaches) needs no render.
  if (namespace && !macroNeedsParseRender(`macro.${namespace}.test_${meta.name}`, session, session.scope, memo)) return;
  const relations = { refs: [] as RefCall[], sources: [] as [string, string][] };
  collectTestMacroConfig(session, node, macro, model, args, configCalls, relations);
  if (relations.refs.length > 0) node.refs = node.refs.concat(relations.refs);
  if (relations.sources.length > 0) node.sources = node.sources.concat(relations.sources);
  if (configCalls.length === 0) return;
  node.config = finalizeConfig([...below, ...configCalls, ...(above ? [above] : [])]);
  node.meta = node.config.meta;
}

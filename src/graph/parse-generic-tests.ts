// Generic tests declared in property files (`tests:` / `data_tests:` on models, columns, seeds,
// sources) become test nodes named and identified the way dbt names them, so `--select
// not_null_stg_events_event_id` works as in dbt.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { ProjectConfig } from '../config/types.js';
import { resolveHierarchyConfig } from '../config/index.js';
import { defaultConfig, nodeSkeleton } from './node-factory.js';
import { configTreeFor, finalizeConfig } from './parse-sql-nodes.js';
import type { ParseSession } from './parse-session.js';
import type { ManifestNode, RefCall } from './types.js';

export interface GenericTestInput {
  /** `unique`, `accepted_values`, `dbt_utils.expression_is_true`... */
  testName: string;
  args: Record<string, unknown>;
  config: Record<string, unknown>;
  customName?: string | null;
  location: { file: string; line?: number };
}

/** What a test is attached to. */
export type TestTarget =
  | { kind: 'node'; node: ManifestNode; columnName: string | null }
  | { kind: 'source'; sourceName: string; tableName: string; uniqueId: string; packageName: string; columnName: string | null };

/** dbt's `synthesize_generic_test_names`: `not_null_stg_events_event_id`, hashed when too long. */
export function genericTestName(testName: string, namespace: string | null, targetName: string, args: Record<string, unknown>): { name: string; fullName: string } {
  const flat: string[] = [];
  for (const key of Object.keys(args).sort()) {
    if (key === 'model') continue;
    const value = args[key];
    const parts = Array.isArray(value) ? value : value && typeof value === 'object' ? Object.values(value) : [value];
    flat.push(...parts.map((p) => pyStr(p)));
  }
  const unique = flat.map((a) => a.replace(/[^0-9a-zA-Z_]+/g, '_')).join('__');
  const identifier = namespace ? `${namespace}_${testName}` : testName;
  const fullName = `${identifier}_${targetName}_${unique}`;
  if (fullName.length >= 64) {
    const label = createHash('md5').update(fullName).digest('hex');
    return { name: `${identifier.slice(0, 30)}_${label}`, fullName };
  }
  return { name: fullName, fullName };
}

function pyStr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  return String(value);
}

/** Is this argument a Jinja call dbt renders (ref/source/var/env_var/doc)? */
export function isRenderedArgument(value: unknown): value is string {
  return typeof value === 'string' && /^\s*(\{\{)?\s*(ref|source|var|env_var|doc)\s*\(.*\)\s*(\}\})?\s*$/s.test(value);
}

export function parseGenericTest(session: ParseSession, project: ProjectConfig, test: GenericTestInput, target: TestTarget): ManifestNode | null {
  const [namespace, bare] = test.testName.includes('.') ? (test.testName.split('.', 2) as [string, string]) : [null, test.testName];
  const columnName = target.columnName;
  const args: Record<string, unknown> = { ...test.args };
  if (columnName !== null) args.column_name = columnName;
  const targetName = target.kind === 'node' ? target.node.name : `${target.sourceName}_${target.tableName}`;
  const identifier = target.kind === 'source' ? `source_${bare}` : bare;
  const synthesized = genericTestName(identifier, namespace, targetName, args);
  const name = test.customName ?? synthesized.name;
  const packageName = target.kind === 'node' ? target.node.package_name : target.packageName;
  const ymlDir = path.posix.dirname(test.location.file);
  const hash = createHash('md5').update(`${synthesized.fullName}${test.location.file}`).digest('hex').slice(0, 10);
  const modelRef = target.kind === 'node' ? `ref('${target.node.name}')` : `source('${target.sourceName}', '${target.tableName}')`;
  const node = nodeSkeleton({
    resourceType: 'test',
    packageName,
    name,
    originalFilePath: test.location.file,
    pathInResourceDir: path.posix.join(ymlDir.split('/').slice(1).join('/'), `${name}.sql`),
    rawCode: `{{ ${namespace ? `${namespace}.` : ''}test_${bare}(**_dbt_generic_test_kwargs) }}`,
    config: defaultConfig('test'),
    line: test.location.line,
    uniqueIdSuffix: hash,
  });
  node.fqn = [packageName, ...ymlDir.split('/').slice(1).filter(Boolean), name];
  const projectLayer = resolveHierarchyConfig(configTreeFor(project, 'test'), node.fqn, 'test');
  node.config = finalizeConfig([defaultConfig('test'), projectLayer, test.config]);
  node.tags = node.config.tags;
  node.meta = node.config.meta;
  node.column_name = columnName;
  node.attached_node = target.kind === 'node' ? target.node.unique_id : target.uniqueId;
  node.test_metadata = { name: bare, namespace, kwargs: { ...args, model: `{{ get_where_subquery(${modelRef}) }}` } };
  if (target.kind === 'node') node.refs.push({ name: target.node.name, package: null, version: null } satisfies RefCall);
  else node.sources.push([target.sourceName, target.tableName]);

  // Arguments that are ref()/source() calls add dependencies, as in dbt.
  try {
    for (const value of Object.values(test.args)) {
      if (!isRenderedArgument(value)) continue;
      const expr = value.replace(/^\s*\{\{|\}\}\s*$/g, '');
      const { state } = session.render(node, { phase: 'parse', refs: [], sources: [], configCalls: [] }, `{{ ${expr} }}`);
      node.refs.push(...state.refs);
      node.sources.push(...state.sources);
    }
  } catch (err) {
    session.fail(err, test.location.file);
    return null;
  }
  applyMacroConfig(session, node, modelRef, args, [defaultConfig('test'), projectLayer], test.config);
  return node;
}

/**
 * dbt renders a generic test's macro while parsing, so `{{ config(fail_calc=...) }}` inside the
 * test definition configures every test that uses it (property-file config still wins). The
 * parse render has no warehouse; a macro that fails there is judged when it runs.
 */
function applyMacroConfig(session: ParseSession, node: ManifestNode, modelRef: string, args: Record<string, unknown>, below: Record<string, unknown>[], above: Record<string, unknown> | undefined): void {
  const meta = node.test_metadata as NonNullable<ManifestNode['test_metadata']>;
  const configCalls: Record<string, unknown>[] = [];
  const macro = `${meta.namespace ? `${meta.namespace}.` : ''}test_${meta.name}`;
  try {
    session.render(node, { phase: 'parse', refs: [], sources: [], configCalls, extra: { _dbt_generic_test_kwargs: { ...args } } }, `{{ ${macro}(model=${modelRef}, **_dbt_generic_test_kwargs) }}`);
  } catch {
    // Reported when the test runs, with the line in the macro.
  }
  if (configCalls.length === 0) return;
  node.config = finalizeConfig([...below, ...configCalls, ...(above ? [above] : [])]);
  node.tags = node.config.tags;
  node.meta = node.config.meta;
}

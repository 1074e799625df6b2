// on-run-start / on-run-end hooks from dbt_project.yml, rendered with `schemas` and `results`
// (on-run-end) and run in order on one connection.
import path from 'node:path';
import type { Adapter } from '../adapters/adapter.js';
import type { ProjectConfig } from '../config/types.js';
import type { Compiler } from '../compile/compiler.js';
import { asTsdbtError } from '../errors/tsdbt-error.js';
import type { NodeResult } from '../manifest/results.js';
import { nodeJson } from '../artifacts/manifest-writer.js';
import { dbtConfigObject } from '../artifacts/config-defaults.js';
import type { ManifestNode } from '../manifest/types.js';
import { nodeSkeleton, defaultConfig } from '../graph/node-factory.js';
import type { Invocation } from './invocation.js';
import type { LoadedProject } from './project-loader.js';

/** `value` with dbt's `to_dict()` (not enumerated, so `items()` and `tojson` do not list it). */
function withToDict<T extends object>(value: T, toDict: () => unknown): T {
  return Object.defineProperty(value, 'to_dict', { value: toDict, enumerable: false });
}

/**
 * The projects whose hooks run, in dbt's order: installed packages by name, the root project last
 * (a package such as a run-logging one hooks every run of the projects that install it).
 */
function hookProjects(project: LoadedProject): ProjectConfig[] {
  return [...[...project.packages].sort((a, b) => a.name.localeCompare(b.name)), project.config];
}

export async function runProjectHooks(
  inv: Invocation,
  project: LoadedProject,
  adapter: Adapter,
  compiler: Compiler,
  which: 'on-run-start' | 'on-run-end',
  results: NodeResult[],
): Promise<void> {
  const all = hookProjects(project).flatMap((owner) => (which === 'on-run-start' ? owner.onRunStart : owner.onRunEnd).map((hook, index) => ({ owner, hook, index })));
  if (!all.length) return;
  const { manifest } = project.parsed;
  const schemas = [...new Set(Object.values(manifest.nodes).filter((n) => n.resource_type !== 'test').map((n) => n.schema))];
  // Each result's node as dbt hands it to on-run-end: the manifest's node, its config a config
  // object (every dbt field, and None for any other key). The result, its timing entries and its
  // node are dbt objects with `to_dict()` (Elementary's dbt_object_to_dict calls it on each).
  const templateResults = results.map((r) => {
    const node = manifest.nodes[r.unique_id];
    const json = node ? nodeJson(node) : null;
    const timing = r.timing.map((t) => withToDict({ ...t }, () => ({ ...t })));
    const nodeObject = json ? withToDict({ ...json, config: dbtConfigObject(json.config as Record<string, unknown>) }, () => json) : null;
    return withToDict({ ...r, timing, node: nodeObject }, () => ({ ...r, timing: r.timing.map((t) => ({ ...t })), node: json }));
  });
  const operations = new Map<string, ManifestNode>();
  const operationFor = (owner: ProjectConfig): ManifestNode => {
    let operation = operations.get(owner.name);
    if (!operation) {
      operation = nodeSkeleton({
        resourceType: 'operation',
        packageName: owner.name,
        name: `${owner.name}-${which}`,
        originalFilePath: 'dbt_project.yml',
        pathInResourceDir: `hooks/${owner.name}-${which}.sql`,
        rawCode: '',
        config: { ...defaultConfig('operation'), materialized: 'hook' },
      });
      operation.schema = project.target.schema;
      operation.database = project.target.database ?? null;
      operations.set(owner.name, operation);
    }
    return operation;
  };
  await adapter.withConnection(async (conn) => {
    for (const [position, { owner, hook, index }] of all.entries()) {
      const operation = operationFor(owner);
      let sql: string;
      try {
        const extra = { schemas, results: templateResults, database_schemas: schemas.map((s) => [operation.database, s]) };
        sql = await compiler.withWarehouse(conn, operation.unique_id, () => compiler.phase.render(operation, { refs: [], sources: [], configCalls: [], extra }, hook).sql);
      } catch (err) {
        const file = owner === project.config ? 'dbt_project.yml' : `${path.relative(project.config.projectDir, owner.projectDir) || owner.name}/dbt_project.yml`;
        const error = asTsdbtError(err).inNode({ resourceType: 'hook', name: `${owner.name}.${which}.${index}`, file });
        error.location ??= { file };
        throw error;
      }
      const started = Date.now();
      // A hook that renders to nothing (`{{ log(...) }}`) runs no statement but is reported, as in dbt.
      if (sql.trim()) await conn.execute(sql, { nodeId: operation.unique_id });
      inv.logger.info(`${position + 1} of ${all.length} OK hook: ${owner.name}.${which}.${index} [OK in ${((Date.now() - started) / 1000).toFixed(2)}s]`);
    }
  });
}

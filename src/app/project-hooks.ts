// on-run-start / on-run-end hooks from dbt_project.yml, rendered with `schemas` and `results`
// (on-run-end) and run in order on one connection.
import type { Adapter } from '../adapters/adapter.js';
import type { Compiler } from '../execution/compiler.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { NodeResult } from '../execution/results.js';
import type { ManifestNode } from '../graph/types.js';
import { nodeSkeleton, defaultConfig } from '../graph/node-factory.js';
import type { Invocation } from './invocation.js';
import type { LoadedProject } from './project-loader.js';

export async function runProjectHooks(
  inv: Invocation,
  project: LoadedProject,
  adapter: Adapter,
  compiler: Compiler,
  which: 'on-run-start' | 'on-run-end',
  results: NodeResult[],
): Promise<void> {
  const hooks = which === 'on-run-start' ? project.config.onRunStart : project.config.onRunEnd;
  if (!hooks.length) return;
  const { manifest } = project.parsed;
  const operation: ManifestNode = nodeSkeleton({
    resourceType: 'operation',
    packageName: project.config.name,
    name: `${project.config.name}-${which}`,
    originalFilePath: 'dbt_project.yml',
    pathInResourceDir: `hooks/${project.config.name}-${which}.sql`,
    rawCode: '',
    config: { ...defaultConfig('operation'), materialized: 'hook' },
  });
  operation.schema = project.target.schema;
  operation.database = project.target.database ?? null;
  const schemas = [...new Set(Object.values(manifest.nodes).filter((n) => n.resource_type !== 'test').map((n) => n.schema))];
  const templateResults = results.map((r) => ({ ...r, node: manifest.nodes[r.unique_id] ?? null }));
  await adapter.withConnection(async (conn) => {
    for (const [index, hook] of hooks.entries()) {
      let sql: string;
      try {
        const extra = { schemas, results: templateResults, database_schemas: schemas.map((s) => [operation.database, s]) };
        sql = await compiler.withWarehouse(conn, operation.unique_id, () => project.session.render(operation, { phase: 'execute', refs: [], sources: [], configCalls: [], extra }, hook).sql);
      } catch (err) {
        if (err instanceof TsdbtError) err.location ??= { file: 'dbt_project.yml' };
        throw err;
      }
      if (!sql.trim()) continue;
      const started = Date.now();
      await conn.execute(sql, { nodeId: operation.unique_id });
      inv.logger.info(`${index + 1} of ${hooks.length} OK hook: ${project.config.name}.${which}.${index} [OK in ${((Date.now() - started) / 1000).toFixed(2)}s]`);
    }
  });
}

// Reads every seed CSV a run will load before anything runs, keeping the inferred column types on
// the node, so loading reads each file only once more, and saying up front what the warehouse will
// shorten (SeedColumnNameShortened). A seed whose file cannot be loaded as configured (a malformed
// CSV, a header the warehouse cannot take as column names, a `delimiter` that is not one
// character) is left without columns: it fails when it runs, with the same error, as dbt fails
// only that seed's node (its dependents skipped, the rest of the run going on, exit 1).
import type { SqlBuilders } from '../adapters/adapter.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { seedLoadColumns } from '../materializations/seed-columns.js';
import { inferSeedColumns, seedDelimiter } from '../materializations/seed-csv.js';
import type { ExecutionPlan } from '../manifest/plan.js';

export async function preflightSeeds(plan: ExecutionPlan, sql: SqlBuilders, warn?: (message: string) => void): Promise<void> {
  for (const step of plan.steps) {
    const node = step.node;
    if (node.resource_type !== 'seed' || !node.seed_file) continue;
    const warnings: string[] = [];
    const hold = (message: string) => void warnings.push(message);
    try {
      node.seed_columns = await inferSeedColumns(node.seed_file, node.original_file_path, hold, seedDelimiter(node));
      seedLoadColumns(node, node.seed_columns, sql, hold);
    } catch (err) {
      if (!(err instanceof TsdbtError)) throw err;
      delete node.seed_columns;
    }
    // Outside the try: under --warn-error a warning stops the command, as before anything ran.
    for (const message of warnings) warn?.(message);
  }
}

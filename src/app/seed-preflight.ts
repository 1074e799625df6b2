// Checks every seed CSV a run will load before anything runs: a malformed file is a project error
// (exit 2, all of them reported together, nothing built), not a failure halfway through a run;
// so is a header the warehouse cannot take as column names (seed-columns.ts), or a `delimiter`
// config that is not one character.
// The inferred column types are kept on the node, so loading reads each file only once more.
import type { SqlBuilders } from '../adapters/adapter.js';
import { TsdbtError, throwCollected } from '../errors/tsdbt-error.js';
import { seedLoadColumns } from '../materializations/seed-columns.js';
import { inferSeedColumns, seedDelimiter } from '../materializations/seed-csv.js';
import type { ExecutionPlan } from '../manifest/plan.js';

export async function preflightSeeds(plan: ExecutionPlan, sql: SqlBuilders, warn?: (message: string) => void): Promise<void> {
  const errors: TsdbtError[] = [];
  for (const step of plan.steps) {
    const node = step.node;
    if (node.resource_type !== 'seed' || !node.seed_file) continue;
    try {
      node.seed_columns = await inferSeedColumns(node.seed_file, node.original_file_path, warn, seedDelimiter(node));
      seedLoadColumns(node, node.seed_columns, sql, warn);
    } catch (err) {
      if (err instanceof TsdbtError) errors.push(err);
      else throw err;
    }
  }
  throwCollected(errors);
}

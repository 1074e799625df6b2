// Checks every seed CSV a run will load before anything runs: a malformed file is a project error
// (exit 2, all of them reported together, nothing built), not a failure halfway through a run.
// The inferred column types are kept on the node, so loading reads each file only once more.
import { TsdbtError, TsdbtErrorList } from '../errors/tsdbt-error.js';
import { inferSeedColumns } from '../materializations/seed-csv.js';
import type { ExecutionPlan } from '../plan/execution-plan.js';

export async function preflightSeeds(plan: ExecutionPlan): Promise<void> {
  const errors: TsdbtError[] = [];
  for (const step of plan.steps) {
    const node = step.node;
    if (node.resource_type !== 'seed' || !node.seed_file) continue;
    try {
      node.seed_columns = await inferSeedColumns(node.seed_file, node.original_file_path);
    } catch (err) {
      if (err instanceof TsdbtError) errors.push(err);
      else throw err;
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new TsdbtErrorList(errors);
}

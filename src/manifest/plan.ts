// The plan's data model: what a command executes (ExecutionPlan) and each step of it, with the steps
// it waits for. Built by plan/execution-plan.ts, read by app/ and what runs the steps.
import type { ManifestNode } from './types.js';

export type Command = 'run' | 'seed' | 'test' | 'build' | 'compile' | 'snapshot';

export interface PlanStep {
  id: string;
  node: ManifestNode;
  dependsOn: string[];
}

export interface ExecutionPlan {
  command: Command;
  steps: PlanStep[];
}

/** A step dbt 1.10+'s build reports as NO-OP: an exposure or a saved query, for which nothing is built. */
export function isNoOpNode(node: ManifestNode): boolean {
  return node.resource_type === 'exposure' || node.resource_type === 'saved_query';
}

// Selection -> ExecutionPlan (pure, no database): which nodes each command executes, and what each
// waits for. Dependencies are the nearest executed ancestors (through unselected or ephemeral
// nodes); in `build`, a node also waits for the tests of its parents, so a failing test skips
// everything downstream (dbt's build semantics).
import type { Dag } from '../graph/dag.js';
import type { Manifest, ManifestNode } from '../graph/types.js';

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

const EXECUTED: Record<Command, string[]> = {
  run: ['model'],
  seed: ['seed'],
  test: ['test'],
  build: ['seed', 'model', 'snapshot', 'test'],
  snapshot: ['snapshot'],
  compile: ['model', 'test', 'analysis', 'snapshot'],
};

export function buildExecutionPlan(manifest: Manifest, dag: Dag, selected: ReadonlySet<string>, command: Command): ExecutionPlan {
  const types = EXECUTED[command];
  const runs = (id: string) => {
    const node = manifest.nodes[id];
    if (!node || !selected.has(id) || !types.includes(node.resource_type)) return false;
    return command === 'compile' || node.config.materialized !== 'ephemeral';
  };
  const order = dag.topologicalOrder().filter(runs);
  const inPlan = new Set(order);
  const steps = new Map<string, PlanStep>();
  for (const id of order) {
    steps.set(id, { id, node: manifest.nodes[id] as ManifestNode, dependsOn: nearestExecutedAncestors(dag, id, inPlan) });
  }
  if (command === 'build') addTestGates(dag, steps);
  return { command, steps: order.map((id) => steps.get(id) as PlanStep) };
}

function nearestExecutedAncestors(dag: Dag, id: string, inPlan: ReadonlySet<string>): string[] {
  const found = new Set<string>();
  const seen = new Set<string>();
  const stack = [...dag.parents(id)];
  while (stack.length) {
    const parent = stack.pop() as string;
    if (seen.has(parent)) continue;
    seen.add(parent);
    if (inPlan.has(parent)) found.add(parent);
    else stack.push(...dag.parents(parent));
  }
  return [...found];
}

/** A test of P gates P's children C (unless C is the test's own ancestor, which would cycle). */
function addTestGates(dag: Dag, steps: Map<string, PlanStep>): void {
  for (const step of steps.values()) {
    if (step.node.resource_type !== 'test') continue;
    let ancestors: Set<string> | null = null;
    for (const parent of step.node.depends_on.nodes) {
      for (const child of dag.children(parent)) {
        const childStep = steps.get(child);
        if (!childStep || childStep.node.resource_type === 'test' || child === step.id) continue;
        ancestors ??= dag.ancestors(step.id);
        if (ancestors.has(child)) continue;
        if (!childStep.dependsOn.includes(step.id)) childStep.dependsOn.push(step.id);
      }
    }
  }
}

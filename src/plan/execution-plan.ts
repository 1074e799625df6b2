// Selection -> ExecutionPlan (pure, no database): which nodes each command executes, and what each
// waits for. Dependencies are the nearest executed ancestors (through unselected or ephemeral
// nodes); in `build`, a node also waits for the tests upstream of it, so a failing test skips
// everything downstream (dbt's build semantics).
import type { Dag } from '../graph/dag.js';
import type { Command, ExecutionPlan, PlanStep } from '../manifest/plan.js';
import type { Manifest, ManifestNode } from '../manifest/types.js';
import { nodeSkeleton } from '../graph/node-factory.js';

export type { Command, ExecutionPlan, PlanStep } from '../manifest/plan.js';

const EXECUTED: Record<Command, string[]> = {
  run: ['model'],
  seed: ['seed'],
  test: ['test', 'unit_test'],
  build: ['seed', 'model', 'snapshot', 'test', 'unit_test', 'function'],
  snapshot: ['snapshot'],
  compile: ['seed', 'model', 'test', 'analysis', 'snapshot', 'function', 'operation'],
};

/**
 * dbt's selected_resources for a command: its selection filtered to the resource types the command's
 * node selector matches (run's ResourceTypeSelector takes models only, so `run -s m+` leaves out a
 * snapshot downstream of m). build and compile keep the whole selection.
 */
export function selectedResourcesOf(manifest: Manifest, selected: Iterable<string>, command: Command): string[] {
  if (command === 'build' || command === 'compile') return [...selected];
  const types = EXECUTED[command];
  return [...selected].filter((id) => {
    const type = manifest.nodes[id]?.resource_type;
    return type !== undefined && types.includes(type);
  });
}

export function buildExecutionPlan(manifest: Manifest, dag: Dag, selected: ReadonlySet<string>, command: Command): ExecutionPlan {
  const types = EXECUTED[command];
  // Each planned id with its node, looked up once: the DAG's ids are split from one string, not
  // V8's internalized keys, so each `manifest.nodes[id]` probes the string table (30,000 nodes
  // looked up three times cost a compile ~0.1 s).
  const planned: Planned[] = [];
  for (const id of dag.topologicalOrder()) {
    if (!selected.has(id)) continue;
    const node = manifest.nodes[id];
    if (!node || !types.includes(node.resource_type) || isEmptyNode(node)) continue;
    if (command === 'compile' || node.config.materialized !== 'ephemeral') planned.push([id, node]);
  }
  const order = unitTestsFirst(planned);
  // Which ids are planned, made when a step's waits are first read (compile reads none).
  let inPlan: Set<string> | undefined;
  const plannedIds = () => (inPlan ??= new Set(order.map(([id]) => id)));
  const made = order.map(([id, node]) => {
    // A unit test needs only what its model reads (for the inputs' column types), not the model.
    const model = node.resource_type === 'unit_test' ? node.depends_on.nodes[0] : undefined;
    return new WaitingStep(id, node, dag, model ?? id, plannedIds);
  });
  if (command !== 'build') return { command, steps: made };
  const steps = new Map<string, PlanStep>(made.map((step) => [step.id, step]));
  addTestGates(dag, steps);
  addUnitTestGates(steps);
  const ids = order.map(([id]) => id);
  ids.push(...addNoOpSteps(manifest, dag, selected, steps));
  return { command, steps: ids.map((id) => steps.get(id) as PlanStep) };
}

/** A planned node's id (the DAG's) and the node. */
type Planned = readonly [id: string, node: ManifestNode];

/**
 * A planned node whose waits (its nearest executed ancestors) are found when first read: `compile`
 * runs its steps in order and reads none of them, and walking the DAG for each of a 10,000-model
 * project's 30,000 nodes (two Sets and an array each) cost it a fifth of a second. The waits are
 * then an ordinary array, which build's test gates extend in place.
 */
class WaitingStep implements PlanStep {
  private waits: string[] | undefined;

  constructor(
    readonly id: string,
    readonly node: ManifestNode,
    private readonly dag: Dag,
    /** Whose parents it waits for: the node, or for a unit test the model it tests. */
    private readonly from: string,
    private readonly inPlan: () => ReadonlySet<string>,
  ) {}

  get dependsOn(): string[] {
    return (this.waits ??= nearestExecutedAncestors(this.dag, this.from, this.inPlan()).filter((d) => d !== this.id));
  }

  set dependsOn(waits: string[]) {
    this.waits = waits;
  }
}

/** What dbt 1.10+'s build runs as NO-OP (ExposureRunner, SavedQueryRunner): nothing is built for them. */
const NO_OP_TYPES = ['exposure', 'saved_query'] as const;
const isNoOpType = (type: string): type is (typeof NO_OP_TYPES)[number] => (NO_OP_TYPES as readonly string[]).includes(type);

/**
 * dbt 1.10+'s build lists each selected exposure and saved query as a NO-OP result, after what it
 * reads (skipped when that failed). Their steps carry a node made from the declared resource: a
 * name, a type and an id are all a NO-OP needs. Each waits for the planned nodes it reads (or their
 * nearest planned ancestors) and for the tests of those, as dbt's test edges make it.
 */
function addNoOpSteps(manifest: Manifest, dag: Dag, selected: ReadonlySet<string>, steps: Map<string, PlanStep>): string[] {
  const added: string[] = [];
  // The planned tests by each node they read, gathered once for every exposure and saved query.
  const testsReading = new Map<string, string[]>();
  for (const step of steps.values()) {
    if (step.node.resource_type !== 'test') continue;
    for (const read of step.node.depends_on.nodes) testsReading.set(read, [...(testsReading.get(read) ?? []), step.id]);
  }
  for (const declared of Object.values(manifest.declared ?? {})) {
    const resourceType = declared.resource_type;
    if (!isNoOpType(resourceType) || !selected.has(declared.unique_id) || declared.config.enabled === false) continue;
    const dependsOn = new Set<string>(plannedReads(manifest, dag, declared.depends_on.nodes, steps));
    for (const read of [...dependsOn]) for (const test of testsReading.get(read) ?? []) dependsOn.add(test);
    const node = { ...nodeSkeleton({ resourceType, packageName: declared.package_name, name: declared.name, originalFilePath: declared.original_file_path, pathInResourceDir: declared.path, rawCode: '', config: { ...declared.config, tags: declared.tags, meta: declared.meta } as ManifestNode['config'] }), unique_id: declared.unique_id, fqn: declared.fqn };
    steps.set(declared.unique_id, { id: declared.unique_id, node, dependsOn: [...dependsOn] });
    added.push(declared.unique_id);
  }
  return added;
}

/**
 * The planned nodes a declared resource reads, nearest first. A saved query reads metrics, a
 * metric semantic models or other metrics, a semantic model a model: none of these is a DAG node
 * here, so the walk goes through them (dbt's graph holds them, and its subset graph keeps the
 * edges through them), then on to the nearest planned ancestors of the nodes reached.
 */
function plannedReads(manifest: Manifest, dag: Dag, reads: readonly string[], steps: ReadonlyMap<string, PlanStep>): string[] {
  const found = new Set<string>();
  const seen = new Set<string>();
  const stack = [...reads];
  while (stack.length) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    const declared = manifest.declared?.[id];
    if (steps.has(id)) found.add(id);
    else if (declared) stack.push(...declared.depends_on.nodes);
    else for (const ancestor of nearestExecutedAncestors(dag, id, steps)) found.add(ancestor);
  }
  return [...found];
}

/**
 * dbt's `node.empty`: a node whose file holds nothing but whitespace (an empty model) is no
 * member of the graph a command runs (NodeSelector._is_graph_member), so it is neither built nor
 * reported; a seed is never empty, and a unit test has no file of its own.
 */
function isEmptyNode(node: ManifestNode): boolean {
  return node.resource_type !== 'seed' && node.resource_type !== 'unit_test' && typeof node.raw_code === 'string' && node.raw_code.trim() === '';
}

/** Moves each unit test right before the model it tests (dbt runs them first). */
function unitTestsFirst(order: Planned[]): Planned[] {
  const unitTests = new Map<string, Planned[]>();
  for (const planned of order) {
    const node = planned[1];
    if (node.resource_type !== 'unit_test') continue;
    const model = node.depends_on.nodes[0] ?? '';
    unitTests.set(model, [...(unitTests.get(model) ?? []), planned]);
  }
  if (unitTests.size === 0) return order;
  const out: Planned[] = [];
  for (const planned of order) {
    if (planned[1].resource_type === 'unit_test') continue;
    out.push(...(unitTests.get(planned[0]) ?? []), planned);
    unitTests.delete(planned[0]);
  }
  for (const rest of unitTests.values()) out.push(...rest); // model not in the plan
  return out;
}

/** In build, a model waits for its unit tests: a failing one skips the model and what follows. */
function addUnitTestGates(steps: Map<string, PlanStep>): void {
  for (const step of steps.values()) {
    if (step.node.resource_type !== 'unit_test') continue;
    const modelStep = steps.get(step.node.depends_on.nodes[0] ?? '');
    if (modelStep && !modelStep.dependsOn.includes(step.id)) modelStep.dependsOn.push(step.id);
  }
}

function nearestExecutedAncestors(dag: Dag, id: string, inPlan: { has(id: string): boolean }): string[] {
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

/**
 * dbt's test edges (Linker.add_test_edges): a data test gates each node that descends from every
 * node the test reads, so a failing test skips what is built on what it tests. A test of one node
 * gates that node's nearest planned descendants, through ephemeral and unselected nodes; a test of
 * several (a relationships test) gates only what descends from all of them: with one parent
 * downstream of the other, the children of the most-downstream parent. Gating the nearest such
 * nodes is enough: what is built on them waits for them.
 */
function addTestGates(dag: Dag, steps: Map<string, PlanStep>): void {
  const descendants = new Map<string, Set<string>>();
  const descendantsOf = (id: string): Set<string> => {
    let found = descendants.get(id);
    if (found) return found;
    found = new Set<string>();
    const stack = [...dag.children(id)];
    while (stack.length) {
      const next = stack.pop() as string;
      if (found.has(next)) continue;
      found.add(next);
      stack.push(...dag.children(next));
    }
    descendants.set(id, found);
    return found;
  };
  for (const step of steps.values()) {
    if (step.node.resource_type !== 'test') continue;
    const reads = [...new Set(step.node.depends_on.nodes)];
    // Walk from the most-downstream of what it reads (the fewest descendants), check the rest.
    if (reads.length > 1) reads.sort((a, b) => descendantsOf(a).size - descendantsOf(b).size);
    const [first, ...others] = reads;
    if (first === undefined) continue;
    const readsAll = (id: string) => others.every((other) => descendantsOf(other).has(id));
    const seen = new Set<string>();
    const stack = [...dag.children(first)];
    while (stack.length) {
      const id = stack.pop() as string;
      if (seen.has(id) || id === step.id) continue;
      seen.add(id);
      const gated = steps.get(id);
      const type = gated?.node.resource_type;
      if (type === 'test' || type === 'unit_test') continue;
      if (gated && readsAll(id)) {
        if (!gated.dependsOn.includes(step.id)) gated.dependsOn.push(step.id);
        continue;
      }
      stack.push(...dag.children(id));
    }
  }
}

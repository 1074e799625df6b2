// The context a dbt template renders with: ref, source, config, var, env_var, this, target,
// is_incremental, execute, log, exceptions, modules, adapter, ... One context object per node
// render; parse-phase renders record refs/sources/config calls, execute-phase renders resolve them.
// The calls (ref, source, function, var, env_var) are node-calls.ts's, `adapter` adapter-namespace.ts's,
// and the members set over the shared prototype (`context`, unit-test macro overrides) context-members.ts's.
import { ensureModelBatch } from './model-batch.js';
import { dbtModelDict } from './model-dict.js';
import { apiRelation } from './api-relation.js';
import type { RelationParts } from '../../adapters/relation.js';
import { pythonBuiltins, pythonModules } from '../pylib/builtins/index.js';
import { lazyMembers } from '../pylib/datetime/index.js';
import { callArgs, stripKeywords } from '../pylib/args/index.js';
import { apiColumnFactory } from './api-column.js';
import { offlineWarehouse } from './warehouse-calls.js';
import { configObject } from './config-object.js';
import { metricCall } from './metric-call.js';
import { emptyGraph } from '../../manifest/flat-graph-kinds.js';
import { dbtContextExtras, exceptionsNamespace } from './dbt-context-extras.js';
import type { NodeRenderState, RenderPhase, TemplateServices } from './render-state.js';
import { askIncremental, functionCall, relationCalls, variableCalls } from './node-calls.js';
import { accessorNames, applyMacroOverrides, contextDict, lazyOwn, own } from './context-members.js';
import { adapterNamespace } from './adapter-namespace.js';
import { pyStr, takingTemplateValues, truthy } from '../engine/index.js';

export type { NodeRenderState, RenderPhase, TemplateServices } from './render-state.js';
export { refCallFromArgs } from './node-calls.js';

/** dbt 1.11's ModulesItertoolsUsageDeprecation text (warned on each call of a `modules.itertools` function). */
const ITERTOOLS_DEPRECATION = 'Usage of itertools modules is deprecated. Please use the built-in functions instead.';

const baseCache = new WeakMap<TemplateServices, Record<RenderPhase, Record<string, unknown>>>();

/**
 * What every context of one invocation and phase shares (builtins, modules, target, flags,
 * exceptions, log...): built once, then used as the prototype of each node's context, so a
 * render allocates only the node-specific members.
 */
function sharedBase(services: TemplateServices, phase: RenderPhase): Record<string, unknown> {
  let bases = baseCache.get(services);
  if (!bases) {
    const make = (p: RenderPhase): Record<string, unknown> => {
      const parse = p === 'parse';
      const modules = pythonModules(services.now, () => services.log(ITERTOOLS_DEPRECATION, 'warn', 'ModulesItertoolsUsageDeprecation'));
      const base: Record<string, unknown> = {
        ...pythonBuiltins(),
        target: services.targetContext,
        project_name: services.projectName,
        execute: !parse,
        flags: services.flags,
        invocation_id: services.invocationId,
        // dbt's run_started_at is timezone-aware UTC (so `.astimezone(...)` converts it); made when first read (lazyMembers).
        run_started_at: undefined,
        modules,
        // dbt's log(msg, info=False) and print(msg): `info=False` is a keyword, not the info flag.
        // The message is Python's str() of the value (dbt's event takes `str(msg)`): a list logs
        // `['good', 'bad']`, a boolean `True`, log(1.0) `1.0`.
        // They print in both phases: dbt's parse render of a file (models, tests, hooks, the macros
        // they call) prints its log lines while parsing, as dbt's BaseContext.log fires then too.
        log: takingTemplateValues((...args: unknown[]) => {
          const { msg, info } = callArgs(args, ['msg', 'info']);
          services.log(pyStr(msg), truthy(info) ? 'info' : 'debug');
          return '';
        }),
        print: takingTemplateValues((...args: unknown[]) => {
          services.log(pyStr(callArgs(args, ['msg']).msg), 'print');
          return '';
        }),
        exceptions: exceptionsNamespace(parse, services.log),
        api: {
          Relation: apiRelation((parts: RelationParts = { identifier: '' }) => services.relation(relationParts(stripKeywords(parts)))),
          Column: apiColumnFactory({ ...services.columnTypes, quote: services.quoteIdentifier }),
        },
      };
      lazyMembers(base, { run_started_at: () => modules.datetime.datetime.fromtimestamp(services.runStartedAt.getTime() / 1000, modules.datetime.timezone.utc) });
      Object.defineProperty(base, 'thread_id', { enumerable: true, get: () => services.threadId?.() ?? 'MainThread' });
      return Object.defineProperties(base, Object.getOwnPropertyDescriptors(dbtContextExtras({ flags: services.flags, env: services.env, selectedResources: services.selectedResources, invocationArgs: services.invocationArgs, log: services.log })));
    };
    bases = { parse: make('parse'), execute: make('execute') };
    // dbt fills `graph` (manifest.flat_graph) once the manifest is built: parse-time renders see
    // the empty dict it starts as, without even `nodes` (so `graph.nodes is defined` is false).
    const empty = emptyGraph();
    bases.parse.graph = Object.freeze({});
    Object.defineProperty(bases.execute, 'graph', { enumerable: true, get: () => services.graph?.() ?? empty });
    baseCache.set(services, bases);
  }
  return bases[phase];
}

/** Builds the context object for one render. */
export function buildNodeContext(services: TemplateServices, state: NodeRenderState): Record<string, unknown> {
  const { node } = state;
  const { varObject, envVar } = variableCalls(services, state, () => context);
  const { ref, source } = relationCalls(services, state);
  const fn = functionCall(services, state);
  const config = configObject(node, state);
  const base = sharedBase(services, state.phase);
  const warehouse = (services.warehouse ?? offlineWarehouse)(state.phase);
  const proto = services.macroPrototype(node.package_name, base);
  const context = Object.create(proto) as Record<string, unknown>;
  const overridden = services.overriddenBuiltins?.(node.package_name);
  const accessors = accessorNames(proto);
  // A macro of the project (or of the node's package) with a builtin's name replaces the builtin,
  // as in dbt; `builtins.<name>` keeps reaching the original.
  // An own member: a plain store where no getter of the prototype is in the way (a quarter of a
  // test's compile went to defining 20 members one by one).
  const put = (name: string, value: unknown) => {
    if (accessors.has(name)) own(context, name, value);
    else context[name] = value;
  };
  const member = (name: string, value: unknown) => {
    if (!overridden?.has(name)) put(name, value);
  };
  member('ref', ref);
  member('source', source);
  member('function', fn);
  member('metric', metricCall(services, state));
  member('config', config);
  member('var', varObject);
  member('env_var', envVar);
  // dbt builds `target` as a new dict for each render's context (to_target_dict), so what a
  // template writes into it (`target.update({...})`, as dbt_synth_data keeps its hooks there)
  // stays in that render. A plain copy: a lazy accessor cost more than the copy.
  member('target', { ...services.targetContext });
  // dbt makes a node with the target's database and schema and renders it before its naming
  // macros run, so a render of a node not yet named (the parse render) sees the target's names.
  const schema = node.schema === '' ? String(services.targetContext.schema ?? '') : node.schema;
  const database = node.database ?? (node.schema === '' ? ((services.targetContext.database as string | undefined) ?? null) : null);
  member('this', state.thisRelation ?? services.relation({ database, schema, identifier: node.alias, type: null }));
  // Parse renders see the node itself; later ones a copy they may change (model-dict.ts), made
  // when first read; either with dbt's `batch: None` outside a microbatch batch.
  if (state.phase === 'parse') {
    ensureModelBatch(node);
    member('model', node);
  } else if (!overridden?.has('model')) {
    lazyOwn(context, 'model', () => {
      ensureModelBatch(node);
      return dbtModelDict(node);
    });
  }
  member('schema', schema);
  member('database', database);
  const incrementalMember = () => state.incremental ?? askIncremental(services, state, warehouse);
  member('is_incremental', incrementalMember);
  // Made when a template first reads it: most nodes never do, and it is ~100 members (a third of
  // the context's cost in a compile of 30,000 nodes).
  if (!overridden?.has('adapter')) lazyOwn(context, 'adapter', () => adapterNamespace(services, state, base, context, warehouse));
  for (const [name, value] of Object.entries(warehouse.context)) member(name, value);
  member('builtins', { ref, source, function: fn, config, var: varObject, env_var: envVar, is_incremental: incrementalMember });
  // Node-specific variables (a materialization's `sql`, a test's arguments) win over macros.
  if (state.extra) {
    for (const [name, value] of Object.entries(state.extra)) put(name, value);
  }
  if (state.overrides?.macros) applyMacroOverrides(context, state.overrides.macros);
  // Made when first read, as `model` and `adapter`: few templates read it (a Proxy and its dict methods per render).
  lazyOwn(context, 'context', () => contextDict(context));
  // dbt's render(string): the text rendered as a template in this render's context.
  if (services.renderText) {
    const renderText = services.renderText;
    member('render', (text: unknown) => renderText(String(text), context, node.original_file_path));
  }
  return context;
}

/** `api.Relation.create(database=..., schema=..., identifier=..., type=...)`: unknown types are kept as dbt spells them. */
function relationParts(parts: Partial<RelationParts>): RelationParts {
  return {
    database: parts.database ?? null,
    schema: parts.schema ?? null,
    identifier: String(parts.identifier ?? ''),
    type: parts.type ?? null,
  };
}

// The context a dbt template renders with: ref, source, config, var, env_var, this, target,
// is_incremental, execute, log, exceptions, modules, adapter, ... One context object per node
// render; parse-phase renders record refs/sources/config calls, execute-phase renders resolve them.
import { ensureModelBatch } from './model-batch.js';
import { DEFAULT_COLUMN_TYPES } from '../../adapters/default-rules.js';
import type { SqlBuilders } from '../../adapters/adapter.js';
import type { Relation, RelationParts } from '../../adapters/relation.js';
import { convertType, templateBuilders } from './template-builders.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { RefCall } from '../../manifest/types.js';
import { isIncremental } from '../../manifest/incremental-state.js';
import { pythonBuiltins, pythonModules } from '../pylib/builtins/index.js';
import { lazyMembers } from '../pylib/datetime/index.js';
import { callArgs, stripKeywords, isKeywords, splitArgs } from '../pylib/args/index.js';
import { pyStr } from '../engine/py-repr.js';
import { apiColumnFactory } from './api-column.js';
import { offlineWarehouse, type WarehouseMembers } from './warehouse-calls.js';
import { routeAdapterMacros } from './adapter-executed-macros.js';
import { configObject } from './config-object.js';
import { metricCall } from './metric-call.js';
import { emptyGraph } from '../../manifest/flat-graph-kinds.js';
import { dbtContextExtras, exceptionsNamespace } from './dbt-context-extras.js';
import { GLOBAL_NAMESPACE } from './macro-scope.js';
import type { NodeRenderState, RenderPhase, TemplateServices } from './render-state.js';

export type { NodeRenderState, RenderPhase, TemplateServices } from './render-state.js';

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
        log: (...args: unknown[]) => {
          const { msg, info } = callArgs(args, ['msg', 'info']);
          if (!parse) services.log(String(msg), info ? 'info' : 'debug');
          return '';
        },
        print: (...args: unknown[]) => {
          if (!parse) services.log(String(callArgs(args, ['msg']).msg), 'print');
          return '';
        },
        exceptions: exceptionsNamespace(parse, services.log),
        api: {
          Relation: { create: (parts: RelationParts = { identifier: '' }) => services.relation(relationParts(stripKeywords(parts))) },
          Column: apiColumnFactory({ ...services.columnTypes, quote: services.quoteIdentifier }),
        },
      };
      lazyMembers(base, { run_started_at: () => modules.datetime.datetime.fromtimestamp(services.runStartedAt.getTime() / 1000, modules.datetime.timezone.utc) });
      Object.defineProperty(base, 'thread_id', { enumerable: true, get: () => services.threadId?.() ?? 'MainThread' });
      return Object.defineProperties(base, Object.getOwnPropertyDescriptors(dbtContextExtras({ flags: services.flags, env: services.env, selectedResources: services.selectedResources, invocationArgs: services.invocationArgs, log: services.log })));
    };
    bases = { parse: make('parse'), execute: make('execute') };
    // dbt fills `graph` once the manifest is built; parse-time renders see it empty.
    const empty = emptyGraph();
    bases.parse.graph = empty;
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
  ensureModelBatch(node);
  member('model', node);
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
  put('context', contextDict(context));
  // dbt's render(string): the text rendered as a template in this render's context.
  if (services.renderText) {
    const renderText = services.renderText;
    member('render', (text: unknown) => renderText(String(text), context, node.original_file_path));
  }
  return context;
}

/**
 * dbt's `context`: the render's context as a dict (dbt sets ctx["context"] = ctx), which templates
 * read and extend (`context.get('k', {})`, `context.update({'k': v})`; dbt-unit-testing keeps its
 * state in it across the macros of one render). Written keys become members of this render's context.
 * Its items are the context's members, macros and package namespaces included (re_data finds a
 * package's macro by name with `context['re_data'].get(name)`, `context[project_name][name]`).
 */
function contextDict(context: Record<string, unknown>): Record<string, unknown> {
  const has = (key: string) => key in context && context[key] !== undefined;
  const methods = contextMethods(context, has);
  const item = (key: string | symbol) => typeof key === 'string' && !(key in methods) && has(key);
  return new Proxy(methods, {
    get: (target, key, receiver) => (item(key) ? context[key as string] : (Reflect.get(target, key, receiver) as unknown)),
    has: (target, key) => key in target || item(key),
    getOwnPropertyDescriptor: (target, key) =>
      item(key) ? { value: context[key as string], enumerable: true, configurable: true, writable: true } : Reflect.getOwnPropertyDescriptor(target, key),
  });
}

/** The dict methods of `context` (contextDict). */
function contextMethods(context: Record<string, unknown>, has: (key: string) => boolean): Record<string, unknown> {
  return {
    get: (...args: unknown[]): unknown => {
      const { key, default: fallback = null } = callArgs(args, ['key', 'default']);
      return has(String(key)) ? context[String(key)] : fallback;
    },
    update: (...args: unknown[]): null => {
      // An own data member, so a key the shared base serves through a getter (`graph`,
      // `thread_id`) is replaced too, as in dbt's dict (Elementary's tests mock `graph` so).
      for (const arg of args) {
        for (const [k, v] of Object.entries(stripKeywords(arg as Record<string, unknown>))) {
          Object.defineProperty(context, k, { value: v, writable: true, enumerable: true, configurable: true });
        }
      }
      return null;
    },
    keys: (): string[] => Object.keys(context),
    __contains__: (key: unknown): boolean => has(String(key)),
  };
}

/** `ref()` and `source()`: recorded while parsing, resolved to relations when executing. */
function relationCalls(services: TemplateServices, state: NodeRenderState) {
  const { node } = state;
  const parse = state.phase === 'parse';
  const ref = (...args: unknown[]): Relation => {
    const call = refCallFromArgs(args);
    if (parse) {
      state.refs.push(call);
      return services.relation({ database: null, schema: null, identifier: call.name });
    }
    return services.resolveRef(call, node);
  };
  // dbt's ref resolver carries the run's config (`builtins.ref.config`, runtime-config.ts).
  if (services.runtimeConfig) Object.assign(ref, { config: services.runtimeConfig });

  const source = (sourceName: unknown, tableName: unknown): Relation => {
    if (typeof sourceName !== 'string' || typeof tableName !== 'string') {
      throw new TsdbtError('source() takes two strings: source(source_name, table_name)', { code: 'source-args' });
    }
    if (parse) {
      state.sources.push([sourceName, tableName]);
      return services.relation({ database: null, schema: sourceName, identifier: tableName });
    }
    return services.resolveSource(sourceName, tableName, node);
  };
  return { ref, source };
}

/**
 * dbt 1.11's `function('name')` / `function('package', 'name')`: recorded while parsing (a DAG
 * edge to the function), the function's relation when executing.
 */
function functionCall(services: TemplateServices, state: NodeRenderState) {
  return (...args: unknown[]): Relation => {
    if (args.length < 1 || args.length > 2 || args.some((a) => typeof a !== 'string')) {
      throw new TsdbtError(`function() takes one or two strings, got ${args.length} argument(s)`, { code: 'function-args', hint: "write function('name') or function('package_name', 'name')" });
    }
    const call = args as string[];
    if (state.phase === 'parse') {
      (state.functions ??= []).push(call);
      return services.relation({ database: null, schema: null, identifier: call[call.length - 1] as string });
    }
    if (!services.resolveFunction) throw new TsdbtError('function() is not available here', { code: 'function-args' });
    return services.resolveFunction(call, state.node);
  };
}

/**
 * dbt's is_incremental() where the caller did not decide it (compile, show, docs): false while
 * parsing; otherwise an incremental model not fully refreshed (its `full_refresh` config, else
 * the --full-refresh flag) is incremental when its relation exists as a table, which is asked of
 * the warehouse as dbt's macro does (`adapter.get_relation(this.database, this.schema, this.table)`).
 */
function askIncremental(services: TemplateServices, state: NodeRenderState, warehouse: WarehouseMembers): boolean {
  const { node } = state;
  if (state.phase === 'parse' || node.resource_type !== 'model') return false;
  const getRelation = warehouse.adapter.get_relation as (database: unknown, schema: unknown, identifier: unknown) => Relation | null;
  return isIncremental(node, Boolean(services.flags.FULL_REFRESH), () => getRelation(node.database, node.schema, node.alias));
}

/** `var()` (with `var.has_var`) and `env_var()`, unit-test overrides first; `context` is the one a Jinja var renders in. */
function variableCalls(services: TemplateServices, state: NodeRenderState, contextOf: () => Record<string, unknown>) {
  const { node } = state;
  const parse = state.phase === 'parse';
  const vars = services.varsFor(node.package_name);
  const overrides = state.overrides;
  // dbt's Var.get_rendered_var: a var holding text with Jinja (`v: "{{ 1 + 1 }}"`) renders (to
  // text) each time it is read, in the context of the node reading it; other values come as is.
  const rendered = (name: string, value: unknown): unknown =>
    typeof value === 'string' && (value.includes('{{') || value.includes('{%')) && services.renderText
      ? services.renderText(value, contextOf(), `var('${name}') in ${node.original_file_path}`)
      : value;
  // dbt's Var.__call__(var_name, default=_VAR_NOTSET): any default given, by position or keyword,
  // counts, even one that is Undefined or None (`var('x', FALSE)`, where `FALSE` is an undefined
  // name in Jinja, gives that Undefined back rather than failing on a missing var).
  const varFn = (...args: unknown[]): unknown => {
    const [positional, keywords] = splitArgs(args);
    const name = (positional.length > 0 ? positional[0] : keywords.var_name) as string;
    const hasFallback = positional.length > 1 || Object.prototype.hasOwnProperty.call(keywords, 'default');
    const fallback = positional.length > 1 ? positional[1] : keywords.default;
    if (overrides?.vars && Object.prototype.hasOwnProperty.call(overrides.vars, name)) return rendered(name, overrides.vars[name]);
    if (Object.prototype.hasOwnProperty.call(vars, name)) return rendered(name, vars[name]);
    if (hasFallback) return fallback;
    if (parse && !state.strictVars) return null;
    throw new TsdbtError(`Required var '${name}' not found in config`, {
      code: 'var-missing',
      hint: `set it under vars: in dbt_project.yml or pass --vars '{${name}: ...}'`,
    });
  };
  const varObject = Object.assign(varFn, { has_var: (name: string) => Object.prototype.hasOwnProperty.call(vars, name) });

  // dbt's env_var(var, default=None): the default may come by keyword too.
  const envVar = (...args: unknown[]): unknown => {
    const { var: name, default: fallback } = callArgs(args, ['var', 'default']) as { var: string; default?: unknown };
    const value = overrides?.env_vars?.[name] ?? services.env[name];
    if (value !== undefined) return value;
    if (fallback !== undefined) return fallback;
    throw new TsdbtError(`Env var required but not provided: '${name}'`, {
      code: 'env-var-missing',
      hint: `export ${name}=... or give a default: env_var('${name}', 'default')`,
    });
  };
  return { varObject, envVar };
}

/** The node's `adapter`: quoting, dispatch, api.Relation / api.Column, the SQL builders, and the warehouse calls of the phase. */
function adapterNamespace(services: TemplateServices, state: NodeRenderState, base: Record<string, unknown>, context: Record<string, unknown>, warehouse: WarehouseMembers): Record<string, unknown> {
  const { node } = state;
  return {
    // dbt's adapter methods take their arguments by name too: quote(identifier=...), dispatch(macro_name=..., macro_namespace=...).
    quote: (...args: unknown[]) => services.quoteIdentifier(pyStr(callArgs(args, ['identifier']).identifier)),
    dispatch: (...args: unknown[]) => {
      const { macro_name, macro_namespace } = callArgs(args, ['macro_name', 'macro_namespace']);
      return services.dispatch(context, String(macro_name), (macro_namespace ?? null) as string | null, node.package_name);
    },
    type: () => services.targetContext.type,
    // dbt's adapter.Relation / adapter.Column are api.Relation / api.Column.
    Relation: (base.api as Record<string, unknown>).Relation,
    Column: (base.api as Record<string, unknown>).Column,
    /** Quotes an identifier when the target's quoting config for that part ('database', 'schema', 'identifier') says so. */
    quote_as_configured: (...args: unknown[]) => {
      const { identifier, quote_key: quoteKey } = callArgs(args, ['identifier', 'quote_key']);
      const policy = services.relation({ identifier: '' }).quote_policy as unknown as Record<string, boolean>;
      return policy[String(quoteKey)] === false ? pyStr(identifier) : services.quoteIdentifier(pyStr(identifier));
    },
    /**
     * A seed column, quoted unless the seed's quote_columns is false (dbt's default is to quote);
     * a name that is not a plain identifier is quoted even then, never pasted into SQL bare.
     */
    quote_seed_column: (...args: unknown[]) => {
      const { column, quote_config: quoteConfig = null } = callArgs(args, ['column', 'quote_config']);
      const name = pyStr(column);
      return quoteConfig === false && services.bareIdentifierName(name) !== null ? name : services.quoteIdentifier(name);
    },
    commit: () => '',
    ...Object.fromEntries(Object.entries(services.sqlBuilders?.templateMembers?.() ?? {}).map(([name, m]) => [name, (...args: unknown[]) => m.call(callArgs(args, m.params), services.targetContext)])),
    ...(services.sqlBuilders ? { tsdbt_sql: templateBuilders(services.sqlBuilders, node, services.runStartedAt, (services.columnTypes ?? DEFAULT_COLUMN_TYPES).typeLabels, (expression) => (services.renderText ? services.renderText(`{{ ${expression} }}`, context, node.original_file_path).trim() : expression)), convert_type: (table: unknown, index: unknown) => convertType(services.sqlBuilders as SqlBuilders, table, index) } : {}),
    ...warehouse.adapter,
    ...routeAdapterMacros({
      builtin: warehouse.adapter,
      overridingMacro: (name) => services.adapterExecutedMacro?.(context, node.package_name, name) ?? null,
      relation: (parts) => services.relation(parts as RelationParts),
      parse: state.phase === 'parse',
    }),
  };
}

const accessorCache = new WeakMap<object, ReadonlySet<string>>();

/**
 * The names an assignment to an object made from `proto` would not simply create as its own
 * (getters of macros and namespaces, read-only members), anywhere on the prototype chain.
 */
function accessorNames(proto: object): ReadonlySet<string> {
  let names = accessorCache.get(proto);
  if (!names) {
    const found = new Set<string>();
    for (let o: object | null = proto; o !== null; o = Object.getPrototypeOf(o) as object | null) {
      for (const [name, d] of Object.entries(Object.getOwnPropertyDescriptors(o))) if (d.get || d.set || d.writable === false) found.add(name);
    }
    names = found;
    accessorCache.set(proto, names);
  }
  return names;
}

/** An own member made by `make` when first read (and kept), or replaced by an assignment before that. */
function lazyOwn(target: object, name: string, make: () => unknown): void {
  Object.defineProperty(target, name, {
    enumerable: true,
    configurable: true,
    get: () => {
      const value = make();
      own(target, name, value);
      return value;
    },
    set: (value: unknown) => own(target, name, value),
  });
}

/** Sets an own member, even over a macro getter of the prototype. */
function own(target: object, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * Unit-test `overrides.macros`, as dbt's generate_runtime_unit_test_context applies them: a
 * macro returns the given value when called; any other member of the context (`invocation_id`)
 * becomes the value itself, and a name the context lacks is ignored. `name` replaces the macro the
 * node sees (and `dbt.name` if dbt has one), `pkg.name` replaces it in that package's namespace
 * (and `name` too for `dbt.name`). Macros called by other macros see the replacement: they resolve
 * names through this context. The macros are getters on the context's prototype, so each
 * replacement is an own property defined over it.
 */
function applyMacroOverrides(context: Record<string, unknown>, macros: Record<string, unknown>): void {
  // dbt wraps the value only where the original is a macro (UnitTestMacroGenerator); tsdbt's
  // stand-ins for dbt macros are plain functions, so any function original is called.
  const replace = (holder: Record<string, unknown>, name: string, value: unknown) => {
    if (!(name in holder)) return;
    own(holder, name, typeof holder[name] === 'function' ? () => value : value);
  };
  const namespaces = new Map<string, Record<string, unknown>>();
  const namespace = (name: string): Record<string, unknown> | null => {
    let holder = namespaces.get(name);
    if (!holder) {
      const original = context[name];
      if (typeof original !== 'object' || original === null) return null;
      holder = Object.create(original) as Record<string, unknown>;
      namespaces.set(name, holder);
      own(context, name, holder);
    }
    return holder;
  };
  for (const [key, value] of Object.entries(macros)) {
    const dot = key.indexOf('.');
    const pkg = dot < 0 ? null : key.slice(0, dot);
    const name = dot < 0 ? key : key.slice(dot + 1);
    if (pkg === null || pkg === GLOBAL_NAMESPACE) replace(context, name, value);
    const target = pkg === null ? (name in ((context[GLOBAL_NAMESPACE] as object | undefined) ?? {}) ? namespace(GLOBAL_NAMESPACE) : null) : namespace(pkg);
    if (target) replace(target, name, value);
  }
}

/** `ref('m')`, `ref('pkg', 'm')`, `ref('m', version=2)` / `v=2`. */
export function refCallFromArgs(args: unknown[]): RefCall {
  const kwargs = args.find(isKeywords) ?? {};
  const positional = args.filter((a) => !isKeywords(a));
  if (positional.length === 0 || positional.length > 2 || positional.some((p) => typeof p !== 'string')) {
    throw new TsdbtError(`ref() takes one or two strings, got ${positional.length} argument(s)`, {
      code: 'ref-args',
      hint: "write ref('model_name') or ref('package_name', 'model_name')",
    });
  }
  const version = (kwargs.version ?? kwargs.v ?? null) as string | number | null;
  if (positional.length === 2) return { package: positional[0] as string, name: positional[1] as string, version };
  return { name: positional[0] as string, package: null, version };
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

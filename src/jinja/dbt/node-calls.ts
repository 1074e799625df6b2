// The node context's calls that name other resources and values: `ref()`, `source()` and dbt 1.11's
// `function()` (recorded while parsing, resolved when executing), `var()` / `env_var()` with a unit
// test's overrides, and `is_incremental()` asked of the warehouse where the caller did not decide it.
import type { Relation } from '../../adapters/relation.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { RefCall } from '../../manifest/types.js';
import { isIncremental } from '../../manifest/incremental-state.js';
import { callArgs, isKeywords, splitArgs } from '../pylib/args/index.js';
import { pyJson } from '../engine/index.js';
import type { WarehouseMembers } from './warehouse-calls.js';
import type { NodeRenderState, TemplateServices } from './render-state.js';
import { scrubSecrets, secretEnvVarLocationError, secretVarValues } from './secret-env-vars.js';


/** `ref()` and `source()`: recorded while parsing, resolved to relations when executing. */
export function relationCalls(services: TemplateServices, state: NodeRenderState) {
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
export function functionCall(services: TemplateServices, state: NodeRenderState) {
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
export function askIncremental(services: TemplateServices, state: NodeRenderState, warehouse: WarehouseMembers): boolean {
  const { node } = state;
  if (state.phase === 'parse' || node.resource_type !== 'model') return false;
  const getRelation = warehouse.adapter.get_relation as (database: unknown, schema: unknown, identifier: unknown) => Relation | null;
  return isIncremental(node, Boolean(services.flags.FULL_REFRESH), () => getRelation(node.database, node.schema, node.alias));
}

/**
 * dbt's RequiredVarNotFoundError message: the vars the node was given, as `json.dumps(vars,
 * sort_keys=True, indent=4)`, a DBT_ENV_SECRET_* var's value `*****` wherever it appears.
 */
function requiredVarMessage(name: string, nodeName: string, vars: Record<string, unknown>): string {
  return scrubSecrets(`Required var '${name}' not found in config:\nVars supplied to ${nodeName} = ${pyJson(vars, 4, true)}`, secretVarValues(vars));
}

/** `var()` (with `var.has_var`) and `env_var()`, unit-test overrides first; `context` is the one a Jinja var renders in. */
export function variableCalls(services: TemplateServices, state: NodeRenderState, contextOf: () => Record<string, unknown>) {
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
    throw new TsdbtError(requiredVarMessage(name, node.name, vars), {
      code: 'var-missing',
      hint: `set it under vars: in dbt_project.yml or pass --vars '{${name}: ...}'`,
    });
  };
  const varObject = Object.assign(varFn, { has_var: (name: string) => Object.prototype.hasOwnProperty.call(vars, name) });

  // dbt's env_var(var, default=None): the default may come by keyword too.
  const envVar = (...args: unknown[]): unknown => {
    const { var: name, default: fallback } = callArgs(args, ['var', 'default']) as { var: string; default?: unknown };
    const secret = secretEnvVarLocationError(String(name));
    if (secret) throw secret;
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

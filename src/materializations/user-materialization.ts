// Runs a materialization written in Jinja (`{% materialization name, default %}` in the project or a
// package) the way dbt-core's ModelRunner does: the macro renders once with dbt's materialization
// context, every warehouse call it makes runs on the node's connection (render replay), the dict
// it returns must hold the relations it built, and the node's result is `statement('main')`'s
// (the status line's `[SELECT 3 in 0.05s]` and run_results' adapter_response). Transactions are
// dbt's: `statement` opens one (auto_begin), `adapter.commit()` commits it, a failure (or an end
// without commit) rolls back what is open, so a macro that builds an intermediate relation and
// renames it before committing leaves the previous relation as it was when it fails.
import type { AdapterResponse } from '../adapters/adapter.js';
import { Relation } from '../adapters/relation.js';
import { TsdbtError, type SourceLocation } from '../errors/tsdbt-error.js';
import type { Compiler } from '../compile/compiler.js';
import type { RenderSession } from '../compile/render-session.js';
import type { ManifestNode } from '../manifest/types.js';
import { materializationAdapterMembers, materializationExtras } from '../jinja/dbt/materialization-context.js';
import { bindMacro, callMacro, pyRepr } from '../jinja/engine/index.js';
import { materializationFor } from './index.js';
import { materializationMacroName } from '../manifest/materialization-candidates.js';
import type { Materialization, MaterializationContext, MaterializationOutcome } from './materialization.js';
import { TemplateTransactionConnection } from './template-transaction.js';
import { dataTestMainTable, dataTestOutcome, seedAgateTableOf } from './user-node-kinds.js';

/** The built-ins a model's materialization written in Jinja may call (`dbt.materialization_table_default()`). */
const MODEL_BUILTINS = ['table', 'view', 'incremental', 'distributed_table', 'distributed_incremental', 'materialized_view'];

export interface UserMaterializationDeps {
  session: RenderSession;
  compiler: Compiler;
}

/** Where the macro is: its package (namespace) and `materialization_<name>_<adapter>`. */
export interface UserMaterializationMacro {
  namespace: string;
  macroName: string;
}

/** A node's outcome plus the relations the macro returned (dbt adds them to its relation cache). */
export interface UserMaterializationOutcome extends MaterializationOutcome {
  relations: Relation[];
}

/**
 * dbt's ModelRunner refuses a model whose language its materialization does not support
 * (`{% materialization name, supported_languages=['python'] %}`; `['sql']` when none are named).
 */
function checkLanguage(node: ManifestNode, macroName: string, info: { supportedLanguages?: string[]; path: string; line: number } | undefined): void {
  const supported = info?.supportedLanguages;
  const language = node.language ?? 'sql';
  if (node.resource_type !== 'model' || !supported || supported.includes(language)) return;
  throw new TsdbtError(`Materialization "${macroName}" only supports languages ${pyRepr(supported)}; got "${language}"`, {
    code: 'materialization-language',
    nodeId: node.unique_id,
    location: info ? { file: info.path, line: info.line } : { file: node.original_file_path },
    hint: `add '${language}' to the materialization's supported_languages, or give the model another materialization`,
  });
}

export function userMaterialization(deps: UserMaterializationDeps, macro: UserMaterializationMacro): Materialization {
  return async (ctx): Promise<UserMaterializationOutcome> => {
    const { node, compiledSql } = ctx;
    const { session, compiler } = deps;
    checkLanguage(node, macro.macroName, session.library.info(macro.namespace, macro.macroName));
    const conn = new TemplateTransactionConnection(ctx.conn);
    // dbt's `this` for a model carries no type: the macro decides (`this.incorporate(type='table')`).
    const thisRelation = ctx.relation.with({ type: null });
    // A seed's context has dbt's load_agate_table(): its CSV, read before the render.
    const agate = node.resource_type === 'seed' ? await seedAgateTableOf(ctx) : null;
    const builtin: BuiltinRun = {};
    // A fresh context per attempt: a render repeated for its warehouse calls starts from scratch.
    const render = () => {
      const extras = materializationExtras({ node, compiledSql, render: (source) => session.jinja.renderString(source, context, `${node.original_file_path} (hook)`) });
      if (agate) extras.load_agate_table = () => agate;
      // dbt's write(), which statement('main') calls: the text target/run/ holds for the node.
      extras.write = (payload: unknown) => {
        ctx.writeRun?.(String(payload));
        return '';
      };
      const context = compiler.phase.contextFor(node, { thisRelation, incremental: ctx.incremental, extra: extras });
      Object.defineProperty(context, 'adapter', {
        value: { ...(context.adapter as Record<string, unknown>), ...materializationAdapterMembers() },
        writable: true,
        enumerable: true,
        configurable: true,
      });
      own(context, 'dbt', withBuiltinMaterializations(context, { ...ctx, conn }, deps, builtin));
      const returned = callMacro(bindMacro(session.library, macro.namespace, macro.macroName, context));
      return { returned, main: (context.load_result as (name: string) => unknown)('main') };
    };
    let result: { returned: unknown; main: unknown };
    try {
      result = await compiler.withWarehouse(conn, node.unique_id, render);
    } catch (err) {
      await conn.rollback().catch(() => undefined);
      throw err;
    }
    if (conn.inTemplateTransaction) {
      // dbt releases the node's connection, which rolls back a transaction left open.
      await conn.rollback();
      session.services.log(
        `${node.unique_id}: materialization '${node.config.materialized}' ended with its transaction open: rolled back, as dbt does (call {{ adapter.commit() }} after the statements to keep)`,
        'warn',
      );
    }
    const info = session.library.info(macro.namespace, macro.macroName);
    const where: SourceLocation = info ? { file: info.path, line: info.line } : { file: node.original_file_path };
    // A data test's result is main's row (dbt's TestRunner ignores what the macro returns): the
    // built-in's outcome while the `main` it stored is still the last one, else the row of the
    // statement('main') the macro ran after it.
    if (node.resource_type === 'test') {
      const test = builtin.test && result.main === builtin.main ? builtin.test : dataTestOutcome(result.main, node, where);
      return { relations: [], response: mainResponse(result.main, where), test };
    }
    const relations = materializationRelations(result.returned, node, where);
    session.services.log(`${node.unique_id}: materialization '${node.config.materialized}' (${info?.path ?? macro.namespace}) built ${relations.map((r) => r.render()).join(', ') || 'no relation'}`, 'debug');
    return { relations, response: mainResponse(result.main, where) };
  };
}

/** What the last built-in a materialization called left: its test outcome and the `main` result it stored. */
interface BuiltinRun {
  test?: MaterializationOutcome['test'];
  main?: unknown;
}

function own(target: object, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * `dbt` with the built-in model materializations callable, as dbt's global project has them
 * (`dbt.materialization_table_default()`): a project's own `table` can wrap the built-in. The
 * TypeScript built-in runs as one warehouse question of the render (so once, however often the
 * render repeats); its response is stored as `main` and the relation it built is returned.
 */
function withBuiltinMaterializations(context: Record<string, unknown>, ctx: MaterializationContext, deps: UserMaterializationDeps, builtin: BuiltinRun): Record<string, unknown> {
  const namespace = Object.create((context.dbt as object | undefined) ?? null) as Record<string, unknown>;
  const { session } = deps;
  const adapterName = session.dispatchPrefixes[0] ?? 'default';
  // A snapshot's, seed's or data test's own materialization may wrap its built-in (`dbt.materialization_seed_default()`).
  const kind = ctx.node.resource_type;
  const ownKind = kind === 'snapshot' || kind === 'seed' || kind === 'test';
  const builtins = ownKind ? [kind] : MODEL_BUILTINS;
  for (const name of builtins) {
    const run = () => {
      const replay = session.replay;
      if (!replay) throw new TsdbtError(`dbt.materialization_${name}_default() runs only while a model is built`, { code: 'warehouse-unavailable' });
      const materialize = materializationFor(ownKind ? kind : 'model', name, { file: ctx.node.original_file_path });
      const outcome = replay.ask(`materialization ${name} (built-in)`, (conn) => materialize({ ...ctx, conn }));
      const { response } = outcome;
      if (outcome.test) builtin.test = outcome.test;
      (context.store_raw_result as (...args: unknown[]) => unknown)('main', response.message, response.code, response.rowsAffected ?? null, outcome.test ? dataTestMainTable(outcome.test) : null);
      builtin.main = (context.load_result as (name: string) => unknown)('main');
      return { relations: [ctx.relation.with({ type: name === 'view' || name === 'materialized_view' ? name : 'table' })] };
    };
    own(namespace, materializationMacroName(name, 'default'), run);
    if (adapterName !== 'default') own(namespace, materializationMacroName(name, adapterName), run);
  }
  return namespace;
}

function invalid(message: string, location: SourceLocation): TsdbtError {
  return new TsdbtError(message, {
    code: 'materialization-return',
    location,
    hint: "end the materialization with {{ return({'relations': [target_relation]}) }}",
  });
}

/** dbt's ModelRunner._materialization_relations: the returned dict's `relations`, each a Relation. */
export function materializationRelations(returned: unknown, node: ManifestNode, location: SourceLocation): Relation[] {
  const materialized = node.config.materialized;
  // A macro without return() gives its rendered text.
  if (typeof returned === 'string' || returned instanceof String) {
    throw invalid(`The materialization ("${materialized}") did not explicitly return a list of relations to add to the cache.`, location);
  }
  if (typeof returned !== 'object' || returned === null || Array.isArray(returned)) {
    throw invalid(`Invalid return value from materialization, expected a dict with key "relations", got: ${returned === null || returned === undefined ? 'None' : String(returned)}`, location);
  }
  const dict = returned as Record<string, unknown>;
  if (!('relations' in dict)) throw invalid(`Invalid return value from materialization, "relations" not found, got keys: ${JSON.stringify(Object.keys(dict))}`, location);
  const relations = dict.relations;
  if (!Array.isArray(relations)) throw invalid(`Invalid return value from materialization, "relations" not a list, got: ${String(relations)}`, location);
  for (const relation of relations) {
    if (!(relation instanceof Relation)) throw invalid(`Invalid return value from materialization, "relations" contains non-Relation: ${String(relation)}`, location);
  }
  return relations as Relation[];
}

/** dbt's _build_run_model_result: the node's response is `statement('main')`'s. */
function mainResponse(main: unknown, location: SourceLocation): AdapterResponse {
  const response = (main as { response?: { _message?: unknown; code?: unknown; rows_affected?: unknown } } | null)?.response;
  if (!main || !response) {
    throw new TsdbtError('main is not being called during running model', {
      code: 'materialization-no-main',
      location,
      hint: "run the model's SQL in {% call statement('main') %} ... {% endcall %} (its result is the node's status and adapter_response)",
    });
  }
  const message = String(response._message ?? '');
  const rows = response.rows_affected;
  return { message, code: String(response.code ?? ''), ...(typeof rows === 'number' ? { rowsAffected: rows } : {}) };
}

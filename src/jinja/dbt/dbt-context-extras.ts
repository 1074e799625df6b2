// Context members of dbt's Jinja reference beyond the node's own (docs "dbt Jinja functions"):
// dbt_version, debug, diff_of_two_dicts, thread_id, invocation_args_dict, dbt_metadata_envs,
// selected_resources, and the `exceptions` namespace. Shared by every render of an invocation.
import type { ErrorCode } from '../../errors/codes.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { DBT_VERSION } from '../../manifest/dbt-version.js';
import { dictEntries } from '../engine/py-dict.js';
import { iter } from '../engine/py-ops.js';
import { pyRepr, pyStr } from '../engine/py-repr.js';
import { callArgs, isKeywords, stripKeywords } from '../pylib/args/index.js';
import { snapshotTimestampWarning } from './snapshot-members.js';

/** What the invocation knows about itself, read when a template asks. */
export interface InvocationFacts {
  flags: Record<string, unknown>;
  env: NodeJS.ProcessEnv;
  /** Unique ids the command selected (empty while parsing). */
  selectedResources?: () => string[];
  /** The CLI arguments as dbt's `invocation_args_dict` shows them. */
  invocationArgs?: () => Record<string, unknown>;
  log: (message: string, level: 'info' | 'debug' | 'warn') => void;
}

/** dbt's `diff_of_two_dicts`: dict_a minus dict_b, keys and values compared case-insensitively. */
export function diffOfTwoDicts(a: unknown, b: unknown): Record<string, unknown> {
  const fold = (s: unknown) => pyStr(s).toLowerCase();
  const lowered = new Map<string, string[]>();
  for (const [k, v] of dictEntries(b ?? {})) lowered.set(fold(k), iter(v).map(fold));
  const out: Record<string, unknown> = {};
  for (const [k, v] of dictEntries(a ?? {})) {
    const other = lowered.get(fold(k));
    if (!other) {
      out[pyStr(k)] = v;
      continue;
    }
    const diff = iter(v).filter((x) => !other.includes(fold(x)));
    if (diff.length) out[pyStr(k)] = diff;
  }
  return out;
}

/** The env vars dbt records in artifacts: `DBT_ENV_CUSTOM_ENV_<NAME>`, keyed by `<NAME>`. */
export function metadataEnvs(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (k.startsWith('DBT_ENV_CUSTOM_ENV_') && v !== undefined) out[k.slice('DBT_ENV_CUSTOM_ENV_'.length)] = v;
  return out;
}

// dbt's raise_compiler_error(msg, node=None) and warn(msg, node=None): the message may come by keyword.
const message = (args: unknown[]) => pyStr(callArgs(args, ['msg', 'node']).msg ?? '');

/** dbt's `exceptions` namespace: raise_* functions stop the render with dbt's message; warn logs. */
export function exceptionsNamespace(parse: boolean, log: InvocationFacts['log']): Record<string, unknown> {
  const raise = (code: ErrorCode, category: 'user' | 'database' = 'user') => (...args: unknown[]) => {
    throw new TsdbtError(message(args), { code, category });
  };
  const fixed = (code: ErrorCode, text: (...args: unknown[]) => string) => (...args: unknown[]) => {
    throw new TsdbtError(text(...args.map((a) => (isKeywords(a) ? stripKeywords(a) : a))), { code });
  };
  return {
    raise_compiler_error: raise('compiler-error'),
    raise_not_implemented: raise('not-implemented'),
    raise_database_error: raise('database-error', 'database'),
    raise_contract_error: fixed('contract-error', (yaml, sql) => `This model has an enforced contract that failed.\nPlease ensure the name, data_type, and number of columns in your contract match the columns in your model's definition.\n\n${pyStr(yaml)}\n${pyStr(sql)}`),
    raise_fail_fast_error: raise('fail-fast'),
    raise_dependency_error: raise('dependency-error'),
    raise_dep_not_found: fixed('dependency-not-found', (node, name) => `'${pyStr(name)}' was not found: it is a dependency of ${describe(node)}`),
    raise_already_exists: fixed('already-exists', (relation) => `Relation ${pyStr(relation)} already exists`),
    raise_ambiguous_alias: fixed('ambiguous-alias', (a, b, duped) => `dbt found two resources with the database representation "${pyStr(duped)}": ${describe(a)} and ${describe(b)}`),
    raise_duplicate_resource_name: fixed('duplicate-resource', (a, b) => `dbt found two resources with the name ${describe(a)} and ${describe(b)}`),
    raise_duplicate_patch_name: fixed('duplicate-patch', (a) => `dbt found two schema.yml entries for the same resource: ${describe(a)}`),
    raise_invalid_property_yml_version: fixed('property-yml-version', (path, issue) => `The yml property file at ${pyStr(path)} is invalid because ${pyStr(issue)}`),
    raise_cache_inconsistent: raise('cache-inconsistent'),
    raise_dataclass_not_dict: fixed('not-a-dict', (obj) => `The object ("${pyRepr(obj)}") was used as a dictionary`),
    missing_config: fixed('config-missing', (model, name) => `Model '${describe(model)}' does not define a required config parameter '${pyStr(name)}'.`),
    missing_materialization: fixed('materialization-missing', (model, adapterType) => `No materialization '${pyStr((model as { config?: { materialized?: unknown } })?.config?.materialized)}' was found for adapter ${pyStr(adapterType)}!`),
    missing_relation: fixed('relation-missing', (relation) => `Relation ${pyStr(relation)} not found!`),
    relation_wrong_type: fixed('relation-wrong-type', (relation, expected) =>
      `Trying to create ${pyStr(expected)} ${pyStr(relation)}, but it currently exists as a ${pyStr((relation as { type?: unknown })?.type)}. Either drop ${pyStr(relation)} manually, or run dbt with \`--full-refresh\` and dbt will drop it for you.`),
    column_type_missing: fixed('column-type-missing', (names) => `Contracted models require data_type to be defined for each column. Please ensure that the column name and data_type are defined within the YAML configuration for the ${pyRepr(names)} column(s).`),
    // dbt's warn fires in every phase: a warning at a model's top level is printed while parsing too.
    warn: (...args: unknown[]) => {
      log(message(args), 'warn');
      return '';
    },
    warn_snapshot_timestamp_data_types: (...args: unknown[]) => {
      const [snapshotType = '', columnType = ''] = args.map(pyStr);
      if (!parse && snapshotType !== columnType) log(snapshotTimestampWarning(snapshotType, columnType), 'warn');
      return '';
    },
  };
}

function describe(node: unknown): string {
  if (node && typeof node === 'object' && 'unique_id' in node) return pyStr(node.unique_id);
  return pyStr(node);
}

/** dbt_version, debug, diff_of_two_dicts, adapter_macro (which raises), thread_id, invocation_args_dict, dbt_metadata_envs, selected_resources. */
export function dbtContextExtras(facts: InvocationFacts): Record<string, unknown> {
  const extras: Record<string, unknown> = {
    // The dbt version tsdbt follows (what artifacts record as dbt_version).
    dbt_version: DBT_VERSION,
    // dbt's debug() opens a Python debugger when DBT_MACRO_DEBUGGING is set; there is none here.
    debug: () => '',
    diff_of_two_dicts: (...args: unknown[]) => {
      const { dict_a, dict_b } = callArgs(args, ['dict_a', 'dict_b']);
      return diffOfTwoDicts(dict_a, dict_b);
    },
    // dbt's context member that only raises (deprecated in 0.18 for adapter.dispatch).
    adapter_macro: (...args: unknown[]) => {
      const { name } = callArgs(args, ['name']);
      throw new TsdbtError(
        `The "adapter_macro" macro has been deprecated. Instead, use the \`adapter.dispatch\` method to find a macro and call the result.  For more information, see: https://docs.getdbt.com/reference/dbt-jinja-functions/dispatch) adapter_macro was called for: ${pyStr(name)}`,
        { code: 'adapter-macro-removed', hint: "call `adapter.dispatch('macro_name', 'package')(args)` instead" },
      );
    },
  };
  Object.defineProperties(extras, {
    // Read on use: the environment is only scanned by templates that ask.
    dbt_metadata_envs: { enumerable: true, get: () => metadataEnvs(facts.env) },
    selected_resources: { enumerable: true, get: () => facts.selectedResources?.() ?? [] },
    invocation_args_dict: { enumerable: true, get: () => facts.invocationArgs?.() ?? { which: facts.flags.WHICH } },
  });
  return extras;
}

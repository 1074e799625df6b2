// run_results.json's `args`: the command and the flags it ran with, under dbt's names, and the way
// back from them to InvocationOptions (`tsdbt retry` re-runs a command with its recorded flags).
// One module for both directions, so what is written is exactly what retry can read.
import type { InvocationOptions } from './invocation.js';
import { scrubSecrets, secretVarValues } from '../jinja/dbt/secret-env-vars.js';

/** The commands whose run_results.json `tsdbt retry` can repeat (dbt's RetryTask TASK_DICT, but docs generate). */
export const RETRYABLE_COMMANDS = ['run', 'build', 'test', 'seed', 'snapshot', 'compile', 'clone', 'run-operation'] as const;
export type RetryableCommand = (typeof RETRYABLE_COMMANDS)[number];

/** `args` of run_results.json for `which`, as dbt writes them (flags not given are null / []). */
export function runArgs(options: InvocationOptions, which: string, cliVars: Record<string, unknown>): Record<string, unknown> {
  return {
    which,
    select: options.select ?? [],
    exclude: options.exclude ?? [],
    selector: options.selector ?? null,
    resource_types: options.resourceTypes ?? [],
    exclude_resource_types: options.excludeResourceTypes ?? [],
    indirect_selection: options.indirectSelection ?? 'eager',
    vars: scrubbedVars(cliVars),
    target: options.target ?? null,
    profile: options.profile ?? null,
    threads: options.threads ?? null,
    full_refresh: Boolean(options.fullRefresh),
    fail_fast: Boolean(options.failFast),
    store_failures: Boolean(options.storeFailures),
    empty: Boolean(options.empty),
    sample: options.sample ?? null,
    event_time_start: options.eventTimeStart?.toISOString() ?? null,
    event_time_end: options.eventTimeEnd?.toISOString() ?? null,
    state: options.state ?? null,
    defer: Boolean(options.defer),
    defer_state: options.deferState ?? null,
    favor_state: Boolean(options.favorState),
    warn_error: options.warnError ?? null,
    warn_error_options: options.warnErrorOptions ?? null,
  };
}

/**
 * The --vars as run_results.json records them: the value of each var named DBT_ENV_SECRET_* is
 * replaced by `*****` wherever it appears in a var's value (dbt's RunResultsArtifact.from_execution_results).
 */
function scrubbedVars(vars: Record<string, unknown>): Record<string, unknown> {
  const secrets = secretVarValues(vars);
  if (secrets.length === 0) return vars;
  return Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, typeof v === 'string' ? scrubSecrets(v, secrets) : v]));
}

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v !== '' ? [v] : undefined);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const date = (v: unknown): Date | undefined => {
  const d = typeof v === 'string' ? new Date(v) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d : undefined;
};

/**
 * The options a recorded command ran with (selection, vars, target, profile, threads and the
 * build flags). What belongs to the invocation, not the command (project and profiles folders,
 * logging, --warn-error), is not taken from the record, as dbt's IGNORE_PARENT_FLAGS.
 */
export function optionsFromRunArgs(args: Record<string, unknown>): Partial<InvocationOptions> {
  const vars = args.vars;
  const indirect = text(args.indirect_selection);
  return {
    select: strings(args.select) ?? [],
    exclude: strings(args.exclude),
    selector: text(args.selector),
    resourceTypes: strings(args.resource_types)?.length ? strings(args.resource_types) : undefined,
    excludeResourceTypes: strings(args.exclude_resource_types)?.length ? strings(args.exclude_resource_types) : undefined,
    indirectSelection: indirect === 'eager' || indirect === 'cautious' || indirect === 'buildable' || indirect === 'empty' ? indirect : undefined,
    vars: typeof vars === 'string' ? vars : vars && typeof vars === 'object' && Object.keys(vars).length > 0 ? JSON.stringify(vars) : undefined,
    target: text(args.target),
    profile: text(args.profile),
    threads: typeof args.threads === 'number' && Number.isInteger(args.threads) && args.threads > 0 ? args.threads : undefined,
    fullRefresh: args.full_refresh === true,
    failFast: args.fail_fast === true,
    storeFailures: args.store_failures === true,
    empty: args.empty === true,
    sample: text(args.sample),
    eventTimeStart: date(args.event_time_start),
    eventTimeEnd: date(args.event_time_end),
    state: text(args.state),
    // A slim-CI build retried must read the same production relations it deferred to.
    defer: args.defer === true,
    deferState: text(args.defer_state),
    favorState: args.favor_state === true,
  };
}

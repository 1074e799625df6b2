// The deprecations of the invocation itself rather than of the project's files: a deprecated flag
// given (`-m`), a renamed env var set (EnvironmentVariableRenamed), a custom one under dbt's reserved
// prefix (EnvironmentVariableNamespaceDeprecation) and the spelling of the
// warn_error_options in force (`include`/`exclude`). dbt buffers them until the flags and the
// project's warn_error_options are read; a parse that repeats the last one's warnings leaves the
// last invocation's out and warns these instead.
import type { Invocation } from './invocation.js';
import { customEngineEnvVars, ENGINE_ENV_PREFIX } from './engine-env-vars.js';

/** dbt's texts (events/types.py) of the deprecations a flag given raises. */
const FLAG_DEPRECATIONS: Record<string, string> = {
  ModelParamUsageDeprecation: 'Usage of `--models`, `--model`, and `-m` is deprecated in favor of `--select` or `-s`.',
};

/** The events warnInvocationDeprecations warns: a repeated parse's record of them is the last invocation's. */
export const INVOCATION_DEPRECATIONS: ReadonlySet<string> = new Set([...Object.keys(FLAG_DEPRECATIONS), 'EnvironmentVariableRenamed', 'EnvironmentVariableNamespaceDeprecation', 'WEOIncludeExcludeDeprecation']);

/** Warns this invocation's deprecations (call once the warn_error policy in force is known). */
export function warnInvocationDeprecations(inv: Invocation): void {
  for (const event of inv.options.deprecatedFlags ?? []) {
    const text = FLAG_DEPRECATIONS[event];
    if (text) inv.logger.warnOrError(text, event);
  }
  for (const pair of inv.options.renamedEnvVars ?? []) {
    const [old, renamed] = pair.split('>') as [string, string];
    inv.logger.warnOrError(
      `The environment variable \`${old}\` has been renamed as \`${renamed}\`.\nIf \`${old}\` is currently set, its value will be used instead of \`${renamed}\`.\nSet \`${renamed}\` and unset \`${old}\` to avoid this deprecation warning and ensure it works properly in a future release.`,
      'EnvironmentVariableRenamed',
    );
  }
  for (const { event, message } of inv.logger.warnError.deprecations ?? []) inv.logger.warnOrError(message, event);
  for (const name of customEngineEnvVars(inv.env)) {
    inv.logger.warnOrError(
      `Found custom environment variable \`${name}\` in the environment. The prefix \`${ENGINE_ENV_PREFIX}\` is reserved for dbt engine environment variables. Custom environment variables with the prefix \`${ENGINE_ENV_PREFIX}\` may cause collisions and runtime errors.`,
      'EnvironmentVariableNamespaceDeprecation',
      { env_var: name, reserved_prefix: ENGINE_ENV_PREFIX },
    );
  }
}

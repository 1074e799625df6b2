// Project vars: global ones, per-package scopes, and `--vars` from the command line (YAML or
// JSON), which win over everything.
import YAML from 'yaml';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { ProjectConfig } from './types.js';
import { isPlainObject } from './yaml-file.js';
import { PYYAML_CLI_LOAD } from './pyyaml-load.js';

export function parseCliVars(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = YAML.parse(text, PYYAML_CLI_LOAD);
  } catch (err) {
    throw new TsdbtError(`--vars is not valid YAML or JSON: ${(err as Error).message.split('\n')[0]}`, {
      code: 'vars-invalid',
      hint: "quote it for your shell, e.g. --vars '{session_timeout_minutes: 45}'",
    });
  }
  if (value === null || value === undefined) return {};
  if (!isPlainObject(value)) {
    throw new TsdbtError('--vars must be a mapping of names to values', { code: 'vars-invalid', hint: "e.g. --vars '{key: value}'" });
  }
  return value;
}

/**
 * The vars a node of `packageName` sees: every top-level key of `vars:` (a key named after a package
 * included: dbt's VarProvider.vars_for starts from the whole mapping, so `var('my_package')` is that
 * package's scope as a dict), then the keys of the `<packageName>:` scope over them, then --vars.
 */
export function resolveVars(config: ProjectConfig, packageName: string, cliVars: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config.vars };
  const scoped = config.vars[packageName];
  if (isPlainObject(scoped)) Object.assign(out, scoped);
  return Object.assign(out, cliVars);
}

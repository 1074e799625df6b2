// Project vars: global ones, per-package scopes, and `--vars` from the command line (YAML or
// JSON), which win over everything.
import YAML from 'yaml';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { ProjectConfig } from './types.js';
import { isPlainObject } from './yaml-file.js';
import { PYYAML_LOAD } from './pyyaml-load.js';

export function parseCliVars(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = YAML.parse(text, PYYAML_LOAD);
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

/** The vars a node of `packageName` sees. */
export function resolveVars(config: ProjectConfig, packageName: string, cliVars: Record<string, unknown>, packageNames: string[] = [config.name]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config.vars)) {
    if (packageNames.includes(key) && isPlainObject(value)) continue;
    out[key] = value;
  }
  const scoped = config.vars[packageName];
  if (isPlainObject(scoped)) Object.assign(out, scoped);
  return Object.assign(out, cliVars);
}

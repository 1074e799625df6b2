// Which macro `tsdbt run-operation <macro>` names, found as dbt's macro resolver finds it: a
// `package.macro` name in that package; a bare name in the root project first, then in the
// installed packages, then in dbt's global macros (`dbt run-operation generate_source` reaches
// dbt-codegen's macro without its prefix). An unknown name is an error with "did you mean".
import YAML from 'yaml';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { isPlainObject } from '../config/yaml-file.js';
import { closestName } from '../errors/did-you-mean.js';
import type { MacroNode } from '../manifest/types.js';
import { GLOBAL_NAMESPACE } from '../jinja/dbt/macro-scope.js';
import { PYYAML_CLI_LOAD } from '../config/pyyaml-load.js';

export interface OperationMacro {
  /** The namespace (package) the macro is defined in. */
  namespace: string;
  name: string;
  node: MacroNode;
}

/** `macro` or `package.macro`, resolved against the manifest's macros. */
export function findOperationMacro(spec: string, macros: Record<string, MacroNode>, rootProject: string, packages: string[]): OperationMacro {
  const dot = spec.indexOf('.');
  const wanted = dot < 0 ? null : spec.slice(0, dot);
  const name = dot < 0 ? spec : spec.slice(dot + 1);
  const namespaces = wanted !== null ? [wanted] : [rootProject, ...packages.filter((p) => p !== rootProject).sort(), GLOBAL_NAMESPACE];
  for (const namespace of namespaces) {
    const node = macros[`macro.${namespace}.${name}`];
    if (node) return { namespace, name, node };
  }
  const all = Object.values(macros);
  const knownPackage = wanted === null || all.some((m) => m.package_name === wanted);
  const candidates = all.filter((m) => wanted === null || m.package_name === wanted).map((m) => (wanted === null ? m.name : `${m.package_name}.${m.name}`));
  const packageNames = [...new Set(all.map((m) => m.package_name))];
  const suggestion = knownPackage ? closestName(spec, candidates) : closestName(wanted ?? '', packageNames);
  const where = wanted === null ? 'in any package' : knownPackage ? `in package '${wanted}'` : `: there is no package '${wanted}'`;
  throw new TsdbtError(`tsdbt could not find a macro with the name '${spec}' ${where}`.replace(' :', ':'), {
    code: 'macro-not-found',
    hint: suggestion
      ? `did you mean '${knownPackage ? suggestion : `${suggestion}.${name}`}'?`
      : 'define it with {% macro name(...) %} in a file under macro-paths, or install the package that provides it (tsdbt deps)',
  });
}

/** `--args`: a YAML (or JSON) mapping of the macro's keyword arguments. */
export function parseOperationArgs(text: string | undefined): Record<string, unknown> {
  if (text === undefined || text.trim() === '') return {};
  let value: unknown;
  try {
    value = YAML.parse(text, PYYAML_CLI_LOAD);
  } catch (err) {
    throw new TsdbtError(`--args is not valid YAML: ${(err as Error).message.split('\n')[0]}`, {
      code: 'args-invalid',
      hint: "pass a mapping of the macro's arguments, quoted for your shell, e.g. --args '{days: 7, dry_run: true}'",
    });
  }
  if (value === null || value === undefined) return {};
  if (!isPlainObject(value)) {
    throw new TsdbtError('--args must be a mapping of argument names to values', { code: 'args-invalid', hint: "e.g. --args '{role: reporter}'" });
  }
  return value;
}

// The checks dbt makes of one semantic-layer property entry as it reads it, before anything is
// linked (schema_yaml_readers.py: `UnparsedMetric.validate(data)`, `UnparsedSemanticModel...`,
// `UnparsedSavedQuery...`, each a YamlParseDictError "Invalid <section> config given in <file>"):
// - the keys dbt's dataclass requires: a metric's name, label, type and type_params; a semantic
//   model's name and model, and each entity's name and type, measure's name and agg, dimension's
//   name and type; a saved query's name and query_params;
// - a metric's name: no spaces, at most 250 characters, a letter first, then letters, digits and
//   underscores only (UnparsedMetric.validate, one message with every rule it breaks);
// - a metric's type is one of dbt's MetricType values (MetricType(unparsed.type));
// - a window (`type_params.window`, a cumulative or conversion metric's) reads "<count> <grain>"
//   (MetricParser._get_optional_time_window);
// - an exposure (ExposureParser: `UnparsedExposure.validate(data)`) has a name, a type among
//   dbt's ExposureType values, an owner with a name or an email, and a maturity among low,
//   medium and high when it has one.
import { isPlainObject } from '../config/yaml-file.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { YamlWarning } from '../config/yaml-file.js';
import type { DeclaredEntry } from '../project/types.js';

const METRIC_TYPES = ['simple', 'ratio', 'cumulative', 'derived', 'conversion'];

const EXPOSURE_TYPES = ['dashboard', 'notebook', 'analysis', 'ml', 'application'];
const MATURITIES = ['low', 'medium', 'high'];

const REQUIRED: Partial<Record<DeclaredEntry['section'], string[]>> = {
  exposures: ['name', 'type', 'owner'],
  metrics: ['name', 'label', 'type', 'type_params'],
  semantic_models: ['name', 'model'],
  saved_queries: ['name', 'query_params'],
};

/** Each element list of a semantic model with the keys its elements require. */
const ELEMENT_KEYS: [string, string[]][] = [
  ['entities', ['name', 'type']],
  ['measures', ['name', 'agg']],
  ['dimensions', ['name', 'type']],
];

const DOCS: Partial<Record<DeclaredEntry['section'], string>> = {
  metrics: 'https://docs.getdbt.com/docs/build/metrics-overview',
  semantic_models: 'https://docs.getdbt.com/docs/build/semantic-models',
  saved_queries: 'https://docs.getdbt.com/docs/build/saved-queries',
  exposures: 'https://docs.getdbt.com/docs/build/exposures',
};

/** The rules of dbt's UnparsedMetric.validate a metric name breaks (none: valid). */
export function metricNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.includes(' ')) problems.push('cannot contain spaces');
  if (name.length > 250) problems.push('cannot contain more than 250 characters');
  if (!/^[A-Za-z]/.test(name)) problems.push('must begin with a letter');
  if (!/^[\p{L}\p{N}\p{M}_]+$/u.test(name)) problems.push('must contain only letters, numbers and underscores');
  return problems;
}

/** The first problem dbt refuses in this entry as it reads it, or null. */
export function semanticEntryError(declared: DeclaredEntry, file: string): TsdbtError | null {
  const { section, entry, location } = declared;
  const required = REQUIRED[section];
  if (!required) return null;
  const invalid = (problem: string, hint: string) =>
    new TsdbtError(`Invalid ${section} config given in ${file} @ ${section}: ${problem}`, { code: 'semantic-entry-invalid', location, hint: `${hint} (${DOCS[section]})` });
  const missing = required.find((key) => entry[key] === undefined || entry[key] === null);
  if (missing) return invalid(`'${missing}' is a required property${typeof entry.name === 'string' ? ` (of '${entry.name}')` : ''}`, `add \`${missing}:\` to the entry`);
  if (section === 'semantic_models') {
    for (const [list, keys] of ELEMENT_KEYS) {
      const elements: unknown[] = Array.isArray(entry[list]) ? entry[list] : [];
      for (const element of elements) {
        const key = keys.find((k) => !isPlainObject(element) || element[k] === undefined || element[k] === null);
        if (key) return invalid(`'${key}' is a required property (in \`${list}:\` of semantic model '${String(entry.name)}')`, `give each of its ${list} a \`${key}:\``);
      }
    }
  }
  if (section === 'exposures') return exposureProblem(entry, invalid);
  if (section !== 'metrics') return null;
  const name = String(entry.name);
  const problems = metricNameProblems(name);
  if (problems.length > 0) return invalid(`The metric name '${name}' is invalid.  It ${problems.join(', ')}`, 'name metrics with letters, digits and underscores, starting with a letter (at most 250 characters)');
  const type = String(entry.type).toLowerCase();
  if (!METRIC_TYPES.includes(type)) return invalid(`'${String(entry.type)}' is not a valid MetricType`, `write \`type:\` as one of ${METRIC_TYPES.join(', ')}`);
  if (!isPlainObject(entry.type_params)) return invalid(`${JSON.stringify(entry.type_params)} is not of type 'object' (type_params)`, 'write `type_params:` as a mapping');
  const params = entry.type_params;
  const windows = [params.window, isPlainObject(params.cumulative_type_params) ? params.cumulative_type_params.window : undefined, isPlainObject(params.conversion_type_params) ? params.conversion_type_params.window : undefined];
  for (const window of windows) {
    if (window === undefined || window === null) continue;
    const problem = windowProblem(window);
    if (problem) return invalid(problem, 'write the window as `<count> <granularity>`, e.g. `28 days`');
  }
  return null;
}

/** dbt's _get_optional_time_window: "<count> <granularity>" with a whole count. */
function windowProblem(window: unknown): string | null {
  if (typeof window !== 'string') return `Invalid window (${JSON.stringify(window)}) in cumulative/conversion metric. Should be of the form \`<count> <granularity>\`, e.g., \`28 days\``;
  const parts = window.toLowerCase().split(' ');
  if (parts.length !== 2) return `Invalid window (${window}) in cumulative/conversion metric. Should be of the form \`<count> <granularity>\`, e.g., \`28 days\``;
  const count = parts[0] as string;
  if (!/^\d+$/.test(count)) return `Invalid count (${count}) in cumulative/conversion metric window string: (${window})`;
  return null;
}

/** What dbt's UnparsedExposure refuses once its required keys are there: the type, maturity and owner. */
function exposureProblem(entry: Record<string, unknown>, invalid: (problem: string, hint: string) => TsdbtError): TsdbtError | null {
  const enumProblem = (key: string, allowed: string[]) => {
    const value = entry[key];
    if (value === undefined || value === null || allowed.includes(String(value))) return null;
    return invalid(`${JSON.stringify(value).replace(/^"|"$/g, "'")} is not one of [${allowed.map((v) => `'${v}'`).join(', ')}]`, `write \`${key}:\` as one of ${allowed.join(', ')}`);
  };
  const badType = enumProblem('type', EXPOSURE_TYPES) ?? enumProblem('maturity', MATURITIES);
  if (badType) return badType;
  const owner = entry.owner;
  if (!isPlainObject(owner)) return invalid(`${JSON.stringify(owner)} is not of type 'object' (owner)`, 'write `owner:` as a mapping with `name:` and/or `email:`');
  if ((owner.name === undefined || owner.name === null) && (owner.email === undefined || owner.email === null)) {
    return invalid("Exposure owner must have at least one of 'name' or 'email'.", 'give the owner a `name:` or an `email:`');
  }
  return null;
}

/**
 * dbt's ExposureNameDeprecation (UnparsedExposure.validate): an exposure's name should hold only
 * letters, digits, underscores and hyphens (Python's `[\w-]+$`); `label:` is for a display title.
 */
export function exposureNameWarning(declared: DeclaredEntry): YamlWarning | null {
  const { section, entry, location } = declared;
  if (section !== 'exposures' || typeof entry.name !== 'string' || /^[\p{L}\p{N}\p{M}\p{Pc}-]+$/u.test(entry.name)) return null;
  return {
    event: 'ExposureNameDeprecation',
    message:
      "Starting in v1.3, the 'name' of an exposure should contain only letters, numbers, and underscores. Exposures support a new property, 'label', which may contain spaces, capital letters, and special characters. " +
      `${entry.name} does not follow this pattern. Please update the 'name', and use the 'label' property for a human-friendly title. This will raise an error in a future version of dbt-core.`,
    location,
  };
}

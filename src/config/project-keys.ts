// Keys of dbt_project.yml that dbt does not know: dbt 1.10+ validates the file against its JSON
// schema (jsonschema-deprecations.ts) and warns about an unknown top-level key
// (CustomTopLevelKeyDeprecation: `modle-paths` is silently ignored otherwise, and the models are
// not found; said on every adapter), a config key without its `+` in a resource tree
// (MissingPlusPrefixDeprecation), a `+key` it does not know (CustomKeyInConfigDeprecation) and the
// rest (shown only where dbt validates: app/jsonschema-gate.ts); about the pre-1.0 names
// `source-paths` / `data-paths` (ConfigSourcePathDeprecation, ConfigDataPathDeprecation); and about a
// `log-path` / `target-path` other than the default (ConfigLogPathDeprecation, ConfigTargetPathDeprecation).
import type { SourceLocation } from '../errors/tsdbt-error.js';
import { closestName } from '../errors/did-you-mean.js';
import { projectFileDeprecations, type SchemaDeprecation } from './jsonschema-deprecations.js';
import type { YamlWarning } from './yaml-file.js';

/** The top-level keys of dbt-core 1.11's dbt_project.yml schema (jsonschemas/dbt-project.schema.json). */
export const PROJECT_KEYS = new Set(
  'analyses analysis-paths asset-paths clean-targets config-version data_tests dbt-cloud dispatch docs-paths exposures flags function-paths functions log-path macro-paths metrics model-paths models name on-run-end on-run-start packages-install-path profile query-comment quoting require-dbt-version restrict-access saved-queries seed-paths seeds semantic-models snapshot-paths snapshots sources sync target-path test-paths tests unit_tests vars version'.split(' '),
);

/** Pre-1.0 names dbt still reads, with a deprecation warning. */
const RENAMED: Record<string, { to: string; event: string }> = {
  'source-paths': { to: 'model-paths', event: 'ConfigSourcePathDeprecation' },
  'data-paths': { to: 'seed-paths', event: 'ConfigDataPathDeprecation' },
};

/**
 * Folders dbt 1.5+ wants set by flag or env var instead (Project.check_config_path): a value other
 * than the default is ConfigLogPathDeprecation / ConfigTargetPathDeprecation.
 */
const FLAG_PATHS: Record<string, { default: string; event: string; output: string; flag: string; env: string }> = {
  'log-path': { default: 'logs', event: 'ConfigLogPathDeprecation', output: 'logs', flag: '--log-path', env: 'DBT_LOG_PATH' },
  'target-path': { default: 'target', event: 'ConfigTargetPathDeprecation', output: 'artifacts', flag: '--target-path', env: 'DBT_TARGET_PATH' },
};

/** dbt's ConfigLogPathDeprecation / ConfigTargetPathDeprecation text. */
function flagPathMessage(key: string, p: { output: string; flag: string; env: string }): string {
  return `The \`${key}\` config in \`dbt_project.yml\` has been deprecated, and will no longer be supported in a future version of dbt-core. If you wish to write dbt ${p.output} to a custom directory, please use the ${p.flag} CLI flag or ${p.env} env var instead.`;
}

export interface ProjectKeyOptions {
  /** An installed package's file: dbt validates the root project's only, so it gets tsdbt's own warnings alone. */
  isPackage?: boolean;
  /**
   * dbt runs its JSON-schema checks on this adapter (app/jsonschema-gate.ts): the file is validated
   * whole. Otherwise only its top-level keys are looked at (no validator is loaded: this runs at
   * every command's start).
   */
  dbtSchemaChecks?: boolean;
}

/** What dbt warns about a dbt_project.yml (`raw` as written, before Jinja renders). */
export function projectKeyWarnings(raw: Record<string, unknown>, file: string, locate: (path: (string | number)[]) => SourceLocation, options: ProjectKeyOptions = {}): YamlWarning[] {
  const isPackage = options.isPackage === true;
  const out: (YamlWarning & { order: number })[] = [];
  for (const key of Object.keys(raw)) {
    const flagPath = FLAG_PATHS[key];
    if (flagPath && raw[key] !== flagPath.default) {
      const location = locate([key]);
      out.push({ event: flagPath.event, message: flagPathMessage(key, flagPath), data: { deprecated_path: key }, location, order: location.line ?? 0 });
    }
    const renamed = RENAMED[key];
    if (!renamed) continue;
    const location = locate([key]);
    out.push({
      event: renamed.event,
      message: `The \`${key}\` config has been renamed to \`${renamed.to}\`. Please update your \`dbt_project.yml\` configuration to reflect this change.`,
      location,
      order: location.line ?? 0,
    });
  }
  const validated = options.dbtSchemaChecks === true && !isPackage;
  for (const d of validated ? projectFileDeprecations(raw, file) : unknownTopLevelKeys(raw, file)) {
    const location = locate(d.path);
    const base = { event: d.event, data: d.data, location, order: location.line ?? 0 };
    if (d.event === 'CustomTopLevelKeyDeprecation' && !CONTRACT_KEYS.has(d.key ?? '')) {
      // A key dbt's Project contract does not have either (projectContractErrors stops the load on it).
      const near = closestName(d.key ?? '', PROJECT_KEYS);
      out.push({ ...base, message: `${d.message}.${near ? ` Did you mean \`${near}\`?` : ''} dbt ignores it.` });
    } else if (!isPackage) {
      const message = d.event === 'CustomTopLevelKeyDeprecation' ? `${d.message}.` : d.message;
      out.push({ ...base, message, dbtValidationOnly: true, ...(d.event === 'GenericJSONSchemaValidationDeprecation' ? { preview: true as const } : {}) });
    }
  }
  return out.sort((a, b) => a.order - b.order).map(({ order: _order, ...w }) => w);
}

/** The top-level keys neither dbt's schema nor its Project contract has, as the schema check words them. */
function unknownTopLevelKeys(raw: Record<string, unknown>, file: string): SchemaDeprecation[] {
  return Object.keys(raw)
    .filter((key) => !PROJECT_KEYS.has(key) && !CONTRACT_KEYS.has(key))
    .map((key) => ({ event: 'CustomTopLevelKeyDeprecation', message: `Unexpected top-level key ${key} in file \`${file}\``, path: [key], data: { msg: `Unexpected top-level key ${key}`, file }, key }));
}

/**
 * The keys dbt-core 1.11's Project contract has (contracts/project.py, hyphenated aliases): the
 * file is validated against it with additionalProperties false, so any other top-level key stops
 * the load with a ProjectContractError, after the CustomTopLevelKeyDeprecation warning above.
 */
const CONTRACT_KEYS = new Set(
  'name config-version version project-root source-paths model-paths macro-paths data-paths seed-paths test-paths analysis-paths docs-paths asset-paths function-paths target-path snapshot-paths clean-targets profile log-path packages-install-path quoting on-run-start on-run-end require-dbt-version dispatch models seeds snapshots analyses sources tests data_tests unit_tests metrics semantic-models saved-queries exposures functions vars packages query-comment restrict-access dbt-cloud flags'.split(' '),
);

/** dbt's sem_ver_pattern (contracts/project.py): `version` is such a string, or a number. */
const SEM_VER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)(\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?)?$/;

const pyRepr = (value: unknown) => (typeof value === 'string' ? `'${value}'` : JSON.stringify(value));

/** What dbt's Project contract refuses in the file, in jsonschema's words as dbt prints them (`at path [...]: ...`). */
export function projectContractErrors(raw: Record<string, unknown>, locate: (path: (string | number)[]) => SourceLocation): { message: string; location: SourceLocation; hint: string }[] {
  const out: { message: string; location: SourceLocation; hint: string }[] = [];
  const extra = Object.keys(raw).filter((key) => !CONTRACT_KEYS.has(key) && key !== '<<');
  if (extra.length > 0) {
    const near = extra.map((key) => closestName(key, CONTRACT_KEYS)).find(Boolean);
    out.push({
      message: `at path []: Additional properties are not allowed (${extra.map(pyRepr).join(', ')} ${extra.length === 1 ? 'was' : 'were'} unexpected)`,
      location: locate([extra[0] ?? '']),
      hint: `${near ? `did you mean \`${near}\`? ` : ''}dbt_project.yml takes only dbt's keys (https://docs.getdbt.com/reference/dbt_project.yml); remove ${extra.length === 1 ? 'it' : 'them'} or move ${extra.length === 1 ? 'it' : 'them'} under \`vars:\``,
    });
  }
  const version = raw.version;
  if (version !== undefined && version !== null && typeof version !== 'number' && !(typeof version === 'string' && SEM_VER.test(version))) {
    out.push({ message: `at path ['version']: ${pyRepr(version)} is not valid under any of the given schemas`, location: locate(['version']), hint: "write a semantic version such as version: '1.0.0'" });
  }
  const cloud = raw['dbt-cloud'];
  if (cloud !== undefined && cloud !== null && (typeof cloud !== 'object' || Array.isArray(cloud))) {
    out.push({ message: `at path ['dbt-cloud']: ${pyRepr(cloud)} is not valid under any of the given schemas`, location: locate(['dbt-cloud']), hint: 'dbt-cloud takes a mapping (project-id, defer-env-id, ...)' });
  }
  // dbt's Project.validate: `tests:` is the old name of `data_tests:`; both set (not empty) is refused.
  if (nonEmptyMapping(raw.tests) && nonEmptyMapping(raw.data_tests)) {
    out.push({ message: "Invalid project config: cannot have both 'tests' and 'data_tests' defined", location: locate(['tests']), hint: 'move the `tests:` configs under `data_tests:` (`tests:` is its old name)' });
  }
  return out;
}

/** Python's truth of a YAML value that should be a mapping (`data.get("tests", None)`). */
function nonEmptyMapping(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  return typeof v !== 'object' || Object.keys(v).length > 0;
}

// The kind of exception dbt raises where tsdbt raises an error of a given code, as the header dbt
// prints above a command's fatal error: dbt-common's DbtRuntimeError.__str__ writes
// `<type> Error[ in <node>]` and then the message indented, and its subclasses name the type:
// Runtime (DbtRuntimeError and the config, project, profile, selector and dependency errors that
// keep its type), Compilation (CompilationError: Jinja, refs, macros' raise_compiler_error, a
// warning made an error), Parsing (dbt-core's ParsingError: property files, versions, unit tests,
// access, a missing env var), Database (DbtDatabaseError), FailFast (dbt-core's FailFastError).
// Null where dbt prints no header: a click usage error (a bad flag value), or a plain Python
// exception (a cycle's RuntimeError, a bug); and where tsdbt's message has dbt's header already
// (a breaking contract change).
import { errorCodeInfo, type ErrorArea, type ErrorCode } from './codes.js';

/** What the header is read from (a TsdbtError). */
interface Raised {
  code: ErrorCode;
  /** 'user' | 'database' | 'internal' */
  category: string;
  location?: { file: string };
}

export type DbtErrorType = 'Runtime' | 'Compilation' | 'Parsing' | 'Database' | 'FailFast';

/** dbt's type for the codes of each area (the area's exceptions below name their own). */
const BY_AREA: Record<ErrorArea, DbtErrorType | null> = {
  command: 'Runtime',
  project: 'Runtime',
  parse: 'Compilation',
  selection: 'Runtime',
  packages: 'Runtime',
  jinja: 'Compilation',
  exceptions: 'Compilation',
  build: 'Compilation',
  warehouse: 'Database',
  loader: 'Runtime',
  internal: null,
};

/** The codes whose dbt exception is not their area's. */
const BY_CODE: Partial<Record<ErrorCode, DbtErrorType | null>> = {
  // click's own errors (a bad value of a flag): "Error: Invalid value for ...", no header.
  usage: null,
  'vars-invalid': null,
  'args-invalid': null,
  'port-invalid': null,
  // warn_or_error raises EventCompilationError.
  'warning-as-error': 'Compilation',
  // dbt-core's ParsingError and its subclasses (EnvVarMissingError, DbtReferenceError, ...).
  'env-var-missing': 'Parsing',
  'secret-env-var-location': 'Parsing',
  'schema-invalid': 'Parsing',
  'freshness-invalid': 'Parsing',
  'resource-name-spaces': 'Parsing',
  'ref-private': 'Parsing',
  'invalid-access': 'Parsing',
  'invalid-group': 'Parsing',
  'version-file-twice': 'Parsing',
  'version-file-unused': 'Parsing',
  'hook-config-conflict': 'Parsing',
  'foreign-key-to-invalid': 'Parsing',
  'snapshot-invalid': 'Parsing',
  'function-invalid': 'Parsing',
  'semantic-entry-invalid': 'Parsing',
  'unit-test-model': 'Parsing',
  'unit-test-versions': 'Parsing',
  'unit-test-input': 'Parsing',
  'unit-test-fixture-missing': 'Parsing',
  // linker.py raises a Python RuntimeError ("Found a cycle: ..."), printed without a header.
  'dependency-cycle': null,
  // exceptions.raise_dependency_error / raise_dep_not_found: DependencyError keeps Runtime.
  'dependency-error': 'Runtime',
  'dependency-not-found': 'Runtime',
  'fail-fast': 'FailFast',
  // run.py's _build_run_model_result raises DbtRuntimeError("main is not being called ...").
  'materialization-no-main': 'Runtime',
  // Its message starts with dbt's header already (state/contract-changes.ts).
  'contract-breaking-change': null,
};

/**
 * A YAML file that cannot be read or rendered: a property file, read by dbt's parser, fails as a
 * ParsingError; the files a project loads from as DbtProjectError / DbtProfileError.
 */
const BY_FILE = new Set<ErrorCode>(['yaml-invalid', 'yaml-render']);
const PROJECT_FILES = /(?:^|[\\/])(?:dbt_project|profiles|packages|dependencies|selectors|catalogs)\.yml$/;

/** The header dbt prints above this error (`Runtime Error`, ...), or null for none. */
export function dbtErrorHeader(error: Raised): string | null {
  const type = dbtErrorType(error);
  return type === null ? null : `${type} Error`;
}

export function dbtErrorType(error: Raised): DbtErrorType | null {
  if (error.category === 'internal') return null;
  if (error.category === 'database') return 'Database';
  if (BY_FILE.has(error.code)) return error.location && !PROJECT_FILES.test(error.location.file) ? 'Parsing' : 'Runtime';
  if (error.code in BY_CODE) return BY_CODE[error.code] ?? null;
  let area: ErrorArea;
  try {
    area = errorCodeInfo(error.code).area;
  } catch {
    return 'Runtime';
  }
  return BY_AREA[area];
}

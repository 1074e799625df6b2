// The catalogue of error codes: every `code` a TsdbtError can carry, what it means to a user, and
// the exit codes it can end a command with. `ErrorCode` is derived from it, so a TsdbtError whose
// code is not catalogued (a typo) does not compile. The codes appear in `--log-format json` error
// lines and in tests: spell them as they are. README.md's "Error codes" section is generated from
// this file (`npm run readme:error-codes`; src/errors/codes.test.ts fails when they differ).
//
// The exit code is decided by when the error happens, not by its code: an error that stops the
// command (flags, loading the project, selection, deps, connecting before any node runs) exits
// EXIT_USAGE_OR_PROJECT_ERROR (2); one raised while a node runs (build, run, test, seed, snapshot,
// clone, source freshness, load, run-operation's macro) fails that node, the command goes on and
// exits EXIT_NODE_FAILURE (1). `exit` lists the ones a code can end with.
import { EXIT_NODE_FAILURE, EXIT_USAGE_OR_PROJECT_ERROR } from './exit-codes.js';

/** The exit codes an error can end a command with (EXIT_OK is never one). */
export type ErrorExitCode = typeof EXIT_NODE_FAILURE | typeof EXIT_USAGE_OR_PROJECT_ERROR;

/** Where in tsdbt an error comes from: the README groups the codes by it. */
export const ERROR_AREAS = {
  command: 'Command line, settings and command-specific checks',
  project: 'Project, profiles and property files',
  parse: 'Linking the project: refs, sources, versions, tests',
  selection: 'Selection, state and deferral',
  packages: 'Packages (`tsdbt deps`)',
  jinja: 'Jinja and the dbt context',
  exceptions: "dbt's `exceptions` namespace (raised by a macro)",
  build: 'Building nodes: materializations, seeds, tests',
  warehouse: 'Warehouse connections and statements',
  loader: 'Streaming (`tsdbt load`, `tsdbt produce-sample`)',
  internal: 'tsdbt itself',
} as const;

export type ErrorArea = keyof typeof ERROR_AREAS;

export interface ErrorCodeInfo {
  area: ErrorArea;
  /** What went wrong, for a user, on one line. */
  meaning: string;
  /** The exit codes it can end a command with: 2 when it stops the command, 1 when it fails a node. */
  exit: readonly ErrorExitCode[];
}

const STOPS = [EXIT_USAGE_OR_PROJECT_ERROR] as const;
const FAILS_NODE = [EXIT_NODE_FAILURE] as const;
const EITHER = [EXIT_NODE_FAILURE, EXIT_USAGE_OR_PROJECT_ERROR] as const;

/**
 * Every error code. A key with a `<placeholder>` is a family of codes made at run time:
 * `<number>` stands for digits (`clickhouse-60`), any other placeholder for letters and digits
 * (`sqlstate-42P01`).
 */
export const ERROR_CODES = {
  // Command line, settings and command-specific checks
  usage: { area: 'command', exit: STOPS, meaning: 'A command-line value is not valid (an unknown adapter or resource type, a number out of range, a bad project name).' },
  'args-invalid': { area: 'command', exit: STOPS, meaning: "`--args` of `tsdbt run-operation` is not a YAML mapping of the macro's arguments." },
  'vars-invalid': { area: 'command', exit: STOPS, meaning: '`--vars` is not a YAML or JSON mapping of names to values.' },
  'warn-error-exclusive': { area: 'command', exit: STOPS, meaning: '`--warn-error` and `--warn-error-options` (or `flags.warn_error` and `flags.warn_error_options`) are both set.' },
  'warn-error-options-invalid': { area: 'command', exit: STOPS, meaning: '`--warn-error-options` (or `flags.warn_error_options`) is not a mapping of error / warn / silence lists of event names dbt or tsdbt has.' },
  'warning-as-error': { area: 'command', exit: EITHER, meaning: 'A warning that `--warn-error` / `--warn-error-options` turns into an error (the hint names its event).' },
  'show-selection': { area: 'command', exit: STOPS, meaning: '`tsdbt show` needs `--inline`, or a `--select` that matches exactly one node.' },
  'schedule-cron-invalid': { area: 'command', exit: STOPS, meaning: '`--cron` of `tsdbt schedule` is not a cron expression, or it never fires again.' },
  'deps-setting-invalid': { area: 'command', exit: STOPS, meaning: 'A `TSDBT_DEPS_*` environment variable (timeout, retries, retry delay) is not a number of 0 or more.' },
  'deps-add-package-invalid': { area: 'command', exit: STOPS, meaning: '`tsdbt deps --add-package` lacks the `@version` that its `--source` requires.' },
  'init-input-ended': { area: 'command', exit: STOPS, meaning: "`tsdbt init`'s input ended before every question was answered." },
  'init-missing-answers': { area: 'command', exit: STOPS, meaning: '`tsdbt init` is not on a terminal and some answers were not given as flags.' },
  'init-profile-exists': { area: 'command', exit: STOPS, meaning: '`tsdbt init` would overwrite a profile that already exists in profiles.yml.' },
  'init-project-exists': { area: 'command', exit: STOPS, meaning: '`tsdbt init` would create a project in a folder that already exists.' },
  'retry-no-previous-run': { area: 'command', exit: STOPS, meaning: '`tsdbt retry` found no run_results.json of an earlier run in the target folder.' },
  'retry-invalid-run-results': { area: 'command', exit: STOPS, meaning: '`tsdbt retry` cannot read the earlier run_results.json: it is not valid JSON.' },
  'retry-node-not-found': { area: 'command', exit: STOPS, meaning: '`tsdbt retry` would repeat a node that failed or was skipped, but the project no longer has it (removed, renamed or disabled since).' },
  'retry-unsupported-command': { area: 'command', exit: STOPS, meaning: "`tsdbt retry` cannot repeat the command that wrote run_results.json (not docs generate, whose run_results.json lists only successes)." },
  'docs-missing': { area: 'command', exit: STOPS, meaning: '`tsdbt docs serve` found no generated docs site: run `tsdbt docs generate` first.' },
  'port-invalid': { area: 'command', exit: STOPS, meaning: '`--port` of `tsdbt docs serve` or `tsdbt schedule` is not a TCP port.' },
  'port-in-use': { area: 'command', exit: STOPS, meaning: 'The port to serve on is already used by another program (or another tsdbt).' },
  'port-not-permitted': { area: 'command', exit: STOPS, meaning: 'The port to serve on needs privileges this process lacks (ports below 1024).' },
  'host-not-local': { area: 'command', exit: STOPS, meaning: 'The address `docs serve --host` names is not one of this machine\'s.' },
  'listen-failed': { area: 'command', exit: STOPS, meaning: 'tsdbt could not listen on the address and port it was asked to serve on.' },
  'write-failed': { area: 'command', exit: STOPS, meaning: 'A compiled file could not be written into the target folder (permissions, disk full).' },

  // Project, profiles and property files
  'project-missing': { area: 'project', exit: STOPS, meaning: 'The project folder has no dbt_project.yml.' },
  'project-dbt-version': { area: 'project', exit: STOPS, meaning: "The project's or an installed package's `require-dbt-version` excludes the dbt version tsdbt follows (`--no-version-check` skips the check)." },
  'catalog-invalid': { area: 'project', exit: STOPS, meaning: "catalogs.yml is empty or malformed, a catalog's write integrations clash, or the adapter does not support a catalog's type." },
  'project-invalid': { area: 'project', exit: STOPS, meaning: 'dbt_project.yml has a missing or malformed key (name, dispatch, query-comment, a config value...).' },
  'project-config-version': { area: 'project', exit: STOPS, meaning: "A project (or installed package) with nodes has a `config-version` other than 2 (or the root project has): dbt 1.x parses nodes with version 2 only." },
  'profile-missing': { area: 'project', exit: STOPS, meaning: 'No profiles.yml was found, or it has no profile of the name the project (or `--profile`) asks for.' },
  'profile-invalid': { area: 'project', exit: STOPS, meaning: 'A profile or target in profiles.yml is malformed: no default target, no `type` or `schema`, a bad adapter setting.' },
  'profile-target-missing': { area: 'project', exit: STOPS, meaning: 'The target asked for (`--target` or the profile\'s `target:`) is not in the profile.' },
  'adapter-unknown': { area: 'project', exit: STOPS, meaning: "The profile target's `type` is not an adapter tsdbt knows." },
  'yaml-invalid': { area: 'project', exit: STOPS, meaning: 'A YAML file does not parse (indentation, tabs, quoting, anchors and aliases).' },
  'yaml-render': { area: 'project', exit: STOPS, meaning: 'A rendered YAML value does not convert as asked (`as_bool`, `as_number`).' },
  'schema-invalid': { area: 'project', exit: STOPS, meaning: 'A property file (e.g. models/schema.yml) or a test entry in it is malformed.' },
  'freshness-invalid': { area: 'project', exit: STOPS, meaning: "A source's `freshness:` (`warn_after` / `error_after`: count and period) is malformed." },
  'query-comment-invalid': { area: 'project', exit: EITHER, meaning: 'The `query-comment` of dbt_project.yml did not render, or contains `*/`.' },

  // Linking the project: refs, sources, versions, tests
  'dependency-cycle': { area: 'parse', exit: STOPS, meaning: 'The refs between nodes form a cycle.' },
  'duplicate-node': { area: 'parse', exit: STOPS, meaning: 'Two resources of a package have the same name, or a test is declared twice with the same arguments.' },
  'resource-name-spaces': { area: 'parse', exit: STOPS, meaning: 'A node name holds a space (its file name), which dbt refuses unless `flags: {require_resource_names_without_spaces: false}`.' },
  'duplicate-patch': { area: 'parse', exit: EITHER, meaning: 'A resource is described by two property-file entries (also `exceptions.raise_duplicate_patch_name`).' },
  'ref-private': { area: 'parse', exit: STOPS, meaning: "`ref()` reads a private model from outside its group, or a protected one of a `restrict-access` package from outside it (dbt's DbtReferenceError)." },
  'invalid-access': { area: 'parse', exit: STOPS, meaning: 'A model\'s `access` is not private, protected or public, or an ephemeral model is public (dbt\'s InvalidAccessTypeError).' },
  'invalid-group': { area: 'parse', exit: STOPS, meaning: 'A node, metric, semantic model or saved query names a `group` that no property file declares.' },
  'ref-not-found': { area: 'parse', exit: STOPS, meaning: '`ref()` names no model, seed or snapshot (the hint suggests the closest name).' },
  'function-not-found': { area: 'parse', exit: STOPS, meaning: '`function()` names no user-defined function (the hint suggests the closest name).' },
  'function-invalid': { area: 'parse', exit: STOPS, meaning: "A user-defined function's property entry has no `returns:`, or an argument without a default follows one with a default." },
  'metric-args': { area: 'parse', exit: STOPS, meaning: '`metric()` called with other than one or two strings, or, when executing, naming a metric the manifest does not have.' },
  'function-args': { area: 'parse', exit: STOPS, meaning: '`function()` called with other than one or two strings.' },
  'ref-disabled': { area: 'parse', exit: STOPS, meaning: '`ref()` names a model that is disabled.' },
  'ref-unparsed': { area: 'parse', exit: STOPS, meaning: '`ref()` names a node whose own error is reported above.' },
  'ref-version-not-found': { area: 'parse', exit: STOPS, meaning: "`ref()` asks for a version the model does not have, or the model is not versioned." },
  'source-not-found': { area: 'parse', exit: STOPS, meaning: '`source()` names no declared source table (the hint suggests the closest name).' },
  'doc-not-found': { area: 'parse', exit: STOPS, meaning: 'A description\'s `doc()` names no `{% docs %}` block of any package.' },
  'doc-args': { area: 'parse', exit: STOPS, meaning: '`doc()` called with other than one or two arguments.' },
  'source-disabled': { area: 'parse', exit: STOPS, meaning: '`source()` names a source table that is disabled.' },
  'source-unparsed': { area: 'parse', exit: STOPS, meaning: '`source()` names a source whose property file failed to load (reported above).' },
  'version-file-twice': { area: 'parse', exit: STOPS, meaning: "One model file is given as two versions' file (`defined_in:`)." },
  'version-file-unused': { area: 'parse', exit: STOPS, meaning: 'A model file is named like a versioned model but is none of its versions.' },
  'hook-config-conflict': { area: 'parse', exit: STOPS, meaning: 'A `config()` call sets a hook twice, as `pre_hook` and `pre-hook` (or `post_hook` and `post-hook`).' },
  'seed-hook-ref': { area: 'parse', exit: STOPS, meaning: "A seed's pre- or post-hook calls `ref()` or `source()`: seeds cannot depend on other nodes." },
  'foreign-key-to-invalid': { area: 'parse', exit: STOPS, meaning: "A model's foreign key constraint has a `to:` that is not one `ref()` or `source()` call." },
  'snapshot-invalid': { area: 'parse', exit: STOPS, meaning: "A YAML snapshot's `relation` is not a `ref()` or `source()` call." },
  'test-argument-render': { area: 'parse', exit: STOPS, meaning: "A generic test's arguments or config did not render (they are Jinja)." },
  'semantic-input-not-found': { area: 'parse', exit: STOPS, meaning: "A metric's measure or input metric, or a saved query's metric, names none that is declared (or one that is disabled)." },
  'semantic-entry-invalid': { area: 'parse', exit: STOPS, meaning: 'A metric, semantic model or saved query entry lacks a key dbt requires or has a value dbt refuses (a name with spaces, an unknown metric type, a bad window).' },
  'semantic-manifest-invalid': { area: 'parse', exit: STOPS, meaning: 'The semantic layer breaks a rule dbt checks at parse (no daily time spine, a time spine column without granularity, ...).' },
  'unit-test-model': { area: 'parse', exit: STOPS, meaning: 'A unit test names a resource that is not a SQL model.' },
  'unit-test-versions': { area: 'parse', exit: STOPS, meaning: "A unit test's `versions:` names a version the model does not have, or the model is not versioned." },
  'unit-test-input': { area: 'parse', exit: EITHER, meaning: "A unit test's `given:` input is not a `ref()`, `source()` or `this`, gives no rows and is no seed (parse), or names nothing (when the test runs)." },
  'unit-test-input-missing': { area: 'build', exit: FAILS_NODE, meaning: "A unit test gives no input for a ref or source its model reads (the test fails when it runs)." },
  'unit-test-fixture-missing': { area: 'parse', exit: STOPS, meaning: 'A unit test names a fixture file that does not exist in tests/fixtures/.' },

  // Selection, state and deferral
  'selector-invalid': { area: 'selection', exit: STOPS, meaning: 'A `--select` / `--exclude` criterion or a selectors.yml selector is malformed, unknown or circular.' },
  'selector-unsupported': { area: 'selection', exit: STOPS, meaning: 'A selection method tsdbt does not support yet.' },
  'state-missing': { area: 'selection', exit: STOPS, meaning: "The command, a `state:` / `result:` selector or `--defer` needs `--state` and the earlier run's artifacts." },
  'state-invalid': { area: 'selection', exit: STOPS, meaning: 'The `--state` folder or an artifact in it cannot be read as a dbt artifact.' },
  'contract-breaking-change': { area: 'selection', exit: STOPS, meaning: 'A versioned model with an enforced contract changed incompatibly since the `--state` run.' },

  // Packages (tsdbt deps)
  'packages-invalid': { area: 'packages', exit: STOPS, meaning: 'packages.yml (or dependencies.yml) is malformed: an entry without local / git / package / tarball, a hub package without version...' },
  'packages-not-installed': { area: 'packages', exit: STOPS, meaning: 'packages.yml lists packages that are not installed: run `tsdbt deps`.' },
  'package-lock-invalid': { area: 'packages', exit: STOPS, meaning: 'package-lock.yml is malformed.' },
  'package-invalid': { area: 'packages', exit: STOPS, meaning: 'A package is not a dbt package (no dbt_project.yml, or no valid `name:`).' },
  'package-missing': { area: 'packages', exit: STOPS, meaning: 'A `local:` package folder does not exist.' },
  'package-duplicate': { area: 'packages', exit: STOPS, meaning: 'Two packages, or a package and the root project, have the same name.' },
  'package-not-found': { area: 'packages', exit: STOPS, meaning: 'The package hub has no package of that name.' },
  'package-version-invalid': { area: 'packages', exit: STOPS, meaning: 'A package version or range in packages.yml is not valid.' },
  'package-version-not-found': { area: 'packages', exit: STOPS, meaning: 'No version of a hub package satisfies the requirement, or the locked version is gone from the hub.' },
  'package-version-conflict': { area: 'packages', exit: STOPS, meaning: 'Two requirements of one package have no version in common.' },
  'package-resolution-unsettled': { area: 'packages', exit: STOPS, meaning: 'Resolving package versions did not settle (requirements keep changing with the versions chosen).' },
  'package-git-revisions': { area: 'packages', exit: STOPS, meaning: 'A git package is required at several revisions.' },
  'package-git-failed': { area: 'packages', exit: STOPS, meaning: 'A git package could not be cloned or checked out (git missing, bad URL or revision).' },
  'package-git-subdirectory': { area: 'packages', exit: STOPS, meaning: "A git package's `subdirectory:` is outside its repository." },
  'package-download-missing': { area: 'packages', exit: STOPS, meaning: 'A package download URL answered 404 (no such file).' },
  'package-download-failed': { area: 'packages', exit: STOPS, meaning: 'A package could not be downloaded (network, server error).' },
  'package-checksum-mismatch': { area: 'packages', exit: STOPS, meaning: "A downloaded package's sha1 differs from the hub's: nothing was installed." },
  'package-tarball-invalid': { area: 'packages', exit: STOPS, meaning: 'A package tarball could not be unpacked.' },
  'package-tarball-layout': { area: 'packages', exit: STOPS, meaning: 'A package tarball does not hold exactly one folder with the package.' },
  'hub-unreachable': { area: 'packages', exit: STOPS, meaning: 'The package hub did not answer (after the retries).' },
  'hub-response-invalid': { area: 'packages', exit: STOPS, meaning: "The package hub's answer is not a package index." },

  // Jinja and the dbt context
  'jinja-syntax': { area: 'jinja', exit: EITHER, meaning: 'A template does not parse: an unclosed tag or block, a bad expression.' },
  'jinja-render': { area: 'jinja', exit: EITHER, meaning: 'A template failed while rendering: an undefined name, a call that does not fit, `return()` outside a macro.' },
  'statement-result-loaded': { area: 'jinja', exit: EITHER, meaning: "A template called `load_result('x')` twice for one `statement('x')` result: it can be read once (`main` excepted), as in dbt." },
  'adapter-macro-removed': { area: 'jinja', exit: EITHER, meaning: 'A template called `adapter_macro`, which dbt removed in favour of `adapter.dispatch`.' },
  'macro-not-found': { area: 'jinja', exit: EITHER, meaning: 'A macro that is called (or `tsdbt run-operation` names) does not exist.' },
  'macro-duplicate': { area: 'jinja', exit: STOPS, meaning: 'A package defines two macros of the same name.' },
  'dispatch-not-found': { area: 'jinja', exit: EITHER, meaning: '`adapter.dispatch` found no implementation of the macro for this adapter.' },
  'test-macro-not-found': { area: 'jinja', exit: EITHER, meaning: 'A test names a generic test that no `{% test %}` block defines.' },
  'var-missing': { area: 'jinja', exit: EITHER, meaning: '`var()` names a variable set neither in `vars:` nor with `--vars`, and gives no default.' },
  'env-var-missing': { area: 'jinja', exit: EITHER, meaning: '`env_var()` names an unset environment variable and gives no default.' },
  'secret-env-var-location': { area: 'jinja', exit: EITHER, meaning: '`env_var()` reads a `DBT_ENV_SECRET_` variable outside profiles.yml and packages.yml, as dbt refuses (the secret would reach compiled SQL and the artifacts).' },
  'config-required': { area: 'jinja', exit: EITHER, meaning: '`config.require()` (or `config.meta_require()`) names a config that is not set.' },
  'ref-args': { area: 'jinja', exit: EITHER, meaning: '`ref()` was called with other than one or two strings.' },
  'source-args': { area: 'jinja', exit: EITHER, meaning: '`source()` was called with other than two strings.' },
  'cross-database-reference': { area: 'jinja', exit: EITHER, meaning: "`adapter.verify_database()` got a database other than the target's (PostgreSQL reads one database per connection)." },
  'adapter-args': { area: 'jinja', exit: EITHER, meaning: 'An `adapter.*` method or builder macro got the wrong argument (e.g. no relation where it needs one).' },
  'agate-table': { area: 'jinja', exit: EITHER, meaning: 'A method of an agate table (a `run_query()` result) was called with a column it lacks or wrong arguments.' },
  'column-type': { area: 'jinja', exit: EITHER, meaning: '`api.Column` got a data type or size it cannot interpret.' },
  'no-introspect': { area: 'command', exit: EITHER, meaning: "A node's template asks the warehouse something under `compile --no-introspect`, which opens no connection (dbt's 'connection never acquired for thread')." },
  'warehouse-unavailable': { area: 'jinja', exit: EITHER, meaning: 'A template asks the warehouse something where the command does not connect (or a materialization outside a build).' },
  'render-not-deterministic': { area: 'jinja', exit: EITHER, meaning: 'A template asked the warehouse different things on two renders of the same node.' },
  'render-too-many-queries': { area: 'jinja', exit: EITHER, meaning: 'A template asked the warehouse too many times in one render (a `run_query()` in an endless loop?).' },

  // dbt's exceptions namespace (raised by a macro)
  'compiler-error': { area: 'exceptions', exit: EITHER, meaning: 'A macro called `exceptions.raise_compiler_error` (or `try_or_compiler_error`): the message is the project\'s.' },
  'not-implemented': { area: 'exceptions', exit: EITHER, meaning: 'A macro called `exceptions.raise_not_implemented`.' },
  'contract-error': { area: 'exceptions', exit: EITHER, meaning: "A macro called `exceptions.raise_contract_error`: a model's columns do not match its contract." },
  'column-type-missing': { area: 'exceptions', exit: EITHER, meaning: 'A macro called `exceptions.column_type_missing`: contracted columns lack a data_type.' },
  'fail-fast': { area: 'exceptions', exit: EITHER, meaning: 'A macro called `exceptions.raise_fail_fast_error`.' },
  'dependency-error': { area: 'exceptions', exit: EITHER, meaning: 'A macro called `exceptions.raise_dependency_error`.' },
  'dependency-not-found': { area: 'exceptions', exit: EITHER, meaning: 'A macro called `exceptions.raise_dep_not_found`: a dependency of a node was not found.' },
  'already-exists': { area: 'exceptions', exit: EITHER, meaning: 'A macro called `exceptions.raise_already_exists`: a relation already exists.' },
  'ambiguous-alias': { area: 'exceptions', exit: EITHER, meaning: 'Two resources share a database name: two nodes with one database, schema and alias (found at parse), or a macro called `exceptions.raise_ambiguous_alias`.' },
  'duplicate-resource': { area: 'exceptions', exit: EITHER, meaning: 'A macro called `exceptions.raise_duplicate_resource_name`: two resources share a name.' },
  'property-yml-version': { area: 'exceptions', exit: EITHER, meaning: 'A macro called `exceptions.raise_invalid_property_yml_version`.' },
  'cache-inconsistent': { area: 'exceptions', exit: EITHER, meaning: 'A macro called `exceptions.raise_cache_inconsistent`.' },
  'not-a-dict': { area: 'exceptions', exit: EITHER, meaning: 'A macro called `exceptions.raise_dataclass_not_dict`: an object was used as a dictionary.' },
  'config-missing': { area: 'exceptions', exit: EITHER, meaning: 'A macro called `exceptions.missing_config`: a model lacks a required config.' },
  'materialization-missing': { area: 'exceptions', exit: EITHER, meaning: 'A macro called `exceptions.missing_materialization`: no such materialization for the adapter.' },
  'relation-missing': { area: 'exceptions', exit: EITHER, meaning: 'A macro called `exceptions.missing_relation`: a relation was not found.' },
  'relation-wrong-type': { area: 'exceptions', exit: EITHER, meaning: 'A macro called `exceptions.relation_wrong_type`: a relation exists as another type (view / table).' },

  // Building nodes: materializations, seeds, tests
  'catalog-macro-result': { area: 'command', exit: EITHER, meaning: "A project's get_catalog / get_catalog_relations returned no agate table, or rows without table_schema / table_name." },
  'freshness-no-loaded-at': { area: 'build', exit: FAILS_NODE, meaning: 'A source has freshness criteria but no `loaded_at_field` or `loaded_at_query`: metadata-based freshness, which no tsdbt adapter supports.' },
  'freshness-macro-result': { area: 'build', exit: FAILS_NODE, meaning: "A project's `collect_freshness` returned something other than one row of two timestamps, max_loaded_at and snapshotted_at." },
  'test-failures-not-integer': { area: 'build', exit: FAILS_NODE, meaning: "A data test's summary query returned a `failures` that is no whole number, e.g. NULL from a fail_calc of sum() over no rows (dbt's TestResultData)." },
  'store-failures-as-invalid': { area: 'build', exit: FAILS_NODE, meaning: "A data test that stores its failures has a `store_failures_as` other than table, view or ephemeral (dbt's test materialization refuses it)." },
  'test-result-not-boolean': { area: 'build', exit: FAILS_NODE, meaning: "A data test's summary query (a project's `get_test_sql`) returned a should_warn / should_error that is no boolean (dbt's BooleanError)." },
  'materialization-unknown': { area: 'build', exit: FAILS_NODE, meaning: "A node's `materialized` names no built-in and no `{% materialization %}` for the adapter; it fails when it runs (dbt parses and compiles it)." },
  'materialization-duplicate': { area: 'build', exit: FAILS_NODE, meaning: 'Two `{% materialization %}` blocks of the same name are defined at the same level.' },
  'materialization-language': { area: 'build', exit: FAILS_NODE, meaning: "A model's language is not among its Jinja materialization's `supported_languages` (`['sql']` when the block names none)." },
  'materialization-no-main': { area: 'build', exit: FAILS_NODE, meaning: "A Jinja materialization did not run `statement('main')`." },
  'relation-name-invalid': { area: 'build', exit: FAILS_NODE, meaning: "The node's relation name is one the warehouse cannot hold (PostgreSQL: longer than 63 characters)." },
  'materialization-return': { area: 'build', exit: FAILS_NODE, meaning: "A Jinja materialization did not `return({'relations': [...]})`." },
  'materialization-unsupported': { area: 'build', exit: FAILS_NODE, meaning: 'The materialization needs something the target lacks (`distributed_table` without a cluster, `dictionary` off ClickHouse).' },
  'materialized-view-config': { area: 'build', exit: FAILS_NODE, meaning: "A materialized view's config is malformed (`on_configuration_change`; ClickHouse: `refreshable`, a `--name:begin` block, `depends_on`)." },
  'materialized-view-config-changed': { area: 'build', exit: FAILS_NODE, meaning: "A materialized view's config changed in a way the run cannot apply (indexes with `on_configuration_change: fail`; ClickHouse: refresh mode)." },
  'view-sql-security': { area: 'build', exit: FAILS_NODE, meaning: "A ClickHouse view's `sql_security` is not 'invoker' or 'definer', or its `definer` is empty (dbt-clickhouse's get_sql_security_clause)." },
  'dictionary-config': { area: 'build', exit: FAILS_NODE, meaning: "A ClickHouse dictionary model's config lacks `fields` (a list of (name, type) pairs) or `layout`." },
  'index-config-invalid': { area: 'build', exit: FAILS_NODE, meaning: "An `indexes` entry is not dbt-postgres's shape: a mapping of `columns` (a list), `unique` (a boolean) and `type`." },
  'contract-incomplete': { area: 'build', exit: FAILS_NODE, meaning: 'A model enforces a contract but does not declare every column with a data_type.' },
  'contract-mismatch': { area: 'build', exit: FAILS_NODE, meaning: "A model's SQL does not return the columns and types of its enforced contract." },
  'incremental-strategy-unknown': { area: 'build', exit: FAILS_NODE, meaning: "An incremental model's `incremental_strategy` is neither built in nor a `get_incremental_<name>_sql` macro." },
  'incremental-strategy-unsupported': { area: 'build', exit: FAILS_NODE, meaning: 'The incremental strategy is not available on this adapter.' },
  'incremental-unique-key-missing': { area: 'build', exit: FAILS_NODE, meaning: 'The incremental strategy (`legacy`, or delete+insert on ClickHouse) needs a `unique_key`.' },
  'incremental-duplicate-key': { area: 'build', exit: FAILS_NODE, meaning: "An incremental model's new rows repeat its `unique_key`." },
  'incremental-merge-columns': { area: 'build', exit: FAILS_NODE, meaning: 'A model sets both `merge_update_columns` and `merge_exclude_columns`.' },
  'incremental-schema-changed': { area: 'build', exit: FAILS_NODE, meaning: "The new rows' columns differ from the table's and `on_schema_change` is `fail`." },
  'microbatch-config': { area: 'build', exit: EITHER, meaning: 'A microbatch model lacks `event_time`, `begin` or `batch_size`, or one is malformed (refused at parse, exit 2, as dbt does).' },
  'microbatch-too-many': { area: 'build', exit: FAILS_NODE, meaning: 'A microbatch model would run more batches than the limit.' },
  'microbatch-batches-failed': { area: 'build', exit: FAILS_NODE, meaning: 'Some batches of a microbatch model failed; the others are kept.' },
  'snapshot-config': { area: 'build', exit: FAILS_NODE, meaning: "A snapshot's config is incomplete or malformed (strategy, unique_key, updated_at, check_cols...)." },
  'snapshot-target-invalid': { area: 'build', exit: FAILS_NODE, meaning: "A snapshot's existing table lacks its meta columns (dbt_scd_id, dbt_valid_from, dbt_valid_to; dbt_is_deleted for new_record)." },
  'seed-csv-invalid': { area: 'build', exit: STOPS, meaning: "A seed's CSV is malformed: empty, a quoted field never closed, a row longer than the header." },
  'seed-column-invalid': { area: 'build', exit: STOPS, meaning: "A seed's header names a column the warehouse cannot take, or two that become the same." },
  'seed-config-invalid': { area: 'build', exit: STOPS, meaning: "A seed's `quote_columns` is not true or false." },
  'bulk-load-row-width': { area: 'build', exit: FAILS_NODE, meaning: 'A bulk-loaded row (a seed or loader row) has another number of values than the table has columns.' },
  'unit-test-column': { area: 'build', exit: FAILS_NODE, meaning: "A unit test names a column its input or its model's output does not have." },
  'unit-test-input-columns': { area: 'build', exit: FAILS_NODE, meaning: "A unit test's input is not built in the warehouse (or has no rows and no relation), so its columns are unknown." },

  // Warehouse connections and statements
  'warehouse-auth': { area: 'warehouse', exit: EITHER, meaning: 'The warehouse refused the user or password of the profile target.' },
  'warehouse-host-unknown': { area: 'warehouse', exit: EITHER, meaning: "The `host` of the profile target does not resolve." },
  'warehouse-database-missing': { area: 'warehouse', exit: EITHER, meaning: "The profile target's database (`dbname`) does not exist." },
  'warehouse-connection': { area: 'warehouse', exit: EITHER, meaning: 'The connection to the warehouse could not be opened or was lost (retriable).' },
  'warehouse-connect-timeout': { area: 'warehouse', exit: EITHER, meaning: 'The PostgreSQL server did not answer within `connect_timeout` (retriable).' },
  'warehouse-locked': { area: 'warehouse', exit: EITHER, meaning: 'The embedded PGlite database is in use by another tsdbt process.' },
  'warehouse-open': { area: 'warehouse', exit: EITHER, meaning: 'The embedded PGlite database could not be opened at its `path`.' },
  'database-error': { area: 'warehouse', exit: EITHER, meaning: 'The warehouse refused a statement without an error code, or a macro called `exceptions.raise_database_error`.' },
  /* eslint-disable no-restricted-syntax -- the catalogue names the adapters' own codes; it reads none of them */
  'sqlstate-<SQLSTATE>': { area: 'warehouse', exit: EITHER, meaning: 'PostgreSQL refused a statement with this SQLSTATE (e.g. `sqlstate-42P01`: no such table; `sqlstate-23505`: duplicate key).' },
  'clickhouse-auth': { area: 'warehouse', exit: EITHER, meaning: 'ClickHouse refused the user or password of the profile target.' },
  'clickhouse-connect': { area: 'warehouse', exit: EITHER, meaning: 'The ClickHouse server cannot be reached at its host and port (retriable).' },
  'clickhouse-timeout': { area: 'warehouse', exit: EITHER, meaning: 'ClickHouse did not answer within `connect_timeout` or `send_receive_timeout` (retriable).' },
  'clickhouse-<number>': { area: 'warehouse', exit: EITHER, meaning: "ClickHouse refused a statement with this error code (e.g. `clickhouse-60`: unknown table)." },
  'clickhouse-error': { area: 'warehouse', exit: EITHER, meaning: 'ClickHouse refused a statement without an error code.' },
  'chdb-missing': { area: 'warehouse', exit: EITHER, meaning: 'The embedded ClickHouse (`driver: chdb`) needs the optional package `chdb`, which is not installed.' },
  'chdb-locked': { area: 'warehouse', exit: EITHER, meaning: "The embedded ClickHouse's data directory is in use by another process." },
  /* eslint-enable no-restricted-syntax */

  // Streaming (tsdbt load, tsdbt produce-sample)
  'kafka-brokers-missing': { area: 'loader', exit: STOPS, meaning: 'No Kafka brokers were given (`--brokers`, `TSDBT_KAFKA_BROKERS` or `kafka.brokers` in the profile target).' },
  'kafka-profile-invalid': { area: 'loader', exit: STOPS, meaning: 'The `kafka:` settings of the profile target are malformed.' },
  'kafka-source-invalid': { area: 'loader', exit: STOPS, meaning: "A Kafka-fed source's `meta.kafka` or columns are malformed." },
  'kafka-unreachable': { area: 'loader', exit: EITHER, meaning: 'The Kafka brokers could not be reached, or the topic read or written.' },
  'kafka-offset-out-of-range': { area: 'loader', exit: FAILS_NODE, meaning: "A source's committed offset is no longer in the topic (its messages were deleted)." },

  // tsdbt itself
  internal: { area: 'internal', exit: EITHER, meaning: 'A failure inside tsdbt (a bug): please report it with the output of `--debug`.' },
  'adapter-closed': { area: 'internal', exit: EITHER, meaning: 'A statement was sent after its adapter was closed (a tsdbt bug).' },
  'seed-missing': { area: 'internal', exit: FAILS_NODE, meaning: 'A seed node has no CSV file (a tsdbt bug).' },
  multiple: { area: 'internal', exit: STOPS, meaning: 'The code of an empty list of errors (a list carries the code of its first error).' },
} as const satisfies Record<string, ErrorCodeInfo>;

/** A catalogue key as the codes it stands for: `clickhouse-<number>` is `clickhouse-${number}`. */
type CodesOf<K extends string> = K extends `${infer P}<number>` ? `${P}${number}` : K extends `${infer P}<${string}>` ? `${P}${string}` : K;

/** A catalogue key: a code, or a family of codes (`sqlstate-<SQLSTATE>`). */
export type ErrorCodeKey = keyof typeof ERROR_CODES;

/** Every code a TsdbtError can carry. */
export type ErrorCode = CodesOf<ErrorCodeKey>;

const PLACEHOLDER = /<([^>]+)>/;

/** The catalogue key a family's key matches as a regular expression (`clickhouse-<number>` -> /^clickhouse-\d+$/). */
function familyPattern(key: string): RegExp {
  const [head, placeholder, tail] = key.split(PLACEHOLDER) as [string, string, string];
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escape(head)}${placeholder === 'number' ? '\\d+' : '[0-9A-Za-z]+'}${escape(tail)}$`);
}

const FAMILIES: [ErrorCodeKey, RegExp][] = (Object.keys(ERROR_CODES) as ErrorCodeKey[]).filter((k) => PLACEHOLDER.test(k)).map((k) => [k, familyPattern(k)]);

/** The catalogue key of a code: itself, or the family it belongs to; undefined when it is not catalogued. */
export function errorCodeKey(code: string): ErrorCodeKey | undefined {
  if (Object.hasOwn(ERROR_CODES, code) && !PLACEHOLDER.test(code)) return code as ErrorCodeKey;
  return FAMILIES.find(([, pattern]) => pattern.test(code))?.[0];
}

export function isErrorCode(code: string): code is ErrorCode {
  return errorCodeKey(code) !== undefined;
}

/** What a code means and how it exits (its family's entry for `sqlstate-42P01`). */
export function errorCodeInfo(code: ErrorCode): ErrorCodeInfo {
  const key = errorCodeKey(code);
  if (key === undefined) throw new Error(`uncatalogued error code '${code}'`);
  return ERROR_CODES[key];
}

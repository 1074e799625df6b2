// Types of the loaded project configuration and profile.
import type { AdapterTargetConfig } from '../adapters/adapter.js';
import type { SourceLocation } from '../errors/tsdbt-error.js';
import type { YamlWarning } from './yaml-file.js';

export interface DispatchEntry {
  macroNamespace: string;
  searchOrder: string[];
}

/** dbt_project.yml, validated, with dbt's defaults filled in. */
export interface ProjectConfig {
  projectDir: string;
  name: string;
  version: string | null;
  profile: string;
  configVersion: number;
  modelPaths: string[];
  seedPaths: string[];
  macroPaths: string[];
  testPaths: string[];
  snapshotPaths: string[];
  analysisPaths: string[];
  /** `function-paths` (dbt 1.11 user-defined functions; default `functions`). */
  functionPaths: string[];
  docsPaths: string[];
  /** Folders `docs generate` copies into the target folder (images a description shows). */
  assetPaths: string[];
  targetPath: string;
  logPath: string;
  packagesInstallPath: string;
  cleanTargets: string[];
  /** The raw `vars:` block (global vars and per-package dicts). */
  vars: Record<string, unknown>;
  models?: Record<string, unknown>;
  seeds?: Record<string, unknown>;
  tests?: Record<string, unknown>;
  snapshots?: Record<string, unknown>;
  /** dbt_project.yml's `functions:` config tree. */
  functions?: Record<string, unknown>;
  /** dbt_project.yml's `analyses:` config tree: read only under dbt 1.12's `require_corrected_analysis_fqns` flag (before it, dbt gives analyses the `models:` tree). */
  analyses?: Record<string, unknown>;
  sources?: Record<string, unknown>;
  unitTests?: Record<string, unknown>;
  /** dbt_project.yml's `exposures:`, `metrics:`, `semantic-models:` and `saved-queries:` trees (+enabled, +meta, +tags, +group ...). */
  declaredTrees?: { exposure?: Record<string, unknown>; metric?: Record<string, unknown>; semantic_model?: Record<string, unknown>; saved_query?: Record<string, unknown> };
  /**
   * The config trees as written, before rendering (`+materialized: "{{ 'table' if target.name == 'prod' else 'view' }}"`
   * stays that text): what a node's `unrendered_config` takes from dbt_project.yml, so state comparison
   * across targets sees no change where only the target differs, as in dbt.
   */
  unrenderedTrees?: { models?: Record<string, unknown>; seeds?: Record<string, unknown>; tests?: Record<string, unknown>; snapshots?: Record<string, unknown>; functions?: Record<string, unknown>; analyses?: Record<string, unknown>; sources?: Record<string, unknown> };
  onRunStart: string[];
  onRunEnd: string[];
  dispatch: DispatchEntry[];
  quoting: Record<string, unknown>;
  requireDbtVersion: unknown;
  /** `restrict-access: True`: as a package, its models are protected (and private ones private) to it (dbt's model governance). */
  restrictAccess?: boolean;
  flags: Record<string, unknown>;
  /** `query-comment:` as written (unrendered; undefined when absent): rendered per node at run time. */
  queryComment?: unknown;
  raw: Record<string, unknown>;
  locate(path: (string | number)[]): SourceLocation;
  /** The file as messages name it (`dbt_project.yml`, `dbt_packages/x/dbt_project.yml`). */
  file?: string;
  /** What reading the file warned about (keys given twice). */
  warnings?: YamlWarning[];
}

export interface ResolvedProfile {
  target: AdapterTargetConfig;
  profileName: string;
  targetName: string;
  /** The profiles.yml used, or null for the embedded default. */
  file: string | null;
  embeddedDefault: boolean;
  /** What reading profiles.yml warned about (keys given twice: dbt's DuplicateYAMLKeysDeprecation is about this file). */
  warnings?: YamlWarning[];
  /** profiles.yml's top-level `config:` when a non-empty mapping: dbt's old place for the project flags (ProjectFlagsMovedDeprecation). */
  configFlags?: Record<string, unknown>;
}

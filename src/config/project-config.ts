// Loads dbt_project.yml into a ProjectConfig: dbt's defaults for every path, both `tests:` and
// `data_tests:` blocks, hooks and dispatch, with type errors pointing at the offending line.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { TsdbtError, throwCollected, type SourceLocation } from '../errors/tsdbt-error.js';
import type { DispatchEntry, ProjectConfig } from './types.js';
import { isPlainObject, parseYamlText, type YamlFile } from './yaml-file.js';
import { projectContractErrors, projectKeyWarnings } from './project-keys.js';
import { isPyTimestamp } from '../jinja/pyyaml-timestamps.js';

/** Top-level keys dbt leaves unrendered: hooks and the query comment render at run time, vars when read. */
const UNRENDERED_TOP = new Set(['vars', 'on-run-start', 'on-run-end', 'query-comment']);
/** Trees whose hooks (`+pre-hook` at any depth) render at run time, each for its node. */
const HOOK_TREES = new Set(['models', 'seeds', 'snapshots', 'tests', 'data_tests']);
const HOOK_KEYS = new Set(['pre-hook', 'post-hook', 'pre_hook', 'post_hook']);

/** dbt's DbtProjectYamlRenderer.should_render_keypath. */
function shouldRender(path: (string | number)[]): boolean {
  const first = path[0];
  if (typeof first !== 'string') return true;
  if (UNRENDERED_TOP.has(first)) return false;
  if (HOOK_TREES.has(first)) return !path.some((k) => typeof k === 'string' && HOOK_KEYS.has(k.replace(/^[+ ]+/, '')));
  return true;
}

/**
 * dbt renders dbt_project.yml natively with `target`, `env_var()` and the `--vars` of the command
 * line, except vars, hooks and the query comment: `+enabled: "{{ target.name != 'ci' }}"` is a
 * boolean, `+schema: "{{ env_var('S') }}"` text, a `+meta: {since: 2024-01-31}` date its text.
 */
function renderTree(value: unknown, path: (string | number)[], render: ProjectValueRenderer, yaml: YamlFile): unknown {
  if (!shouldRender(path)) return value;
  // dbt's BaseRenderer.render_value: a YAML date or datetime renders to its isoformat() text.
  if (isPyTimestamp(value)) return value.isoformat();
  if (typeof value === 'string') return value.includes('{{') || value.includes('{%') ? render(value, yaml.locate(path)) : value;
  if (Array.isArray(value)) return value.map((v, i) => renderTree(v, [...path, i], render, yaml));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = renderTree(v, [...path, key], render, yaml);
  return out;
}

export type ProjectValueRenderer = (template: string, location: SourceLocation) => unknown;

export interface ProjectFileOptions {
  /** How the file is named in messages: `dbt_project.yml`, or `dbt_packages/x/dbt_project.yml` for a package. */
  display?: string;
  /** An installed package's file: dbt validates the root project's dbt_project.yml only (project-keys.ts). */
  isPackage?: boolean;
  /** dbt runs its JSON-schema checks on this invocation's adapter: the file is validated whole (project-keys.ts). */
  dbtSchemaChecks?: boolean;
}

type ProjectFile = YamlFile & { value: Record<string, unknown>; text: string };

function readProjectFile(projectDir: string, display: string): ProjectFile {
  const abs = path.join(projectDir, 'dbt_project.yml');
  if (!existsSync(abs)) {
    // dbt's MISSING_DBT_PROJECT_ERROR, word for word.
    throw new TsdbtError(`No dbt_project.yml found at expected path ${abs}\nVerify that each entry within packages.yml (and their transitive dependencies) contains a file named dbt_project.yml`, {
      code: 'project-missing',
      hint: 'run tsdbt from your dbt project folder, or pass --project-dir <folder>',
    });
  }
  const text = readFileSync(abs, 'utf8');
  // Read as dbt's PyYAML SafeLoader reads it: a plain `start_date: 2020-01-01` is a datetime.date, in
  // `vars:` (`var('start_date') + modules.datetime.timedelta(days=1)` works) as in a `+meta:` config.
  const yaml = parseYamlText(text, display, { timestamps: true });
  if (!isPlainObject(yaml.value)) {
    throw new TsdbtError('dbt_project.yml must be a mapping of keys to values', { code: 'project-invalid', location: { file: display, line: 1 }, hint: 'start with `name: my_project`' });
  }
  return { ...yaml, value: yaml.value, text };
}

/**
 * What has to be known before the profile loads (dbt's PartialProject): the project's name, the
 * profile it names and its target-path, rendered without `target`.
 */
export function readProjectHeader(projectDir: string, render: ProjectValueRenderer): { name: string | null; profile: string | null; targetPath: string | null } {
  const yaml = readProjectFile(projectDir, 'dbt_project.yml');
  const read = (key: string): string | null => {
    const value = yaml.value[key];
    if (typeof value !== 'string' && typeof value !== 'number') return null;
    const rendered = typeof value === 'string' ? render(value, yaml.locate([key])) : value;
    return rendered === null || rendered === undefined ? null : String(rendered);
  };
  return { name: read('name'), profile: read('profile'), targetPath: read('target-path') };
}

export function loadProjectConfig(projectDir: string, render?: ProjectValueRenderer, options: ProjectFileOptions = {}): ProjectConfig {
  const file = options.display ?? 'dbt_project.yml';
  const yaml = readProjectFile(projectDir, file);
  const rendered = (render ? renderTree(yaml.value, [], render, yaml) : yaml.value) as Record<string, unknown>;
  const raw = rendered;
  const errors: TsdbtError[] = [];
  const read = new Reader(yaml, raw, errors);
  const name = read.string('name');
  if (!name) errors.push(new TsdbtError('dbt_project.yml has no `name`', { code: 'project-invalid', location: { file, line: 1 }, hint: 'add `name: my_project`' }));
  else if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    errors.push(new TsdbtError(`project name '${name}' is not a valid identifier`, { code: 'project-invalid', location: yaml.locate(['name']), hint: 'use letters, digits and underscores, starting with a letter' }));
  }
  const modelPaths = read.paths('model-paths', ['models'], 'source-paths');
  const seedPaths = read.paths('seed-paths', ['seeds'], 'data-paths');
  const macroPaths = read.paths('macro-paths', ['macros']);
  const testPaths = read.paths('test-paths', ['tests']);
  const snapshotPaths = read.paths('snapshot-paths', ['snapshots']);
  const analysisPaths = read.paths('analysis-paths', ['analyses']);
  const functionPaths = read.paths('function-paths', ['functions']);
  const config: ProjectConfig = {
    projectDir: path.resolve(projectDir),
    name: name ?? 'project',
    version: raw.version === undefined || raw.version === null ? null : String(raw.version),
    profile: read.string('profile') ?? name ?? 'default',
    configVersion: Number(raw['config-version'] ?? 2),
    modelPaths,
    seedPaths,
    macroPaths,
    testPaths,
    snapshotPaths,
    analysisPaths,
    functionPaths,
    docsPaths: read.paths('docs-paths', [...modelPaths, ...seedPaths, ...macroPaths, ...testPaths, ...snapshotPaths, ...analysisPaths, ...functionPaths]),
    assetPaths: read.paths('asset-paths', []),
    targetPath: read.string('target-path') ?? 'target',
    logPath: read.string('log-path') ?? 'logs',
    packagesInstallPath: read.string('packages-install-path') ?? 'dbt_packages',
    cleanTargets: read.paths('clean-targets', []),
    vars: read.mapping('vars') ?? {},
    models: read.mapping('models'),
    seeds: read.mapping('seeds'),
    tests: mergeTrees(read.mapping('tests'), read.mapping('data_tests')),
    snapshots: read.mapping('snapshots'),
    functions: read.mapping('functions'),
    analyses: read.mapping('analyses'),
    sources: read.mapping('sources'),
    unitTests: read.mapping('unit_tests'),
    declaredTrees: { exposure: read.mapping('exposures'), metric: read.mapping('metrics'), semantic_model: read.mapping('semantic-models'), saved_query: read.mapping('saved-queries') },
    unrenderedTrees: unrenderedTrees(yaml.value),
    onRunStart: read.stringList('on-run-start'),
    onRunEnd: read.stringList('on-run-end'),
    dispatch: readDispatch(yaml, raw, errors),
    quoting: read.mapping('quoting') ?? {},
    requireDbtVersion: raw['require-dbt-version'] ?? null,
    restrictAccess: raw['restrict-access'] === true,
    flags: read.mapping('flags') ?? {},
    queryComment: raw['query-comment'],
    raw,
    locate: yaml.locate,
    file,
    warnings: [...yaml.warnings, ...projectKeyWarnings(yaml.value, file, yaml.locate, options)],
  };
  for (const e of projectContractErrors(raw, yaml.locate)) errors.push(new TsdbtError(e.message, { code: 'project-invalid', location: e.location, hint: e.hint }));
  throwCollected(errors);
  return config;
}

function unrenderedTrees(value: Record<string, unknown>): NonNullable<ProjectConfig['unrenderedTrees']> {
  const tree = (key: string) => (isPlainObject(value[key]) ? value[key] : undefined);
  return { models: tree('models'), seeds: tree('seeds'), tests: mergeTrees(tree('tests'), tree('data_tests')), snapshots: tree('snapshots'), functions: tree('functions'), analyses: tree('analyses'), sources: tree('sources') };
}

function mergeTrees(a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!a) return b;
  if (!b) return a;
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isPlainObject(out[k]) && isPlainObject(v) ? mergeTrees(out[k], v) : v;
  return out;
}

function readDispatch(yaml: YamlFile, raw: Record<string, unknown>, errors: TsdbtError[]): DispatchEntry[] {
  const value = raw.dispatch;
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    errors.push(new TsdbtError('`dispatch` must be a list', { code: 'project-invalid', location: yaml.locate(['dispatch']), hint: 'write `dispatch: [{macro_namespace: dbt_utils, search_order: [my_project, dbt_utils]}]`' }));
    return [];
  }
  const out: DispatchEntry[] = [];
  value.forEach((entry, i) => {
    if (!isPlainObject(entry) || typeof entry.macro_namespace !== 'string' || !Array.isArray(entry.search_order)) {
      errors.push(new TsdbtError('each dispatch entry needs `macro_namespace` and a `search_order` list', { code: 'project-invalid', location: yaml.locate(['dispatch', i]), hint: 'e.g. {macro_namespace: dbt_utils, search_order: [my_project, dbt_utils]}' }));
      return;
    }
    out.push({ macroNamespace: entry.macro_namespace, searchOrder: entry.search_order.map(String) });
  });
  return out;
}

/** Typed reads of top-level keys that record an error (with the line) instead of throwing. */
class Reader {
  constructor(
    private readonly yaml: YamlFile,
    private readonly raw: Record<string, unknown>,
    private readonly errors: TsdbtError[],
  ) {}

  private bad(key: string, what: string, example: string): void {
    this.errors.push(new TsdbtError(`\`${key}\` must be ${what}`, { code: 'project-invalid', location: this.yaml.locate([key]), hint: `for example: ${key}: ${example}` }));
  }

  string(key: string): string | undefined {
    const v = this.raw[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' && typeof v !== 'number') {
      this.bad(key, 'a string', '"value"');
      return undefined;
    }
    return String(v);
  }

  paths(key: string, fallback: string[], legacy?: string): string[] {
    const v = this.raw[key] ?? (legacy ? this.raw[legacy] : undefined);
    if (v === undefined || v === null) return fallback;
    if (!Array.isArray(v) || v.some((p) => typeof p !== 'string')) {
      this.bad(this.raw[key] === undefined && legacy ? legacy : key, 'a list of folder names', `["${fallback[0] ?? 'folder'}"]`);
      return fallback;
    }
    return v as string[];
  }

  mapping(key: string): Record<string, unknown> | undefined {
    const v = this.raw[key];
    if (v === undefined || v === null) return undefined;
    if (!isPlainObject(v)) {
      this.bad(key, 'a mapping', '{ ... }');
      return undefined;
    }
    return v;
  }

  stringList(key: string): string[] {
    const v = this.raw[key];
    if (v === undefined || v === null) return [];
    if (typeof v === 'string') return [v];
    if (!Array.isArray(v) || v.some((h) => typeof h !== 'string')) {
      this.bad(key, 'a SQL string or a list of them', '["grant usage on schema x to role y"]');
      return [];
    }
    return v as string[];
  }
}

// `unit_tests:` entries (dbt 1.8) -> unit_test nodes: `unit_test.<package>.<model>.<name>`, depending
// on the model under test. Inputs are parsed here (`ref(...)`, `source(...)`, `this`), fixture files
// (tests/fixtures/<name>.csv|.sql) are read into the node, and the inputs are checked against the
// project and the model's parents once refs are linked (checkUnitTestInputs).
import path from 'node:path';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { ProjectFile, UnitTestEntry, UnitTestRowsEntry } from '../project/types.js';
import { nodeSkeleton } from './node-factory.js';
import { expressionCalls, type ParsePhase } from '../compile/parse-phase.js';
import type { Manifest, ManifestNode, UnitTestInput, UnitTestRows, UnitTestSpec } from '../manifest/types.js';
import { macroCallsIn } from './macro-dependencies.js';
import { seedFileRows } from './unit-test-seed-rows.js';
import { recordValues } from '../manifest/record-values.js';
import { mergeConfigs, resolveHierarchyConfig } from '../config/index.js';

/**
 * Fixture files by name without extension: `tests/fixtures/users.csv` -> `users`. Each is dbt's
 * `fixture.<package>.<name>`, so two of one name (in two folders, or a .csv beside a .sql) are
 * dbt's DuplicateResourceNameError, raised at parse whether or not a test uses them.
 */
export function fixtureIndex(files: ProjectFile[], packageName: string, fail: (err: TsdbtError) => void): Map<string, ProjectFile> {
  const index = new Map<string, ProjectFile>();
  for (const file of files) {
    if (file.kind !== 'fixture') continue;
    const name = path.posix.basename(file.path).replace(/\.(csv|sql)$/i, '');
    const existing = index.get(name);
    if (existing) fail(duplicateFixture(name, packageName, file, existing));
    else index.set(name, file);
  }
  return index;
}

/** dbt's DuplicateResourceNameError for two fixtures (the one found second named first). */
function duplicateFixture(name: string, packageName: string, file: ProjectFile, existing: ProjectFile): TsdbtError {
  const id = `fixture.${packageName}.${name}`;
  return new TsdbtError(
    `dbt found two fixtures with the name "${name}".\n\n` +
      `Since these resources have the same name, dbt will be unable to find the correct resource\nwhen looking for ${name}.\n\n` +
      `To fix this, change the name of one of these resources:\n- ${id} (${file.path})\n- ${id} (${existing.path})`,
    { code: 'duplicate-node', location: { file: file.path }, hint: 'rename one of the fixture files: a unit test names its fixture by file name, so names must be unique within the fixture folders' },
  );
}

function rowsOf(entry: UnitTestRowsEntry, fixtures: Map<string, ProjectFile>): UnitTestRows {
  if (entry.fixture === null) return { format: entry.format, rows: entry.rows ?? [], fixture: null };
  const file = fixtures.get(entry.fixture);
  const extension = entry.format === 'sql' ? '.sql' : '.csv';
  if (!file || !file.path.endsWith(extension) || entry.format === 'dict') {
    throw new TsdbtError(`fixture '${entry.fixture}' not found`, {
      code: 'unit-test-fixture-missing',
      location: entry.location,
      hint: entry.format === 'dict' ? 'fixtures need format: csv or format: sql' : `create tests/fixtures/${entry.fixture}${extension}`,
    });
  }
  // dbt reads a fixture file stripped, as every project file (read_files.py)
  return { format: entry.format, rows: (file.content ?? '').trim(), fixture: entry.fixture };
}

/** dbt's "this is a seed" case: a dict input that gives neither `rows` nor `fixture`. */
function omitsRows(entry: UnitTestRowsEntry): boolean {
  return entry.format === 'dict' && entry.rows === null && entry.fixture === null;
}

/**
 * A unit test node; `projectTree`, dbt_project.yml's `unit_tests:` block (dbt's
 * _build_unit_test_config: the project's configs for the unit test's fqn, then its own `config:`).
 */
export function parseUnitTest(session: ParsePhase, entry: UnitTestEntry, packageName: string, fixtures: Map<string, ProjectFile>, projectTree?: Record<string, unknown>): ManifestNode | null {
  try {
    if ((entry.versions?.include?.length ?? 0) > 0 && (entry.versions?.exclude?.length ?? 0) > 0) {
      // dbt's UnparsedUnitTest.validate, a YamlParseDictError of the entry.
      throw new TsdbtError(`Invalid unit_tests config given in ${entry.location.file} @ unit_tests: '${entry.name}' - Unit tests can not both include and exclude versions.`, {
        code: 'unit-test-versions',
        location: entry.location,
        hint: 'keep either `versions: {include: [...]}` or `versions: {exclude: [...]}`',
      });
    }
    const ymlDirs = path.posix.dirname(entry.location.file).split('/').slice(1).filter(Boolean);
    const fqn = [packageName, ...ymlDirs, entry.model, entry.name];
    const config = mergeConfigs(resolveHierarchyConfig(projectTree, fqn, 'unit_test'), entry.config);
    const node = nodeSkeleton({
      resourceType: 'unit_test',
      packageName,
      name: entry.name,
      originalFilePath: entry.location.file,
      pathInResourceDir: path.posix.join(...ymlDirs, `${entry.name}.yml`),
      rawCode: '',
      config: { enabled: config.enabled !== false, materialized: 'unit', tags: tagList(config.tags), meta: (config.meta as Record<string, unknown> | undefined) ?? {}, pre_hook: [], post_hook: [] },
      line: entry.location.line,
    });
    node.unique_id = `unit_test.${packageName}.${entry.model}.${entry.name}`;
    node.fqn = fqn;
    node.description = entry.description;
    node.refs.push({ name: entry.model, package: null, version: null });
    const given: UnitTestInput[] = entry.given.map((g) => ({ ...rowsOf(g, fixtures), ...parseInput(session, node, g), ...(omitsRows(g) ? { rowsFromSeed: true } : {}) }));
    node.unit_test = { model: entry.model, given, expect: rowsOf(entry.expect, fixtures), overrides: entry.overrides, overridesWritten: entry.overridesWritten === true, versions: entry.versions ?? null };
    return node;
  } catch (err) {
    session.fail(err, entry.location.file);
    return null;
  }
}

/**
 * dbt's process_models_for_unit_test: a unit test of a versioned model is one unit test per version
 * (`unit_test.<pkg>.<model>.<name>_v<v>`, testing that version), narrowed by its `versions:`
 * include / exclude. Any other unit test is returned as it is.
 */
export function unitTestPerVersion(node: ManifestNode | null, entry: UnitTestEntry, manifest: Manifest): (ManifestNode | null)[] {
  if (!node) return [node];
  const versions = recordValues(manifest.nodes).filter((n) => n.resource_type === 'model' && n.name === entry.model && n.package_name === node.package_name && n.version !== null && n.version !== undefined);
  const location = { file: entry.location.file, line: entry.location.line };
  const narrowed = entry.versions && ((entry.versions.include?.length ?? 0) > 0 || (entry.versions.exclude?.length ?? 0) > 0);
  if (versions.length === 0) {
    if (!narrowed) return [node];
    throw new TsdbtError(`Unit test '${entry.name}' should not have a versions include or exclude when referencing non-versioned model '${entry.model}'`, {
      code: 'unit-test-versions',
      location,
      hint: 'remove `versions:` from the unit test, or declare versions for the model',
    });
  }
  const listed = (list: (string | number)[] | null | undefined, v: string | number | null | undefined) => (list ?? []).some((x) => String(x) === String(v));
  const chosen = versions.filter((n) => (entry.versions?.exclude?.length ? !listed(entry.versions.exclude, n.version) : entry.versions?.include?.length ? listed(entry.versions.include, n.version) : true));
  if (chosen.length === 0) {
    throw new TsdbtError(`Unit test '${entry.name}' referenced a version of '${entry.model}' which was not found.`, {
      code: 'unit-test-versions',
      location,
      hint: `'${entry.model}' has versions ${versions.map((n) => String(n.version)).join(', ')}`,
    });
  }
  return chosen.map((model) => {
    const copy = structuredClone(node);
    copy.unique_id = `${node.unique_id}_v${String(model.version)}`;
    copy.version = model.version ?? null;
    copy.refs = [{ name: entry.model, package: null, version: model.version ?? null }, ...node.refs.slice(1)];
    return copy;
  });
}

function tagList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** `ref('m')`, `source('s', 't')` or `this`, recorded by a parse-phase render. */
function parseInput(session: ParsePhase, node: ManifestNode, given: UnitTestEntry['given'][number]): Pick<UnitTestInput, 'input' | 'ref' | 'source' | 'isThis'> {
  const input = given.input;
  if (input === 'this') return { input, isThis: true };
  const bad = () =>
    new TsdbtError(`unit test input must be a ref(...), source(...) or this, got: ${input}`, {
      code: 'unit-test-input',
      location: given.location,
      hint: "write input: ref('parent_model') or input: source('raw', 'events')",
    });
  if (!/^\s*(ref|source)\s*\(.*\)\s*$/s.test(input)) throw bad();
  const state = expressionCalls(session, node, input);
  if (state.refs.length + state.sources.length !== 1) throw bad();
  return state.refs[0] ? { input, ref: state.refs[0] } : { input, source: state.sources[0] };
}

/**
 * After refs are linked: the model must exist and be SQL, and an input that gives no rows must be
 * a seed, whose file gives them (dbt's unit test parser). Other inputs are looked up when the test
 * runs, as dbt 1.8+ does (`UnitTestManifestLoader`): one the project lacks, and a parent of the model
 * no input gives rows for, fail that test then (compile/compiler.ts `unitTestInputs`), not the parse.
 * A node the model does not read is allowed, as in dbt: its fixture is a CTE no ref of the model reads.
 */
export function checkUnitTestInputs(
  node: ManifestNode,
  manifest: Manifest,
  resolveInput: (input: UnitTestInput, from: ManifestNode) => string,
  seedPaths: readonly string[] = ['seeds'],
): void {
  const spec = node.unit_test;
  const model = manifest.nodes[node.depends_on.nodes[0] ?? ''];
  if (!spec || !model) return;
  const location = { file: node.original_file_path, line: node.line };
  if (model.resource_type !== 'model') {
    throw new TsdbtError(`unit test '${node.name}' tests '${spec.model}', which is a ${model.resource_type}, not a model`, { code: 'unit-test-model', location, hint: 'unit tests test SQL models' });
  }
  checkIncrementalOverride(node.name, spec, model, location);
  for (const input of spec.given) {
    if (input.isThis || !input.rowsFromSeed) continue;
    let id: string | null = null;
    try {
      id = resolveInput(input, model);
    } catch {
      id = null;
    }
    input.rows = seedRows(node, input, id === null ? undefined : manifest.nodes[id], seedPaths, location);
  }
}
/**
 * dbt's rule for a model that calls `is_incremental()`: each unit test of it says which branch it
 * tests with a boolean `overrides.macros.is_incremental`, and one that tests the incremental branch
 * gives the model's existing rows as a `this` input (parser/unit_tests.py).
 */
function checkIncrementalOverride(testName: string, spec: UnitTestSpec, model: ManifestNode, location: { file: string; line?: number }): void {
  const callsIsIncremental = macroCallsIn(model.raw_code).calls.some((c) => c.name === 'is_incremental' && (c.namespace === null || c.namespace === 'dbt'));
  if (!callsIsIncremental) return;
  const override = spec.overrides.macros.is_incremental;
  if (typeof override !== 'boolean') {
    throw new TsdbtError(`Boolean override for 'is_incremental' must be provided for unit test '${testName}' in model '${model.name}'`, {
      code: 'unit-test-input',
      location,
      hint: 'add `overrides: {macros: {is_incremental: true}}` (or false) to say which branch of the model the test runs',
    });
  }
  if (override && !spec.given.some((input) => input.isThis)) {
    throw new TsdbtError(`Unit test '${testName}' for incremental model '${model.name}' must have a 'this' input`, {
      code: 'unit-test-input',
      location,
      hint: 'add `- input: this` with the rows the model\'s table holds before the run',
    });
  }
}

/**
 * The rows of an input that gives none: dbt reads them from the seed's file (every value a string,
 * as Python's csv.DictReader gives it), and refuses an input that is not a seed with
 * `_load_rows_from_seed`'s message.
 */
function seedRows(
  node: ManifestNode,
  input: UnitTestInput,
  parent: ManifestNode | undefined,
  seedPaths: readonly string[],
  location: { file: string; line?: number },
): Record<string, unknown>[] {
  if (parent?.resource_type === 'seed' && parent.seed_file) return seedFileRows(parent.seed_file);
  const packageName = input.ref?.package ?? node.package_name;
  const name = input.ref?.name ?? input.input;
  const where = packageName === node.package_name ? `in directories: [${seedPaths.map((p) => `'${p}'`).join(', ')}]` : `in '${packageName}' package`;
  throw new TsdbtError(`Unable to find seed '${packageName}.${name}' for unit tests ${where}`, {
    code: 'unit-test-input',
    location,
    hint: `unit test '${node.name}' gives no rows for ${input.input}: only a seed input may leave out \`rows\` (its file gives them); add \`rows:\` (\`rows: []\` for none) or \`format: csv\` with \`fixture:\``,
  });
}

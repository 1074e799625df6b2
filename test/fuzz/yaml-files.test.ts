// Property-based fuzzing (fast-check) of the YAML files a project is made of: dbt_project.yml and a
// property file (models/schema.yml), each as random text built from YAML's syntax (anchors, tags,
// flow collections, block scalars, tabs, Jinja) and as random structures under the keys dbt reads,
// with random values. `tsdbt parse` runs in-process on each; it must either succeed or stop with a
// clear project error (exit 2) that names the file (or the model a config from it applies to) and,
// where it can, the line: never an internal
// error (a tsdbt bug), never a JavaScript stack. A fixed fast-check seed (FUZZ_SEED overrides it)
// makes every run the same; fast-check prints the seed and the input with any failure.
import fc from 'fast-check';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/app/parse-command.js';
import { createInvocation } from '../../src/app/invocation.js';
import { reportFatal } from '../../src/cli/error-output.js';
import { removeDir, testdir, writeFiles } from '../support/testdir.js';

const SEED = Number(process.env.FUZZ_SEED ?? 15_2026);
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);

const JINJA = ["{{ var('x') }}", '{{ 1 / 0 }}', "{{ env_var('TSDBT_FUZZ_UNSET') }}", '{{', '{% if %}', '{{ target.name }}', "{{ ref('m') }}", '{# c #}', '{{ none.x }}'];
const TOKENS = [
  ...JINJA,
  ': ', '- ', '-', '{', '}', '[', ']', ',', '"', "'", '&a ', '*a', '<<: *a', '<<: ', '!!binary ', '!!int ', '!tag ', '!!python/object ', '\t', '\n', '\n  ', '\n    ', '#', '| ', '> ', '%YAML 1.2\n', '---\n', '...\n', '? ', '~',
  'name', 'profile', 'models', 'seeds', 'version', 'columns', 'data_tests', 'tests', 'config', '+materialized', 'vars', 'sources', 'tables', 'description', 'quote', 'meta', 'tags',
  'true', 'null', '2', '1e400', '0x1F', '-.inf', 'yes', '2024-01-01', '\u0000', '\uFEFF', '😀', 'x'.repeat(300),
];

const garbage = fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((t) => t.join(''));

/** Values dbt's keys may meet: scalars of every YAML type, Jinja, nested lists and mappings. */
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  any: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, -1, 2, 1.5, 1e300, '', 'demo', 'm', 'view', 'table', 'ephemeral', 'not_null', 'unique', ...JINJA),
    fc.string({ unit: 'grapheme', maxLength: 12 }),
    fc.integer(),
    fc.array(tie('any'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(fc.constantFrom('+materialized', '+enabled', '+tags', '+schema', 'name', 'config', 'columns', 'data_tests', 'values', 'to', 'field', 'severity', 'where', '+column_types', '+quote_columns'), fc.string({ maxLength: 6 })), tie('any'), { maxKeys: 3 }),
  ),
})).any;

// Paths get only harmless values: a fuzzed `model-paths: ['/']` would walk the whole disk.
const PATH_KEYS = ['model-paths', 'seed-paths', 'macro-paths', 'test-paths', 'snapshot-paths', 'analysis-paths', 'docs-paths', 'asset-paths', 'target-path', 'log-path', 'packages-install-path', 'clean-targets'];
const pathValue = fc.oneof(fc.stringMatching(/^[a-z_]{0,8}$/), fc.array(fc.stringMatching(/^[a-z_]{1,8}$/), { maxLength: 2 }), fc.constantFrom(null, 1, true, {}, [[]]));
const PROJECT_KEYS = ['name', 'profile', 'version', 'config-version', 'require-dbt-version', 'models', 'seeds', 'snapshots', 'data_tests', 'tests', 'sources', 'vars', 'on-run-start', 'on-run-end', 'dispatch', 'quoting', 'flags', 'query-comment', 'unit_tests', 'modle-paths'];

const projectStructure = fc
  .tuple(
    fc.dictionary(fc.constantFrom(...PROJECT_KEYS), value, { maxKeys: 4 }),
    fc.dictionary(fc.constantFrom(...PATH_KEYS), pathValue, { maxKeys: 2 }),
    fc.boolean(),
  )
  .map(([fields, paths, keepBasics]) => YAML.stringify({ ...(keepBasics ? { name: 'demo', profile: 'demo' } : {}), ...fields, ...paths }));

const column = fc.record(
  { name: fc.oneof(fc.constantFrom('id', 'from', 'UserId'), value), quote: value, description: value, data_tests: fc.oneof(value, fc.array(fc.oneof(fc.constantFrom('not_null', 'unique'), fc.record({ accepted_values: value }), fc.record({ relationships: value }), value), { maxLength: 3 })) },
  { requiredKeys: [] },
);
const entry = fc.record({ name: fc.oneof(fc.constantFrom('m', 'nope'), value), description: value, config: value, columns: fc.oneof(value, fc.array(column, { maxLength: 2 })), data_tests: value }, { requiredKeys: [] });
const propertyStructure = fc
  .record(
    { version: fc.oneof(fc.constant(2), value), models: fc.oneof(fc.array(entry, { maxLength: 2 }), value), seeds: value, sources: fc.oneof(fc.array(fc.record({ name: value, tables: fc.oneof(fc.array(entry, { maxLength: 2 }), value) }, { requiredKeys: [] }), { maxLength: 1 }), value), macros: value, unit_tests: value },
    { requiredKeys: [] },
  )
  .map((doc) => YAML.stringify(doc));

// Mostly well-formed property files, so parsing goes on to tests, their arguments and configs.
const scalar = fc.oneof(fc.constantFrom(null, true, 1, 'a', "{{ var('v', 1) }}", '{{ 1 / 0 }}', "{{ ref('m') }}", "ref('nope')"), fc.string({ unit: 'grapheme', maxLength: 6 }));
const genericTest = fc.oneof(
  fc.constantFrom('not_null', 'unique', 'not_a_test'),
  fc.record({ accepted_values: fc.record({ arguments: fc.record({ values: fc.array(scalar, { maxLength: 3 }), quote: fc.boolean() }, { requiredKeys: ['values'] }), config: fc.record({ severity: fc.constantFrom('warn', 'error', 'loud'), where: scalar }, { requiredKeys: [] }) }, { requiredKeys: [] }) }),
  fc.record({ relationships: fc.record({ arguments: fc.record({ to: fc.constantFrom("ref('m')", "ref('nope')", "source('s', 't')", 'm'), field: fc.constantFrom('id', '"UserId"', '') }) }) }),
);
const wellFormedProperties = fc
  .record({
    name: fc.constantFrom('m', 'm', 'nope'),
    description: scalar,
    config: fc.record({ materialized: fc.constantFrom('view', 'table', 'nonsense'), tags: fc.array(scalar, { maxLength: 2 }), enabled: fc.oneof(fc.boolean(), scalar) }, { requiredKeys: [] }),
    columns: fc.array(fc.record({ name: fc.constantFrom('id', 'from', 'UserId'), quote: fc.oneof(fc.boolean(), scalar), data_tests: fc.array(genericTest, { maxLength: 3 }) }, { requiredKeys: ['name'] }), { maxLength: 3 }),
  }, { requiredKeys: ['name'] })
  .map((model) => YAML.stringify({ version: 2, models: [model] }));

type Case = { file: 'dbt_project.yml' | 'models/schema.yml'; text: string };
const cases: fc.Arbitrary<Case> = fc.oneof(
  garbage.map((text) => ({ file: 'dbt_project.yml' as const, text })),
  garbage.map((text) => ({ file: 'dbt_project.yml' as const, text: `name: demo\nprofile: demo\n${text}` })),
  projectStructure.map((text) => ({ file: 'dbt_project.yml' as const, text })),
  garbage.map((text) => ({ file: 'models/schema.yml' as const, text })),
  garbage.map((text) => ({ file: 'models/schema.yml' as const, text: `version: 2\nmodels:\n  - name: m\n${text}` })),
  propertyStructure.map((text) => ({ file: 'models/schema.yml' as const, text })),
  wellFormedProperties.map((text) => ({ file: 'models/schema.yml' as const, text })),
  wellFormedProperties.map((text) => ({ file: 'models/schema.yml' as const, text })),
);

describe('fuzz: dbt_project.yml and property files', () => {
  let dir: string;
  const counts = { inputs: 0, parsed: 0, refused: 0, refusedWithLine: 0 };
  beforeAll(() => {
    dir = testdir({});
  });
  afterAll(() => {
    console.log(`YAML fuzz: ${counts.inputs} inputs (seed ${SEED}): ${counts.parsed} parsed, ${counts.refused} refused with a project error (${counts.refusedWithLine} of them with file:line)`);
    removeDir(dir);
  });

  it('parses a project or names the file at fault, never failing inside tsdbt', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async ({ file, text }) => {
        counts.inputs++;
        removeDir(dir);
        writeFiles(dir, { 'dbt_project.yml': 'name: demo\nprofile: demo\n', 'models/m.sql': 'select 1 as id\n', [file]: text });
        const lines: string[] = [];
        const inv = createInvocation({ projectDir: dir, noPartialParse: true, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: dir } });
        let code: number;
        try {
          code = await parseCommand(inv);
        } catch (err) {
          code = reportFatal(err, (l) => lines.push(l), 'text');
        }
        const output = lines.join('\n');
        expect(output).not.toMatch(/internal error|tsdbt bug|\n\s+at [^\n]+:\d+:\d+/);
        expect([0, 2]).toContain(code);
        if (code === 0) {
          counts.parsed++;
          return;
        }
        counts.refused++;
        // The file at fault: the fuzzed one, or the model a config from it applies to.
        const named = /(^|\s)(dbt_project\.yml|models\/schema\.yml|models\/m\.sql)(:(\d+))?: /m.exec(output);
        expect(named, output).not.toBeNull();
        if (named?.[4]) counts.refusedWithLine++;
        else if (process.env.FUZZ_VERBOSE) console.log(`refused without a line:\n${output}`);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  }, 300_000);
});

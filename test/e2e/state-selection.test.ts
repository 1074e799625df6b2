// dbt's state: selection, row by row as its docs describe the sub-selectors (node selector methods,
// "The state method"; caveats to state comparison): for each kind of change between the --state
// manifest and the project, which of state:modified, its sub-selectors, state:new / old /
// unmodified select the changed node, and that nothing else is selected. Also result:<status> from
// the state's run_results.json, and the errors for a missing or broken --state folder (exit 2).
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseOrLs } from '../support/parse-or-ls.js';
import { removeDir, testdir, writeFiles } from '../support/testdir.js';

const PROFILES = `demo:
  target: ci
  outputs:
    prod: {type: pglite, path: memory, schema: prod_schema, threads: 1}
    ci: {type: pglite, path: memory, schema: ci_schema, threads: 1}
`;

const BASE: Record<string, string> = {
  'dbt_project.yml': `name: demo
profile: demo
models:
  demo:
    env_aware:
      +materialized: "{{ 'table' if target.name == 'prod' else 'view' }}"
`,
  'profiles.yml': PROFILES,
  'seeds/codes.csv': 'code,label\n1,one\n2,two\n',
  'macros/cents.sql': '{% macro cents(x) %}({{ x }} * {{ factor() }}){% endmacro %}\n{% macro factor() %}100{% endmacro %}\n',
  'macros/shout.sql': "{% macro shout(x) %}{{ return(adapter.dispatch('shout')(x)) }}{% endmacro %}\n{% macro default__shout(x) %}upper({{ x }}){% endmacro %}\n",
  'models/plain.sql': "select code from {{ ref('codes') }}\n",
  'models/shouted.sql': "select {{ shout(\"'a'\") }} as v\n",
  'models/priced.sql': "select code, {{ cents('code') }} as price from {{ ref('codes') }}\n",
  'models/documented.sql': 'select 1 as id\n',
  'models/undocumented.sql': 'select 1 as id\n',
  'models/contracted.sql': 'select 1 as id\n',
  'models/env_aware/by_target.sql': 'select 1 as id\n',
  'models/schema.yml': `version: 2
models:
  - name: documented
    description: the documented model
    config:
      persist_docs: {relation: true, columns: true}
    columns:
      - name: id
        description: the id
  - name: undocumented
    description: a model without persist_docs
    columns:
      - name: id
        description: the id
  - name: contracted
    config:
      materialized: table
      contract: {enforced: true}
    columns:
      - name: id
        data_type: integer
`,
};

const SELECTORS = [
  'state:modified',
  'state:modified.body',
  'state:modified.configs',
  'state:modified.relation',
  'state:modified.persisted_descriptions',
  'state:modified.macros',
  'state:modified.contract',
  'state:new',
  'state:old',
  'state:unmodified',
] as const;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

const invoke = parseOrLs;

/** The project as the state run saw it (parsed with `stateTarget`), its manifest copied to state/. */
async function projectWithState(stateTarget = 'ci'): Promise<string> {
  const dir = testdir(BASE);
  dirs.push(dir);
  const parsed = await invoke(dir, 'parse', { target: stateTarget, noPartialParse: true });
  expect(parsed.code, parsed.lines.join('\n')).toBe(0);
  mkdirSync(path.join(dir, 'state'));
  cpSync(path.join(dir, 'target', 'manifest.json'), path.join(dir, 'state', 'manifest.json'));
  return dir;
}

/** name -> the selectors (of SELECTORS) that select it. */
async function selections(dir: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const selector of SELECTORS) {
    const { code, lines } = await invoke(dir, 'ls', { select: [selector], state: 'state', resourceTypes: ['model', 'seed'] });
    expect(code, lines.join('\n')).toBe(0);
    for (const name of lines.filter((l) => /^\w+$/.test(l))) out.set(name, [...(out.get(name) ?? []), selector]);
  }
  return out;
}

const MODIFIED = (...subs: string[]) => ['state:modified', ...subs.map((s) => `state:modified.${s}`)];
const OLD_MODIFIED = (...subs: string[]) => [...MODIFIED(...subs), 'state:old'];
const UNCHANGED = ['state:old', 'state:unmodified'];

interface Row {
  change: string;
  node: string;
  apply: Record<string, string>;
  /** The selectors that select `node`, in SELECTORS order. */
  selectedBy: string[];
  /** The target the state manifest was parsed with (default ci, the same as now). */
  stateTarget?: string;
}

const schemaYml = (edit: (text: string) => string) => ({ 'models/schema.yml': edit(BASE['models/schema.yml'] as string) });

const ROWS: Row[] = [
  { change: "a model's SQL", node: 'plain', apply: { 'models/plain.sql': "select code, label from {{ ref('codes') }}\n" }, selectedBy: OLD_MODIFIED('body') },
  { change: 'only whitespace around the SQL (dbt strips files)', node: 'plain', apply: { 'models/plain.sql': "\n\nselect code from {{ ref('codes') }}\n\n\n" }, selectedBy: UNCHANGED },
  {
    change: 'a config (materialized, in the property file)',
    node: 'undocumented',
    apply: schemaYml((t) => t.replace('    description: a model without persist_docs\n', '    description: a model without persist_docs\n    config:\n      materialized: table\n')),
    selectedBy: OLD_MODIFIED('configs'),
  },
  { change: 'a target-aware project config, compared across targets (unrendered)', node: 'by_target', apply: {}, stateTarget: 'prod', selectedBy: UNCHANGED },
  {
    change: 'the relation (alias)',
    node: 'undocumented',
    apply: schemaYml((t) => t.replace('    description: a model without persist_docs\n', '    description: a model without persist_docs\n    config:\n      alias: renamed\n')),
    selectedBy: OLD_MODIFIED('relation'),
  },
  { change: 'a column description with persist_docs on', node: 'documented', apply: schemaYml((t) => t.replace('      - name: id\n        description: the id\n  - name: undocumented', '      - name: id\n        description: the identifier\n  - name: undocumented')), selectedBy: OLD_MODIFIED('persisted_descriptions') },
  { change: 'a model description with persist_docs on', node: 'documented', apply: schemaYml((t) => t.replace('the documented model', 'the model, documented')), selectedBy: OLD_MODIFIED('persisted_descriptions') },
  { change: 'a column description without persist_docs', node: 'undocumented', apply: schemaYml((t) => t.replace('a model without persist_docs\n    columns:\n      - name: id\n        description: the id', 'a model without persist_docs\n    columns:\n      - name: id\n        description: the identifier')), selectedBy: UNCHANGED },
  { change: 'a macro the model calls', node: 'priced', apply: { 'macros/cents.sql': '{% macro cents(x) %}round({{ x }} * {{ factor() }}){% endmacro %}\n{% macro factor() %}100{% endmacro %}\n' }, selectedBy: OLD_MODIFIED('macros') },
  { change: 'a macro called by that macro', node: 'priced', apply: { 'macros/cents.sql': '{% macro cents(x) %}({{ x }} * {{ factor() }}){% endmacro %}\n{% macro factor() %}1000{% endmacro %}\n' }, selectedBy: OLD_MODIFIED('macros') },
  {
    // dbt records only the dispatching macro; tsdbt also follows adapter.dispatch to the implementations.
    change: 'the implementation a dispatched macro reaches',
    node: 'shouted',
    apply: { 'macros/shout.sql': "{% macro shout(x) %}{{ return(adapter.dispatch('shout')(x)) }}{% endmacro %}\n{% macro default__shout(x) %}lower({{ x }}){% endmacro %}\n" },
    selectedBy: OLD_MODIFIED('macros'),
  },
  { change: "an enforced contract's column type", node: 'contracted', apply: schemaYml((t) => t.replace('data_type: integer', 'data_type: bigint')), selectedBy: OLD_MODIFIED('contract') },
  { change: 'a new model', node: 'brand_new', apply: { 'models/brand_new.sql': 'select 2 as id\n' }, selectedBy: [...MODIFIED('body', 'configs', 'relation', 'persisted_descriptions', 'contract'), 'state:new'] },
  { change: "a seed's contents", node: 'codes', apply: { 'seeds/codes.csv': 'code,label\n1,one\n2,deux\n' }, selectedBy: OLD_MODIFIED('body') },
];

describe('state: selection, each kind of change as dbt documents it', () => {
  it.each(ROWS)('$change', async (row) => {
    const dir = await projectWithState(row.stateTarget);
    writeFiles(dir, row.apply);
    const selected = await selections(dir);
    expect(selected.get(row.node) ?? []).toEqual(row.selectedBy);
    // Nothing else is modified: every other node is old and unmodified.
    for (const [name, selectors] of selected) if (name !== row.node) expect({ name, selectors }).toEqual({ name, selectors: UNCHANGED });
  }, 300_000);
});

describe('result: and --state errors', () => {
  it('result:<status> selects the nodes with that status in the state run_results.json', async () => {
    const dir = await projectWithState();
    writeFileSync(
      path.join(dir, 'state', 'run_results.json'),
      JSON.stringify({ results: [{ unique_id: 'model.demo.plain', status: 'error' }, { unique_id: 'model.demo.priced', status: 'success' }, { unique_id: 'seed.demo.codes', status: 'error' }] }),
    );
    const names = async (select: string, resourceTypes?: string[]) => (await invoke(dir, 'ls', { select: [select], state: 'state', resourceTypes })).lines.sort();
    expect(await names('result:error')).toEqual(['codes', 'plain']);
    // With graph operators: the children of every errored node.
    expect(await names('result:error+', ['model'])).toEqual(['plain', 'priced']);
    expect(await names('result:success')).toEqual(['priced']);
  }, 300_000);

  it('a missing --state folder, manifest or run_results.json, or a broken manifest, is exit 2 naming the file', async () => {
    const dir = await projectWithState();
    const none = await invoke(dir, 'ls', { select: ['state:modified'], state: 'nowhere' });
    expect(none.code).toBe(2);
    expect(none.lines.join('\n')).toMatch(/--state folder .*nowhere does not exist/);
    const without = await invoke(dir, 'ls', { select: ['state:modified'] });
    expect(without.code).toBe(2);
    expect(without.lines.join('\n')).toContain("Got a state selector method, but no comparison manifest: 'state:modified' compares with an earlier run, so it needs --state");
    // --defer-state is the state deferral reads, not the one state: selection compares with (dbt: the same error).
    mkdirSync(path.join(dir, 'deferred'));
    cpSync(path.join(dir, 'state', 'manifest.json'), path.join(dir, 'deferred', 'manifest.json'));
    const deferOnly = await invoke(dir, 'ls', { select: ['state:modified'], deferState: 'deferred' });
    expect(deferOnly.code).toBe(2);
    expect(deferOnly.lines.join('\n')).toContain('Got a state selector method, but no comparison manifest');
    mkdirSync(path.join(dir, 'empty'));
    const noManifest = await invoke(dir, 'ls', { select: ['state:new'], state: 'empty' });
    expect(noManifest.code).toBe(2);
    expect(noManifest.lines.join('\n')).toMatch(/empty has no manifest\.json/);
    const noResults = await invoke(dir, 'ls', { select: ['result:fail'], state: 'state' });
    expect(noResults.code).toBe(2);
    expect(noResults.lines.join('\n')).toContain('has no run_results.json');
    writeFileSync(path.join(dir, 'state', 'manifest.json'), '{"nodes": ');
    const broken = await invoke(dir, 'ls', { select: ['state:modified'], state: 'state' });
    expect(broken.code).toBe(2);
    expect(broken.lines.join('\n')).toMatch(/manifest\.json \(--state\) is not a valid dbt artifact/);
    const badSub = await invoke(dir, 'ls', { select: ['state:modified.bodies'], state: 'state' });
    expect(badSub.code).toBe(2);
    // The target folder itself as --state: dbt's WarnStateTargetEqual (an error under --warn-error).
    const itself = await invoke(dir, 'ls', { select: ['state:modified'], state: 'target', warnError: true });
    expect(itself.code).toBe(2);
    expect(itself.lines.join('\n')).toContain("Warning: The state and target directories are the same: 'target'.");
  }, 300_000);
});

describe('breaking changes to an enforced contract (dbt: UnversionedBreakingChange)', () => {
  it('warns with dbt\'s text when a column of an unversioned contracted model changes type or disappears; an added column is no break', async () => {
    const dir = await projectWithState();
    writeFiles(dir, schemaYml((t) => t.replace('data_type: integer', 'data_type: bigint')));
    const retyped = await invoke(dir, 'ls', { select: ['state:modified'], state: 'state' });
    expect(retyped.code).toBe(0);
    const text = (lines: string[]) => lines.map((l) => l.replace(/^\d\d:\d\d:\d\d {2}/, '')).join('\n');
    expect(text(retyped.lines)).toContain(
      'Breaking change to contracted, unversioned model contracted (models/contracted.sql)\nWhile comparing to previous project state, dbt detected a breaking change to an unversioned model.\n  - Columns with data_type changes: \n    - id (integer -> bigint)',
    );
    writeFiles(dir, schemaYml((t) => t.replace('      - name: id\n        data_type: integer\n', '      - name: id\n        data_type: integer\n      - name: extra\n        data_type: text\n')));
    writeFiles(dir, { 'models/contracted.sql': 'select 1 as id, \'x\' as extra\n' });
    const added = await invoke(dir, 'ls', { select: ['state:modified.contract'], state: 'state' });
    expect(added.lines).toEqual(['contracted']);
    // dbt's same_contract_removed names a disabled model apart from a deleted one.
    writeFiles(dir, { 'models/contracted.sql': "{{ config(enabled=false) }}\nselect 1 as id, 'x' as extra\n" });
    const disabled = await invoke(dir, 'ls', { select: ['state:modified'], state: 'state' });
    expect(text(disabled.lines)).toContain("While comparing to previous project state, dbt detected a breaking change to an unversioned model.\n  - Contracted model 'model.demo.contracted' was disabled.");
    removeDir(path.join(dir, 'models', 'contracted.sql'));
    writeFiles(dir, schemaYml((t) => t.replace(/  - name: contracted[\s\S]*$/, '')));
    const deleted = await invoke(dir, 'ls', { select: ['state:modified'], state: 'state', warnError: true });
    expect(deleted.code).toBe(2);
    expect(text(deleted.lines)).toContain("Contracted model 'model.demo.contracted' was deleted or renamed.");
  }, 300_000);
});

describe('breaking changes to a versioned model\'s contract (dbt: ContractBreakingChangeError)', () => {
  const versioned = (dataType: string) => `version: 2
models:
  - name: api
    latest_version: 1
    config:
      materialized: table
      contract: {enforced: true}
    columns:
      - name: id
        data_type: ${dataType}
    versions:
      - v: 1
`;
  it('fails with dbt\'s error naming the version and the way out (a new version), which then passes', async () => {
    const dir = testdir({ 'dbt_project.yml': 'name: demo\nprofile: demo\n', 'profiles.yml': PROFILES, 'models/api_v1.sql': 'select 1 as id\n', 'models/schema.yml': versioned('integer') });
    dirs.push(dir);
    expect((await invoke(dir, 'parse', { noPartialParse: true })).code).toBe(0);
    mkdirSync(path.join(dir, 'state'));
    cpSync(path.join(dir, 'target', 'manifest.json'), path.join(dir, 'state', 'manifest.json'));
    writeFiles(dir, { 'models/schema.yml': versioned('bigint') });
    const broken = await invoke(dir, 'ls', { select: ['state:modified'], state: 'state' });
    expect(broken.code).toBe(2);
    const text = broken.lines.join('\n');
    expect(text).toContain(
      'Breaking Change to Contract Error in model api.v1 (models/api_v1.sql)\nWhile comparing to previous project state, dbt detected a breaking change to an enforced contract.\n  - Columns with data_type changes: \n    - id (integer -> bigint)\nConsider making an additive (non-breaking) change instead, if possible.\nOtherwise, create a new model version',
    );
    expect(text.match(/Breaking Change to Contract Error/g)).toHaveLength(1);
    expect(text).not.toMatch(/\n\s+at .*\.(ts|c?js):\d+/);
    // The way out dbt names: the change as a new version, v1 kept as it was.
    writeFiles(dir, {
      'models/api_v2.sql': "select 'x'::text as id\n",
      'models/schema.yml': versioned('integer').replace('    versions:\n      - v: 1\n', '    versions:\n      - v: 1\n      - v: 2\n        columns:\n          - include: all\n          - name: id\n            data_type: text\n'),
    });
    const added = await invoke(dir, 'ls', { select: ['state:modified'], state: 'state' });
    expect(added.code, added.lines.join('\n')).toBe(0);
    expect(added.lines.filter((l) => /^[\w.]+$/.test(l))).toEqual(['api.v2']);
  }, 300_000);
});

describe('seeds over 1MB (dbt compares them by path)', () => {
  const big = (label: string) => `code,label\n${Array.from({ length: 120_000 }, (_v, i) => `${i},${label}`).join('\n')}\n`;
  it('a seed grown past 1MB is modified; one over 1MB at the same path is assumed unchanged, with dbt\'s warnings', async () => {
    const dir = await projectWithState();
    writeFiles(dir, { 'seeds/codes.csv': big('grown') });
    const grown = await invoke(dir, 'ls', { select: ['state:modified'], state: 'state' });
    expect(grown.lines.filter((l) => /^\w+$/.test(l))).toEqual(['codes']);
    expect(grown.lines.join('\n')).toContain('Found a seed (demo.codes) >1MB in size. The previous file was <=1MB, so it has changed');
    // The state now has the big seed; its contents change but its path does not.
    await invoke(dir, 'parse', { noPartialParse: true });
    cpSync(path.join(dir, 'target', 'manifest.json'), path.join(dir, 'state', 'manifest.json'));
    writeFiles(dir, { 'seeds/codes.csv': big('changed') });
    const same = await invoke(dir, 'ls', { select: ['state:modified'], state: 'state' });
    expect(same.lines.filter((l) => /^\w+$/.test(l))).toEqual([]);
    expect(same.lines.join('\n')).toContain('Found a seed (demo.codes) >1MB in size at the same path, dbt cannot tell if it has changed: assuming they are the same');
  }, 300_000);
});

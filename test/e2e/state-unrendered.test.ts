// Slim CI across targets with dbt's `state_modified_compare_more_unrendered_values` (docs: behavior
// flags, "Source definitions for state:modified"; caveats to state comparison): the --state manifest
// comes from prod, the comparison runs on ci, and configs whose rendered value depends on the target
// are written the same in both. With the flag, state:modified compares what was written (a
// `config()` call's arguments, a property file's `config:`, a source's `database:` / `schema:`), so
// nothing is modified until the written text changes; without it (dbt 1.11's default) the rendered
// values differ and those nodes are modified.
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
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

const SQL_CONFIG = "{{ config(materialized=('table' if target.name == 'prod' else 'view')) }}\nselect 1 as id\n";

const FILES = (flag: boolean): Record<string, string> => ({
  'dbt_project.yml': `name: demo\nprofile: demo\n${flag ? 'flags:\n  state_modified_compare_more_unrendered_values: true\n' : ''}`,
  'profiles.yml': PROFILES,
  'seeds/codes.csv': 'code\n1\n',
  'models/sql_config.sql': SQL_CONFIG,
  'models/yml_config.sql': 'select 1 as id\n',
  'models/plain.sql': 'select 1 as id\n',
  'models/schema.yml': `version: 2
models:
  - name: yml_config
    config:
      materialized: "{{ 'table' if target.name == 'prod' else 'view' }}"
seeds:
  - name: codes
    config:
      quote_columns: "{{ target.name == 'prod' }}"
sources:
  - name: raw
    schema: "{{ target.schema }}"
    tables:
      - name: events
`,
});

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

const invoke = parseOrLs;

/** The project parsed for prod, that manifest copied to state/ (what a deployment leaves for CI). */
async function prodState(flag: boolean): Promise<string> {
  const dir = testdir(FILES(flag));
  dirs.push(dir);
  const parsed = await invoke(dir, 'parse', { target: 'prod', noPartialParse: true });
  expect(parsed.code, parsed.lines.join('\n')).toBe(0);
  mkdirSync(path.join(dir, 'state'));
  cpSync(path.join(dir, 'target', 'manifest.json'), path.join(dir, 'state', 'manifest.json'));
  return dir;
}

/** What `ls -s <selector> --state state` lists on the ci target (a source as `raw.events`). */
async function modified(dir: string, selector = 'state:modified'): Promise<string[]> {
  const { code, lines } = await invoke(dir, 'ls', { select: [selector], state: 'state', resourceTypes: ['model', 'seed', 'source'], noPartialParse: true });
  expect(code, lines.join('\n')).toBe(0);
  return lines.filter((l) => /^[\w:.]+$/.test(l)).sort();
}

describe('state:modified and configs that depend on the target', () => {
  it('without the flag (dbt 1.11 default), rendered config() / property-file configs and a source schema differ between targets', async () => {
    const dir = await prodState(false);
    expect(await modified(dir)).toEqual(['codes', 'raw.events', 'sql_config', 'yml_config']);
  }, 300_000);

  it('with state_modified_compare_more_unrendered_values, nothing is modified until what is written changes', async () => {
    const dir = await prodState(true);
    expect(await modified(dir)).toEqual([]);

    // manifest.json keeps what was written, as dbt writes it.
    const manifest = JSON.parse(readFileSync(path.join(dir, 'state', 'manifest.json'), 'utf8')) as {
      nodes: Record<string, { unrendered_config: Record<string, unknown>; config: Record<string, unknown> }>;
      sources: Record<string, { schema: string; unrendered_schema: string | null; unrendered_database: string | null }>;
    };
    expect(manifest.nodes['model.demo.sql_config']?.config.materialized).toBe('table');
    expect(manifest.nodes['model.demo.sql_config']?.unrendered_config).toEqual({
      materialized:
        "Keyword(key='materialized', value=CondExpr(test=Compare(expr=Getattr(node=Name(name='target', ctx='load'), attr='name', ctx='load'), ops=[Operand(op='eq', expr=Const(value='prod'))]), expr1=Const(value='table'), expr2=Const(value='view')))",
    });
    expect(manifest.nodes['model.demo.yml_config']?.unrendered_config).toEqual({ materialized: "{{ 'table' if target.name == 'prod' else 'view' }}" });
    expect(manifest.nodes['seed.demo.codes']?.unrendered_config).toEqual({ quote_columns: "{{ target.name == 'prod' }}" });
    expect(manifest.sources['source.demo.raw.events']).toMatchObject({ schema: 'prod_schema', unrendered_schema: '{{ target.schema }}', unrendered_database: null });

    // Changing what is written is a change.
    writeFiles(dir, { 'models/sql_config.sql': SQL_CONFIG.replace("'prod'", "'production'") });
    expect(await modified(dir, 'state:modified.configs')).toEqual(['sql_config']);
    writeFiles(dir, { 'models/sql_config.sql': SQL_CONFIG, 'models/schema.yml': (FILES(true)['models/schema.yml'] as string).replace('{{ target.schema }}', '{{ target.schema }}_raw') });
    expect(await modified(dir)).toEqual(['raw.events']);
  }, 300_000);
});

// `state:modified` against a production manifest that dbt wrote (a project moving to tsdbt keeps
// its slim CI): the engine's own macros (package `dbt`, dbt's adapter packages) differ between the
// two engines in text, not in what the project wrote, so they select nothing; the project's own
// macros are compared as dbt compares them, and against a manifest tsdbt wrote every macro is.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const FILES = {
  'dbt_project.yml': 'name: shop\nprofile: shop\n',
  'macros/cents.sql': '{% macro cents(x) %}{{ x }} * 100{% endmacro %}\n',
  'models/orders.sql': "select {{ cents('1') }} as amount, {{ dbt.current_timestamp() }} as at\n",
  'models/other.sql': 'select 1 as id\n',
  'models/configured.sql': "{{ config(materialized='table', tags=['a']) }}\nselect 1 as id\n",
  'models/schema.yml': 'version: 2\nmodels:\n  - name: other\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
};

type Manifest = { metadata: Record<string, unknown>; macros: Record<string, { macro_sql: string; package_name: string; original_file_path?: string }> };

describe('state:modified against a manifest dbt wrote', () => {
  const dir = testdir(FILES);
  afterAll(() => removeDir(dir));
  const env = { HOME: dir, DBT_PROFILES_DIR: '' };
  const modified = async () => {
    const result = await runTsdbt(['ls', '--project-dir', dir, '--select', 'state:modified', '--state', 'state', '--output', 'name', '-q'], { env });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    return result.stdout.trim().split('\n').filter(Boolean).sort();
  };
  /** The state: this parse's manifest, as dbt would have written it (its macros' paths dbt-core's) or as tsdbt did. */
  const writeState = (edit: (m: Manifest) => void) => {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as Manifest;
    edit(manifest);
    mkdirSync(path.join(dir, 'state'), { recursive: true });
    writeFileSync(path.join(dir, 'state/manifest.json'), JSON.stringify(manifest));
  };
  /** dbt's macros where dbt-core keeps them (`macros/...`; tsdbt's are `tsdbt/global_project/macros/...`). */
  const asDbtWroteIt = (m: Manifest) => {
    for (const macro of Object.values(m.macros)) if (macro.package_name === 'dbt') macro.original_file_path = String(macro.original_file_path).replace(/^tsdbt\/(global_project|adapters\/[^/]+)\//, '');
  };
  const engineMacrosChanged = (m: Manifest) => {
    for (const macro of Object.values(m.macros)) if (macro.package_name === 'dbt') macro.macro_sql += '\n{# dbt-core 1.11 text #}';
    // dbt-postgres' own package, which tsdbt's manifest has no copy of
    m.macros['macro.dbt_postgres.postgres__current_timestamp'] = { macro_sql: '{% macro postgres__current_timestamp() %}now(){% endmacro %}', package_name: 'dbt_postgres' };
  };

  it("ignores the engine's macros of a manifest dbt wrote, but compares the project's", async () => {
    expect((await runTsdbt(['parse', '--project-dir', dir], { env })).code).toBe(0);
    writeState((m) => {
      asDbtWroteIt(m);
      engineMacrosChanged(m);
    });
    expect(await modified()).toEqual([]);
    writeState((m) => {
      asDbtWroteIt(m);
      engineMacrosChanged(m);
      (m.macros['macro.shop.cents'] as { macro_sql: string }).macro_sql = '{% macro cents(x) %}{{ x }} * 1000{% endmacro %}';
    });
    expect(await modified()).toEqual(['orders']);
  });

  it('compares every macro of a manifest tsdbt wrote, as dbt compares its own', async () => {
    writeState(engineMacrosChanged);
    // orders calls dbt.current_timestamp; the not_null test calls dbt's test macro
    expect(await modified()).toEqual(['not_null_other_id', 'orders']);
  });

  it("reads a manifest dbt wrote in its own shapes: config() arguments as syntax trees, hooks as text, lists doubled", async () => {
    writeFileSync(path.join(dir, 'models/schema.yml'), [
      'version: 2',
      'models:',
      '  - name: other',
      '    config: {post_hook: "select 2", grants: {select: [reporter]}}',
      '    columns:',
      '      - name: id',
      '        data_tests: [not_null]',
      '',
    ].join('\n'));
    expect((await runTsdbt(['parse', '--project-dir', dir], { env })).code).toBe(0);
    type Node = { unrendered_config: Record<string, unknown> };
    const dbtShapes = (m: Manifest & { nodes?: Record<string, Node> }) => {
      asDbtWroteIt(m);
      const nodes = m.nodes as Record<string, Node>;
      // dbt with state_modified_compare_more_unrendered_values, where its static parser did not read the file
      nodes['model.shop.configured']!.unrendered_config = {
        materialized: "Keyword(key='materialized', value=Const(value='table'))",
        tags: "Keyword(key='tags', value=List(items=[Const(value='a')], ctx='load'))",
      };
      // a property file's hooks as written, and a patch's lists twice
      nodes['model.shop.other']!.unrendered_config = { post_hook: ['select 2', 'select 2'], grants: { select: ['reporter', 'reporter'] } };
    };
    writeState(dbtShapes);
    expect(await modified()).toEqual([]);
    writeState((m) => {
      dbtShapes(m);
      ((m as unknown as { nodes: Record<string, Node> }).nodes['model.shop.configured']!.unrendered_config).materialized = "Keyword(key='materialized', value=Const(value='view'))";
    });
    expect(await modified()).toEqual(['configured']);
  });

  it("compares a source by dbt's fields as its manifest writes them (quoting's column, external)", async () => {
    writeFileSync(path.join(dir, 'models/sources.yml'), [
      'version: 2',
      'sources:',
      '  - name: lake',
      '    tables:',
      '      - name: events',
      "        external: {location: 's3://bucket/events/', file_format: parquet}",
      '',
    ].join('\n'));
    expect((await runTsdbt(['parse', '--project-dir', dir], { env })).code).toBe(0);
    type Source = { quoting: Record<string, unknown>; external: Record<string, unknown> | null };
    writeState((m) => {
      asDbtWroteIt(m);
      const source = (m as unknown as { sources: Record<string, Source> }).sources['source.shop.lake.events']!;
      // as dbt writes them
      expect(source.quoting).toHaveProperty('column', null);
      expect(source.external).toMatchObject({ location: 's3://bucket/events/', file_format: 'parquet', row_format: null });
    });
    expect(await modified()).toEqual([]);
    writeState((m) => {
      const source = (m as unknown as { sources: Record<string, Source> }).sources['source.shop.lake.events']!;
      source.external = { ...source.external, location: 's3://bucket/old/' };
    });
    expect(await modified()).toEqual(['lake.events']);
  });
});

// A macro that builds macro text (fivetran_utils 0.3.4's generate_columns_macro appends
// `'{% endmacro %}'` to a list): dbt-common's block extraction skips quoted strings inside tags, so
// the macro runs whole and the manifest's macro_sql holds all of it, to its own end tag.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const macro = [
  '{% macro gen_columns_macro(table_name) %}',
  '{% set lines = [] %}',
  "{% do lines.append('{% macro get_' ~ table_name ~ '_columns() %}') %}",
  "{% do lines.append('{% set columns = [') %}",
  "{% do lines.append('] %}') %}",
  "{% do lines.append('{% endmacro %}') %}",
  "{{ log(lines | join(' / '), info=True) }}",
  '{% endmacro %}',
].join('\n');

describe('an end tag inside a string in a macro', () => {
  const dir = testdir({
    'dbt_project.yml': 'name: shop\nprofile: shop\n',
    'macros/gen.sql': `${macro}\n`,
  });
  afterAll(() => removeDir(dir));

  it('runs the macro whole and keeps all of it in macro_sql', async () => {
    const result = await runTsdbt(['run-operation', 'gen_columns_macro', '--args', '{table_name: orders}', '--project-dir', dir], { env: { HOME: dir, DBT_PROFILES_DIR: '' } });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('{% macro get_orders_columns() %} / {% set columns = [ / ] %} / {% endmacro %}');
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as { macros: Record<string, { macro_sql: string }> };
    expect(manifest.macros['macro.shop.gen_columns_macro']!.macro_sql).toBe(macro);
  });
});

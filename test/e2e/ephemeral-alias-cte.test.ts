// An ephemeral model's CTE is named after its identifier (its alias), as dbt names it
// (compilation.py: add_ephemeral_prefix(cte_model.identifier); dbt-core's TestEphemeralModelWithAlias).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const FILES = {
  'dbt_project.yml': 'name: shop\nprofile: shop\n',
  'models/first_ephemeral_model_with_alias.sql': "{{ config(materialized='ephemeral', alias='first_alias') }}\nselect 1 as fun\n",
  'models/second_ephemeral_model_with_alias.sql': "select * from {{ ref('first_ephemeral_model_with_alias') }}\n",
};

describe('ephemeral model with an alias', () => {
  const dir = testdir(FILES);
  afterAll(() => removeDir(dir));

  it('is injected and read as __dbt__cte__<alias>', async () => {
    const result = await runTsdbt(['compile', '--project-dir', dir], { env: { HOME: dir, DBT_PROFILES_DIR: '' } });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const compiled = readFileSync(path.join(dir, 'target/compiled/shop/models/second_ephemeral_model_with_alias.sql'), 'utf8');
    // The config() line leaves a newline (dbt keeps it): the CTE body starts with a blank line.
    expect(compiled.split('\n').map((line) => line.trim())).toEqual(['with __dbt__cte__first_alias as (', '', 'select 1 as fun', ') select * from __dbt__cte__first_alias']);
  });
});

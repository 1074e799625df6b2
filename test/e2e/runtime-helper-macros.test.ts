// dbt-adapters' newer global macros a project can call (global_project/macros/runtime_helpers.sql):
// is_core_v2() (False: tsdbt follows dbt 1.x), validate_doc_columns (the documented columns the
// relation has, a warning naming the others), resolve_model_name, generate_latest_version_pointer_alias.
import { afterAll, describe, expect, it } from 'vitest';
import { runOperationCommand } from '../../src/app/run-operation.js';
import { testInvocation } from '../support/test-invocation.js';
import { removeDir, testdir } from '../support/testdir.js';

const PROFILES = 'demo:\n  target: dev\n  outputs:\n    dev: {type: pglite, path: memory, schema: main}\n';
const MACRO = `{% macro probe() %}
  {% set kept = validate_doc_columns(api.Relation.create(schema='s', identifier='t'), {'id': {'quote': false}, 'Name': {'quote': true}, 'gone': {}}, ['ID', 'name']) %}
  {% do log('v2: ' ~ is_core_v2() ~ ' kept: ' ~ (kept.keys() | list) ~ ' model: ' ~ resolve_model_name('orders') ~ ' alias: ' ~ generate_latest_version_pointer_alias(none, {'name': 'dim'}) ~ '/' ~ generate_latest_version_pointer_alias(' dim_now ', {'name': 'dim'}), info=True) %}
{% endmacro %}
`;

describe("dbt-adapters' runtime helper macros", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeDir));

  it('is_core_v2, validate_doc_columns, resolve_model_name and generate_latest_version_pointer_alias give dbt-adapters answers', async () => {
    const dir = testdir({ 'dbt_project.yml': 'name: demo\nprofile: demo\n', 'profiles.yml': PROFILES, 'macros/probe.sql': MACRO });
    dirs.push(dir);
    const { inv, lines } = testInvocation(dir);
    expect(await runOperationCommand(inv, { macro: 'probe' }), lines.join('\n')).toBe(0);
    const out = lines.join('\n');
    expect(out).toContain("v2: False kept: ['id'] model: orders alias: dim/dim_now");
    expect(out).toContain('In relation "s"."t": The following columns are specified in the schema but are not present in the database: Name, gone');
  });
});

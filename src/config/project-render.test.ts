// dbt_project.yml is rendered natively with target, env_var() and --vars, except vars, hooks and
// the query comment (dbt's DbtProjectYamlRenderer and get_rendered(..., native=True)).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { renderYamlValue } from '../jinja/dbt/yaml-values.js';
import { loadProjectConfig } from './project-config.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-render-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const location = { file: 'dbt_project.yml', line: 7 };
const native = (template: string, vars: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = {}) =>
  renderYamlValue(template, { env, vars, location, target: { name: 'dev', type: 'postgres' } });

describe('dbt_project.yml rendering', () => {
  it('renders config values but leaves vars, hooks and the query comment as templates', () => {
    writeFileSync(
      path.join(dir, 'dbt_project.yml'),
      [
        'name: demo',
        "target-path: \"{{ env_var('TSDBT_RENDER_TARGET', 'target') }}\"",
        'vars:',
        "  kept: \"{{ var('x') }}\"",
        'on-run-start: ["select \'{{ invocation_id }}\'"]',
        "query-comment: \"{{ my_comment(node) }}\"",
        'models:',
        '  demo:',
        "    +enabled: \"{{ var('on', false) | as_bool }}\"",
        "    +post-hook: \"grant select on {{ this }} to reporter\"",
        '    staging:',
        "      +pre-hook: [\"select '{{ this }}'\"]",
        "      +materialized: \"{{ 'ephemeral' if target.name == 'trino' else 'table' }}\"",
        '',
      ].join('\n'),
    );
    const config = loadProjectConfig(dir, (template, loc) => renderYamlValue(template, { env: { TSDBT_RENDER_TARGET: 'out' }, vars: { on: true }, location: loc, target: { name: 'dev' } }));
    expect(config.targetPath).toBe('out');
    expect(config.raw.vars).toEqual({ kept: "{{ var('x') }}" });
    expect(config.raw['on-run-start']).toEqual(["select '{{ invocation_id }}'"]);
    expect(config.queryComment).toBe('{{ my_comment(node) }}');
    expect(config.models).toEqual({
      demo: { '+enabled': true, '+post-hook': 'grant select on {{ this }} to reporter', staging: { '+pre-hook': ["select '{{ this }}'"], '+materialized': 'table' } },
    });
  });

  it('renders natively: one expression keeps its type, text around it makes text', () => {
    expect(native('{{ false }}')).toBe(false);
    expect(native("{{ var('load_source_data', false) }}")).toBe(false);
    expect(native("{{ target.type != 'fabric' }}")).toBe(true);
    expect(native('{{ 1 + 1 }}')).toBe(2);
    expect(native('{{ 2.0 }}')).toBe(2);
    // The rest of dbt's dbt_project.yml / properties.yml context.
    expect(native('{{ dbt_version }}')).toBe('1.11.14');
    expect(native("{{ builtins.env_var('PORT') }}", {}, { PORT: '1' })).toBe('1');
    expect(native("{{ var('cols') }}", { cols: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(native('{{ none }}')).toBeNull();
    expect(native("{{ 'x' }}")).toBe('x');
    // A quoted number stays text (only as_native / as_number read text back).
    expect(native("{{ '5' }}")).toBe('5');
    expect(native("{{ env_var('PORT') }}", {}, { PORT: '5432' })).toBe('5432');
    expect(native('schema_{{ target.name }}')).toBe('schema_dev');
    expect(native('{{ 1 }}{{ 2 }}')).toBe('12');
    expect(native('{% if true %}yes{% endif %}')).toBe('yes');
    // A var holding a template renders where it is read (dbt's Var.get_rendered_var).
    expect(native("{{ var('s') }}", { s: '{{ target.name }}_raw' })).toBe('dev_raw');
  });

  it('as_native / as_bool / as_number read the text back as a Python literal; as_text keeps text', () => {
    expect(native("{{ env_var('PORT') | as_number }}", {}, { PORT: '5432' })).toBe(5432);
    expect(native("{{ env_var('ON') | as_bool }}", {}, { ON: 'True' })).toBe(true);
    expect(native("{{ env_var('ON') | as_bool }}", {}, { ON: 'false' })).toBe(false);
    expect(native("{{ '[1, 2]' | as_native }}")).toEqual([1, 2]);
    expect(native("{{ \"{'a': True, 'b': None}\" | as_native }}")).toEqual({ a: true, b: null });
    expect(native("{{ 'not a literal' | as_native }}")).toBe('not a literal');
    expect(native('{{ 5 | as_text }}')).toBe('5');
    expect(() => native("{{ 'abc' | as_number }}")).toThrow(/could not convert 'abc' into a number/);
    expect(() => native("{{ 'maybe' | as_bool }}")).toThrow(/into a boolean/);
  });

  it("a marker is still its text inside the expression (dbt's markers are str): the filter binding to the literal does not change ==, != or in", () => {
    // `a == 'b' | as_bool()` is `a == ('b' | as_bool())`: a comparison with the text 'b'.
    expect(native("{{ target.type == 'postgres' | as_bool() }}")).toBe(true);
    expect(native("{{ target.type == 'bigquery' | as_bool() }}")).toBe(false);
    expect(native("{{ target.type != 'bigquery' | as_bool() }}")).toBe(true);
    // `in` a marker is a substring test on the list's text, as in Python.
    expect(native("{{ target.type in ['redshift', 'postgres'] | as_bool() }}")).toBe(true);
    expect(native("{{ target.type in ['bigquery', 'snowflake'] | as_bool() }}")).toBe(false);
  });

  it("gives dbt's BaseContext (run_started_at, modules, the Python builtins) to every YAML value, as dbt's renderers do", () => {
    // GitLab's dbt_project.yml: `+schema: "snowplow_{{ var('year', run_started_at.strftime('%Y')) }}_..."`.
    const startedAt = new Date('2024-03-05T10:20:30Z');
    const base = (template: string, extra: { projectName?: string } = {}) =>
      renderYamlValue(template, { env: {}, vars: {}, location, target: { name: 'dev' }, startedAt, invocationId: 'inv-1', ...extra });
    expect(base("snowplow_{{ var('year', run_started_at.strftime('%Y')) }}_{{ var('month', run_started_at.strftime('%m')) }}")).toBe('snowplow_2024_03');
    expect(base("{{ modules.datetime.datetime(2020, 1, 2).strftime('%Y%m%d') }}")).toBe('20200102');
    expect(base("{{ modules.re.sub('-', '_', 'a-b') }}")).toBe('a_b');
    expect(base("{{ tojson({'a': [1, 2]}) }}")).toBe('{"a": [1, 2]}');
    expect(base("{{ fromjson('[1, 2]') }}")).toEqual([1, 2]);
    expect(base("{{ set(['a', 'a', 'b']) | length }}")).toBe(2);
    expect(base("{{ local_md5('dbt') }}")).toBe('b6ccd40d2285deac430714c82f73e033'); // Python's hashlib.md5(b'dbt').hexdigest()
    expect(base('{{ invocation_id }}')).toBe('inv-1');
    expect(base('{{ thread_id }}')).toBe('MainThread');
    expect(base('{{ project_name }}', { projectName: 'gitlab_snowflake' })).toBe('gitlab_snowflake');
  });

  it("a var neither given nor defaulted is dbt's RequiredVarNotFoundError, at the value's line (but for deps)", () => {
    // community-tech-alliance's google_ads source tables are named "{{ var('Campaign') }}"; without
    // --vars dbt stops there, where tsdbt read a table without a name.
    const render = (extra: { requireVars?: boolean } = {}) => renderYamlValue("{{ var('Campaign') }}", { env: {}, vars: {}, location: { file: 'google_ads/models/source.yml', line: 17 }, ...extra });
    let error: unknown;
    try {
      render();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TsdbtError);
    expect((error as TsdbtError).message).toBe("Required var 'Campaign' not found in config");
    expect((error as TsdbtError).location).toEqual({ file: 'google_ads/models/source.yml', line: 17 });
    expect(render({ requireVars: false })).toBeNull();
    expect(renderYamlValue("{{ var('Campaign', none) }}|{{ var('Campaign', 'c') }}", { env: {}, vars: {}, location })).toBe('None|c');
    expect(renderYamlValue("{{ var('Campaign') }}", { env: {}, vars: { Campaign: 'Campaign_123' }, location })).toBe('Campaign_123');
  });

  it("reports an error in a package's dbt_project.yml at that file and line", () => {
    const pkg = path.join(dir, 'pkg');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(path.join(pkg, 'dbt_project.yml'), ['name: pkg', 'models:', '  pkg:', "    +enabled: \"{{ nope() }}\"", ''].join('\n'));
    let error: unknown;
    try {
      loadProjectConfig(pkg, (template, loc) => renderYamlValue(template, { env: {}, vars: {}, location: loc }), { display: 'dbt_packages/pkg/dbt_project.yml' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TsdbtError);
    expect((error as TsdbtError).location).toEqual({ file: 'dbt_packages/pkg/dbt_project.yml', line: 4 });
    expect((error as TsdbtError).message).toMatch(/nope/);
  });
});

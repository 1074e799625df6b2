// dbt's template context as models see it, checked through `tsdbt compile` (no warehouse): each
// builtin renders what dbt documents.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTsdbt, type CliResult } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const MODEL = `{{ config(materialized='table', tags=['t1'], meta={'owner': 'ana'}) }}
ref1: {{ ref('upstream') }}
ref2: {{ ref('demo', 'upstream') }}
builtins_ref: {{ builtins.ref('upstream') }}
source: {{ source('raw', 'events') }}
rendered_source: {{ source('landing', 'clicks') }}
this: {{ this }} | {{ this.schema }} | {{ this.identifier }} | {{ this.name }}
target: {{ target.name }} {{ target.schema }} {{ target.type }} {{ target.threads }} password={{ target.password is defined }}
config_get: {{ config.get('materialized') }} {{ config.get('missing', 'fallback') }} {{ config.get('meta')['owner'] }}
var: {{ var('window') }} {{ var('absent', 'dflt') }} {{ var('from_cli') }}
env: {{ env_var('TSDBT_TEST_REGION') }} {{ env_var('TSDBT_NOT_SET', 'default-env') }}
incremental: {{ is_incremental() }}
execute: {{ execute }}
quote: {{ adapter.quote('Mixed Case') }}
dispatch: {{ adapter.dispatch('greet', 'demo')('x') }}
namespaced: {{ demo.shout('hey') }}
global: {{ dbt.generate_schema_name('finance', model) }}
returned: {{ pair() | join('+') }} {{ mapping()['k'] }}
json: {{ tojson({'a': [1, 2]}) }} {{ fromjson('{"b": 3}')['b'] }}
yaml: {{ fromyaml('x: 5')['x'] }}
zip: {% for a, b in zip([1, 2], ['a', 'b']) %}{{ a }}{{ b }} {% endfor %}
started: {{ run_started_at.strftime('%Y') | length }} {{ invocation_id | length }}
datetime: {{ modules.datetime.datetime(2024, 1, 2).strftime('%Y-%m-%d') if modules.datetime.datetime is callable else modules.datetime.datetime.fromisoformat('2024-01-02').strftime('%Y-%m-%d') }}
re: {{ modules.re.sub('[0-9]+', '#', 'a1b22') }} {{ modules.re.match('(?P<w>[a-z]+)', 'abc1').group('w') }}
select 1 as id`;

const MACROS = `{% macro default__greet(x) %}default {{ x }}{% endmacro %}
{% macro postgres__greet(x) %}postgres {{ x }}{% endmacro %}
{% macro shout(x) %}{{ x | upper }}!{% endmacro %}
{% macro pair() %}{{ return(['a', 'b']) }}{% endmacro %}
{% macro mapping() %}{{ return({'k': 'v'}) }}{% endmacro %}
{% macro generate_schema_name(custom_schema_name, node) -%}
  {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}custom_{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}`;

describe('dbt template context', () => {
  let dir: string;
  let result: CliResult;
  let lines: Record<string, string>;
  beforeAll(async () => {
    dir = testdir({
      'dbt_project.yml': "name: demo\nprofile: demo\nvars:\n  window: 30\nmodels:\n  demo:\n    marts:\n      +schema: marts\n",
      'models/upstream.sql': 'select 1 as id\n',
      'models/marts/model_under_test.sql': MODEL,
      'models/sources.yml':
        'version: 2\nsources:\n  - name: raw\n    schema: landing\n    tables:\n      - name: events\n' +
        '  - name: landing\n    schema: "{{ target.schema }}_{{ var(\'window\') }}"\n    tables:\n      - name: clicks\n        identifier: "clicks_{{ env_var(\'TSDBT_TEST_REGION\') | replace(\'-\', \'_\') }}"\n',
      'macros/helpers.sql': MACROS,
    });
    result = await runTsdbt(['compile', '--project-dir', dir, '--vars', '{"from_cli": "cli-value"}'], { env: { TSDBT_TEST_REGION: 'eu-west' } });
    const compiled = readFileSync(path.join(dir, 'target/compiled/demo/models/marts/model_under_test.sql'), 'utf8');
    lines = Object.fromEntries(compiled.split('\n').filter((l) => l.includes(': ')).map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]));
  });
  afterAll(() => removeDir(dir));

  it('compiles', () => expect(result.code, result.stdout + result.stderr).toBe(0));
  it('ref / source / builtins.ref', () => {
    expect(lines.ref1).toBe('"postgres"."analytics"."upstream"');
    expect(lines.ref2).toBe(lines.ref1);
    expect(lines.builtins_ref).toBe(lines.ref1);
    expect(lines.source).toBe('"postgres"."landing"."events"');
  });
  it("renders a source's schema and identifier with target, var and env_var, as dbt does", () => {
    expect(lines.rendered_source).toBe('"postgres"."analytics_30"."clicks_eu_west"');
  });
  it('this follows the project generate_schema_name override', () => {
    expect(lines.this).toBe('"postgres"."custom_marts"."model_under_test" | custom_marts | model_under_test | model_under_test');
  });
  it('target without the password', () => expect(lines.target).toBe('dev analytics postgres 4 password=False'));
  it('config.get', () => expect(lines.config_get).toBe('table fallback ana'));
  it('var with project, default and --vars values', () => expect(lines.var).toBe('30 dflt cli-value'));
  it('env_var with and without default', () => expect(lines.env).toBe('eu-west default-env'));
  it('is_incremental and execute', () => {
    expect(lines.incremental).toBe('False');
    expect(lines.execute).toBe('True');
  });
  it('adapter.quote and adapter.dispatch pick postgres__ over default__', () => {
    expect(lines.quote).toBe('"Mixed Case"');
    expect(lines.dispatch).toBe('postgres x');
  });
  it('macros by namespace, the dbt namespace, and return()', () => {
    expect(lines.namespaced).toBe('HEY!');
    expect(lines.global).toBe('analytics_finance');
    expect(lines.returned).toBe('a+b v');
  });
  it('tojson / fromjson / fromyaml / zip', () => {
    expect(lines.json).toBe('{"a": [1, 2]} 3');
    expect(lines.yaml).toBe('5');
    expect(lines.zip).toBe('1a 2b ');
  });
  it('run_started_at, invocation_id, modules', () => {
    expect(lines.started).toBe('4 36');
    expect(lines.datetime).toBe('2024-01-02');
    expect(lines.re).toBe('a#b# abc');
  });
  // dbt builds `target` anew for each render's context (to_target_dict), so what a template writes
  // into it stays in that render: dbt_synth_data keeps each model's hooks in `target` this way.
  it("what a render writes into target stays in that render", async () => {
    const remember = "{% macro remember(q) %}{% set hooks = target.get('hooks') or [] %}{{ hooks.append(q) or '' }}{% do target.update({'hooks': hooks}) %}{% endmacro %}\n" +
      "{% macro remembered() %}{{ return((target.get('hooks') or []) | join(';')) }}{% endmacro %}\n";
    const model = (name: string) => `{{ remember('from_${name}') }}{{ config(post_hook=remembered()) }}select '{{ remembered() }}' as seen, '{{ target.schema }}' as schema\n`;
    const own = testdir({
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'macros/remember.sql': remember,
      'models/a.sql': model('a'),
      'models/b.sql': model('b'),
    });
    try {
      const out = await runTsdbt(['compile', '--project-dir', own, '--threads', '1']);
      expect(out.code, out.stdout + out.stderr).toBe(0);
      for (const name of ['a', 'b']) {
        const compiled = readFileSync(path.join(own, `target/compiled/demo/models/${name}.sql`), 'utf8');
        expect(compiled.trim()).toBe(`select 'from_${name}' as seen, 'analytics' as schema`);
      }
      const manifest = JSON.parse(readFileSync(path.join(own, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, { config: { 'post-hook': { sql: string }[] } }> };
      expect(manifest.nodes['model.demo.a']?.config['post-hook'].map((h) => h.sql)).toEqual(['from_a']);
      expect(manifest.nodes['model.demo.b']?.config['post-hook'].map((h) => h.sql)).toEqual(['from_b']);
    } finally {
      removeDir(own);
    }
  });
  it('config.require and a missing var are clear errors', async () => {
    const bad = testdir({
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'models/m.sql': "select {{ var('nope') }}\n",
      'models/k.sql': "select 1 as id\n-- {{ config.require('unique_key') }}\n",
    });
    try {
      const out = await runTsdbt(['compile', '--project-dir', bad]);
      expect(out.code).toBe(2);
      expect(out.stderr).toMatch(/models\/m\.sql:1: Required var 'nope' not found/);
      expect(out.stderr).toMatch(/models\/k\.sql:2: Model 'model.demo.k' does not define a required config parameter 'unique_key'\./);
    } finally {
      removeDir(bad);
    }
  });
});

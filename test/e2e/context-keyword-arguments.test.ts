// dbt's context functions are Python functions: a template may give any argument by name
// (docs "dbt Jinja functions": log(msg, info=False), exceptions.warn(msg), adapter.quote(identifier),
// adapter.dispatch(macro_name, macro_namespace=None), local_md5(value), set_strict(value),
// diff_of_two_dicts(dict_a, dict_b), load_result(name)). Found by data-mie/dbt-profiler, whose
// `log(profile_sql, info=False)` printed every profiling query to the console: the keyword bag
// was read as a true `info`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const MODEL = `{% do log('debug-only message', info=False) %}{% do log(msg='info message by name', info=True) %}{% do exceptions.warn(msg='warned by name') %}
-- md5: {{ local_md5(value='hello') }}
-- set_strict: {{ set_strict(value=[1, 1, 2]) | length }}
-- quote: {{ adapter.quote(identifier='x') }}
-- quote_values: {{ adapter.quote(none) }} {{ adapter.quote(1) }} {{ adapter.quote(true) }} {{ adapter.quote_seed_column(none) }} {{ adapter.quote_as_configured(none, 'identifier') }}
-- dispatch: {{ adapter.dispatch(macro_name='dateadd', macro_namespace='dbt')('day', 1, 'd') }}
-- seed_column: {{ adapter.quote_seed_column(column='c', quote_config=false) }} {{ adapter.quote_as_configured(identifier='x', quote_key='identifier') }}
-- diff: {{ diff_of_two_dicts(dict_a={'a': ['x', 'y']}, dict_b={'a': ['x']}) }}
{% if execute %}{% call statement('st', fetch_result=True) %}select 2 as z{% endcall %}{% endif %}
-- load_result: {{ load_result(name='st').table.columns[0].values() if execute else '' }}
select 1 as id`;

describe('context functions take their arguments by name', () => {
  let p: WarehouseProject;
  let compiled: RunOutcome;
  let lines: Record<string, string>;
  beforeAll(async () => {
    p = warehouseProject('pglite', {
      'models/named.sql': MODEL,
      'models/raises.sql': "{% if execute %}{{ exceptions.raise_compiler_error(msg='raised by name') }}{% endif %}\nselect 1 as id",
    });
    compiled = await p.run('compile', { select: ['named'] });
    const text = readFileSync(path.join(p.dir, 'target/compiled/demo/models/named.sql'), 'utf8');
    lines = Object.fromEntries(text.split('\n').filter((l) => l.startsWith('-- ')).map((l) => [l.slice(3, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]));
  }, 120_000);
  afterAll(() => p.cleanup());

  it("log(msg, info=False) stays out of the console; log(msg=..., info=True) and warn(msg=...) reach it", () => {
    expect(compiled.code, compiled.output).toBe(0);
    expect(compiled.output).not.toContain('debug-only message');
    expect(compiled.output).toContain('info message by name');
    expect(compiled.output).toContain('warned by name');
  });

  it('local_md5, set_strict, diff_of_two_dicts, load_result and the adapter members read keyword arguments', () => {
    expect(lines.md5).toBe('5d41402abc4b2a76b9719d911017c592');
    expect(lines.set_strict).toBe('2');
    expect(lines.quote).toBe('"x"');
    // Python formats the value with str(): '"{}"'.format(None) is "None", not JavaScript's "null".
    expect(lines.quote_values).toBe('"None" "1" "True" "None" "None"');
    expect(lines.dispatch).toBe("d + ((interval '1 day') * (1))");
    expect(lines.seed_column).toBe('c "x"');
    expect(lines.diff).toBe("{'a': ['y']}");
    expect(lines.load_result).toBe('(2,)');
  });

  it('exceptions.raise_compiler_error(msg=...) fails with that message', async () => {
    await expect(p.run('compile', { select: ['raises'] })).rejects.toThrow(/^raised by name$/);
  });
});

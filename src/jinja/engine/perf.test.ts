// Throughput check: 10,000 distinct small models, each calling a library macro, compiled and
// rendered with a fresh node context per render (the shape of a large dbt project parse).
import { describe, expect, it } from 'vitest';
import { JinjaEnvironment, MacroLibrary, bindMacro } from './index.js';

describe('performance', () => {
  it('compiles and renders 10,000 distinct templates calling a macro', () => {
    const env = new JinjaEnvironment();
    const lib = new MacroLibrary(env);
    lib.addFile({
      path: 'macros/util.sql',
      source: [
        "{% macro cents_to_dollars(col, scale=2) %}({{ col }} / 100)::numeric(16, {{ scale }}){% endmacro %}",
        "{% macro other(x) %}{{ x }}{% endmacro %}",
        "{% macro third(x) %}{% for i in x %}{{ i }}{% endfor %}{% endmacro %}",
      ].join('\n'),
    }, 'proj');
    const names = lib.names('proj');
    const n = 10_000;
    const run = (): number => {
      let bytes = 0;
      for (let i = 0; i < n; i++) {
        const ctx: Record<string, unknown> = { this: `"db"."analytics"."model_${i}"`, ref: (m: string) => `"db"."analytics"."${m}"` };
        for (const name of names) Object.defineProperty(ctx, name, { get: () => bindMacro(lib, 'proj', name, ctx) });
        const source = `{{ config(materialized='view') if config is defined }}\nselect id, {{ cents_to_dollars('amount_${i}') }} as amount\nfrom {{ ref('stg_${i % 100}') }}\n{% if ${i} % 2 == 0 %}where id > ${i}{% endif %}\n`;
        const tpl = env.compile({ path: `models/model_${i}.sql`, source });
        bytes += env.render(tpl, ctx).length;
      }
      return bytes;
    };
    let start = performance.now();
    const bytes = run();
    const ms = performance.now() - start;
    start = performance.now();
    run();
    const cached = performance.now() - start;
    console.log(`10,000 templates compiled + rendered in ${ms.toFixed(0)} ms (${((ms / n) * 1000).toFixed(0)} µs each); re-rendered from the compile cache in ${cached.toFixed(0)} ms`);
    expect(bytes).toBeGreaterThan(n * 50);
    expect(ms).toBeLessThan(30_000);
  });
});

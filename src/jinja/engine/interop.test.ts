// JavaScript interop: context objects with getters, class instances with methods and getters,
// keyword arguments passed to JS functions, JS values rendered with Python str().
import { describe, expect, it } from 'vitest';
import { JinjaEnvironment } from './index.js';

class Relation {
  constructor(readonly database: string, readonly schema: string, readonly identifier: string) {}
  get fqn(): string {
    return `${this.database}.${this.schema}.${this.identifier}`;
  }
  include(...args: unknown[]): Relation {
    const kw = (args[args.length - 1] ?? {}) as { database?: boolean; __keywords?: boolean };
    return kw.__keywords && kw.database === false ? new Relation('', this.schema, this.identifier) : this;
  }
  toString(): string {
    return [this.database, this.schema, this.identifier].filter(Boolean).map((p) => `"${p}"`).join('.');
  }
}

describe('JavaScript interop', () => {
  const env = new JinjaEnvironment();

  it('class instances: getters, methods with this, kwargs, toString', () => {
    const rel = new Relation('db', 'sc', 't');
    expect(env.renderString('{{ r }} {{ r.schema }} {{ r.fqn }} {{ r.include(database=false) }} {{ [r.identifier] }}', { r: rel }))
      .toBe('"db"."sc"."t" sc db.sc.t "sc"."t" [\'t\']');
  });

  it('plain objects with function members (config.get) take precedence over dict methods', () => {
    const config = { get: (k: string, d?: unknown) => (k === 'materialized' ? 'table' : d), require: (k: string) => k };
    expect(env.renderString("{{ config.get('materialized') }} {{ config.get('x', 'dflt') }} {{ config.require('y') }}", { config }))
      .toBe('table dflt y');
  });

  it('keyword arguments reach JS functions as a trailing __keywords object', () => {
    const seen: unknown[][] = [];
    const fn = (...args: unknown[]) => {
      seen.push(args);
      return '';
    };
    env.renderString("{{ f(1, 'a', materialized='view', n=none) }}{{ f() }}", { f: fn });
    expect(seen).toEqual([[1, 'a', { materialized: 'view', n: null, __keywords: true }], []]);
  });

  it('lazy getters on the context are read only when used', () => {
    let reads = 0;
    const ctx = {};
    Object.defineProperty(ctx, 'expensive', { get: () => ++reads });
    expect(env.renderString('{% if false %}{{ expensive }}{% endif %}x', ctx)).toBe('x');
    expect(reads).toBe(0);
    expect(env.renderString('{{ expensive }}{{ expensive }}', ctx)).toBe('12');
  });

  it('undefined JS results render empty; null renders None', () => {
    expect(env.renderString('[{{ u() }}][{{ n() }}]', { u: () => undefined, n: () => null })).toBe('[][None]');
  });

  it('template variables do not leak into the caller context', () => {
    const ctx: Record<string, unknown> = {};
    env.renderString('{% set x = 1 %}{% macro m() %}{% endmacro %}', ctx);
    expect(Object.keys(ctx)).toEqual([]);
  });

  it('Object.prototype members are not visible as variables or attributes', () => {
    expect(env.renderString('[{{ constructor }}][{{ d.toString }}][{{ d.constructor is defined }}]', { d: {} })).toBe('[][][False]');
  });

  it('addFilter / addTest / addGlobal', () => {
    const e = new JinjaEnvironment()
      .addFilter('shout', (v, ...a) => `${String(v).toUpperCase()}${JSON.stringify(a)}`)
      .addTest('short', (v) => String(v).length < 3)
      .addGlobal('answer', 42);
    expect(e.renderString("{{ 'a' | shout(1, k=2) }} {{ 'ab' is short }} {{ answer }}", {})).toBe('A[1,{"k":2,"__keywords":true}] True 42');
  });
});

describe('lipsum (Jinja2 global)', () => {
  const env = new JinjaEnvironment();
  it('renders n paragraphs, as HTML or text, with min..max words each', () => {
    const html = env.renderString('{{ lipsum(2, min=3, max=5) }}', {}, 'lipsum.sql');
    const paragraphs = html.split('\n');
    expect(paragraphs).toHaveLength(2);
    for (const p of paragraphs) {
      expect(p).toMatch(/^<p>[A-Z][a-z ]+\.<\/p>$/);
      const words = p.replace(/<\/?p>|\./g, '').split(' ').length;
      expect(words).toBeGreaterThanOrEqual(3);
      expect(words).toBeLessThanOrEqual(5);
    }
    expect(env.renderString('{{ lipsum(3, html=false, min=2, max=2) }}', {}, 'lipsum.sql').split('\n\n')).toHaveLength(3);
  });
});

describe('random filter (Jinja2)', () => {
  const env = new JinjaEnvironment();
  it('picks an item of the sequence', () => {
    for (let i = 0; i < 20; i++) expect(['a', 'b', 'c']).toContain(env.renderString("{{ ['a', 'b', 'c'] | random }}", {}, 'random.sql'));
    expect(env.renderString("{{ 'x' | random }}", {}, 'random.sql')).toBe('x');
  });
});

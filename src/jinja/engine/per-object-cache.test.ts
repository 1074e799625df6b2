// Per-context caches of the macro machinery (per-object-cache.ts): what a cache keeps is found
// again on the same object only, never on another cache's or a copy's, frozen objects included,
// and the object's members as templates list and copy them are unchanged.
import { describe, expect, it } from 'vitest';
import { PerObjectCache } from './per-object-cache.js';

describe('PerObjectCache', () => {
  it('keeps a value per object, apart from other caches and from copies', () => {
    const a = new PerObjectCache<string>('a');
    const b = new PerObjectCache<string>('b');
    const ctx: Record<string, unknown> = { x: 1 };
    a.set(ctx, 'for a');
    expect(a.get(ctx)).toBe('for a');
    expect(b.get(ctx)).toBeUndefined();
    expect(a.get({ x: 1 })).toBeUndefined();
    // The context's members, as templates list and copy them, are unchanged.
    expect(Object.keys(ctx)).toEqual(['x']);
    expect(a.get({ ...ctx })).toBeUndefined();
    expect(a.get(Object.assign({}, ctx))).toBeUndefined();
    expect(a.get(Object.create(ctx) as object)).toBeUndefined();
    expect(JSON.stringify(ctx)).toBe('{"x":1}');
  });

  it('works on frozen objects', () => {
    const cache = new PerObjectCache<number>('n');
    const frozen = Object.freeze({});
    cache.set(frozen, 7);
    expect(cache.get(frozen)).toBe(7);
    expect(cache.get(Object.freeze({}))).toBeUndefined();
  });
});

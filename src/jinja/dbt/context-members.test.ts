import { describe, expect, it } from 'vitest';
import { lazyOwn } from './context-members.js';

// A render's context makes `model` and `adapter` when a template first reads them (dbt's context
// has them from the start: reading one gives the same object each time, and a template or a unit
// test's override may replace it before it is read).
describe('lazyOwn: a context member made when first read', () => {
  it('makes the member once, keeps it as an own data member, and gives each context its own', () => {
    let made = 0;
    const contexts = [1, 2].map((n) => {
      const context: Record<string, unknown> = {};
      lazyOwn(context, 'model', () => ({ n, made: ++made }));
      return context;
    });
    expect(made).toBe(0);
    const first = contexts[0]!.model;
    expect(first).toEqual({ n: 1, made: 1 });
    expect(contexts[0]!.model).toBe(first);
    expect(Object.getOwnPropertyDescriptor(contexts[0], 'model')).toMatchObject({ value: first, writable: true, enumerable: true });
    expect(contexts[1]!.model).toEqual({ n: 2, made: 2 });
    expect(Object.keys(contexts[0]!)).toEqual(['model']);
  });

  it('keeps an assignment made before any read, and never calls the maker then', () => {
    const context: Record<string, unknown> = {};
    lazyOwn(context, 'adapter', () => {
      throw new Error('not to be made');
    });
    context.adapter = 'replaced';
    expect(context.adapter).toBe('replaced');
  });

  it('keeps what is read or assigned through an object made from the context on the context itself', () => {
    const context: Record<string, unknown> = {};
    lazyOwn(context, 'model', () => ({ name: 'm' }));
    lazyOwn(context, 'adapter', () => 'a');
    const scope = Object.create(context) as Record<string, unknown>;
    const model = scope.model;
    expect(Object.hasOwn(scope, 'model')).toBe(false);
    expect(context.model).toBe(model);
    scope.adapter = 'set in a scope';
    expect(Object.hasOwn(scope, 'adapter')).toBe(false);
    expect(context.adapter).toBe('set in a scope');
  });

  it('serves a copy of the context (its own members copied) from the original', () => {
    const context: Record<string, unknown> = {};
    lazyOwn(context, 'model', () => ({ name: 'm' }));
    const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(context)) as Record<string, unknown>;
    expect(copy.model).toBe(context.model);
  });
});

// A cache of values per object (per render context), kept on the object itself under a symbol of
// the cache rather than in a WeakMap keyed by it. V8's scavenger (the young-generation GC) treats
// a WeakMap's values as strong whatever becomes of their keys, so a WeakMap keyed by a context whose
// values point back at it (macros bound to it) kept every node's context alive through two
// scavenges and into the old generation: `tsdbt compile` of 30,000 nodes promoted 190 MB of
// contexts that only a full GC could free, and the copying was a fifth of its CPU time. A member
// under a symbol dies with its object in the first scavenge after the render. Objects that take no
// new members (frozen ones) fall back to a WeakMap. Each cache has its own symbol, so two builds in
// one process never share entries.

export class PerObjectCache<V> {
  private readonly key: symbol;
  private readonly fallback = new WeakMap<object, V>();

  constructor(description: string) {
    this.key = Symbol(description);
  }

  get(target: object): V | undefined {
    if (Object.prototype.hasOwnProperty.call(target, this.key)) return (target as Record<symbol, V>)[this.key];
    return this.fallback.get(target);
  }

  set(target: object, value: V): void {
    // Not enumerable: a context copied with spread or Object.assign, or listed with keys(), does not carry it.
    if (Object.isExtensible(target)) Object.defineProperty(target, this.key, { value, enumerable: false, configurable: true, writable: true });
    else this.fallback.set(target, value);
  }
}

// Hearing of a dict's or list's in-place change before it happens. Templates change values only
// through Python's methods (`d.update()`, `d.pop()`, `l.append()` ...), and py-collection-methods.ts
// calls `beforeChange` in each of them; whoever handed a template an object it wants to undo
// changes to (the run's `graph`, compile/run-graph.ts) watches it and saves what it held.
// The watchers are keyed by the objects themselves (a WeakMap), so two runs never see each other's.

/** Called with the object about to change, before the change. */
export type ChangeWatcher = (target: object) => void;

const watchers = new WeakMap<object, ChangeWatcher>();

/** Calls `watcher` before each in-place change a template makes to `target`. */
export function watchChanges(target: object, watcher: ChangeWatcher): void {
  watchers.set(target, watcher);
}

/** Tells `target`'s watcher, if it has one, that it is about to change. */
export function beforeChange(target: object): void {
  watchers.get(target)?.(target);
}

// Object.values / Object.entries for the manifest's large records (`manifest.nodes`: 30,000 keys
// for a 10,000-model project). An object of more than about a thousand keys is a dictionary in V8,
// and Object.values over one is 3-4 times slower than Object.keys and a lookup per key (37 against
// 11 ms for 30,000 keys, issue 18); a parse walks manifest.nodes some thirty times. Same values,
// same order (Object.values lists the values of Object.keys' keys).
//
// Listing the keys of such a record is itself the cost (V8 collects them and sorts them by
// insertion, ~5 ms for 30,000 keys): withKeysKept lists them once for a step that adds and deletes
// no key of the record (the parse's naming, linking and checks walk manifest.nodes twenty times),
// and the walks inside it take that list. Values are still read from the record at each walk, so a
// value replaced inside the step is seen. A key deleted inside the step goes through deleteKey,
// which drops it from the kept list (the linking step disables a test whose target is missing).

/** The key lists held by withKeysKept, per record, while its step runs. */
const keptKeys = new WeakMap<object, readonly string[]>();
/** Records a key of which was deleted (deleteKey) inside withKeysKept: their kept list is filtered at its next read. */
const staleKeys = new WeakSet<object>();

/**
 * Runs `step` with `record`'s keys listed once: recordKeys, recordValues and recordEntries of the
 * record inside it read that list. `step` must add no key to the record, and delete one only with deleteKey.
 */
export function withKeysKept<T>(record: object, step: () => T): T {
  if (keptKeys.has(record)) return step();
  keptKeys.set(record, Object.keys(record));
  try {
    return step();
  } finally {
    keptKeys.delete(record);
    staleKeys.delete(record);
  }
}

/** `delete record[key]`, also inside withKeysKept: the next walk lists the key no more. */
export function deleteKey(record: Record<string, unknown>, key: string): void {
  if (!Object.hasOwn(record, key)) return;
  delete record[key];
  if (keptKeys.has(record)) staleKeys.add(record);
}

/** The key list withKeysKept holds for `record`, without keys deleted since (undefined outside one). */
function keptKeysOf(record: object): readonly string[] | undefined {
  const kept = keptKeys.get(record);
  if (!kept || !staleKeys.has(record)) return kept;
  const live = kept.filter((key) => Object.hasOwn(record, key));
  keptKeys.set(record, live);
  staleKeys.delete(record);
  return live;
}

/** `Object.keys(record)` (a new array), the list withKeysKept holds when inside one for the record. */
export function recordKeys(record: object): string[] {
  const kept = keptKeysOf(record);
  return kept ? kept.slice() : Object.keys(record);
}

/** `Object.values(record)`, faster on a record of thousands of keys. */
export function recordValues<T>(record: Readonly<Record<string, T>>): T[] {
  const keys = keptKeysOf(record) ?? Object.keys(record);
  const values = new Array<T>(keys.length);
  for (let i = 0; i < keys.length; i++) values[i] = record[keys[i] as string] as T;
  return values;
}

/** `Object.entries(record)`, faster on a record of thousands of keys. */
export function recordEntries<T>(record: Readonly<Record<string, T>>): [string, T][] {
  const keys = keptKeysOf(record) ?? Object.keys(record);
  const entries = new Array<[string, T]>(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    entries[i] = [key, record[key] as T];
  }
  return entries;
}

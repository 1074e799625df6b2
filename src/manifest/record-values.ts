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
// value replaced inside the step is seen; a key removed inside it goes through deleteRecordKey.
// With `values: true` the values are listed once too (a step that replaces no value, only changes
// the objects in place: the parse's naming and linking): each walk then copies that list instead
// of looking its 30,000 keys up in a dictionary (~0.4 s of a cold 10,000-model parse, issue 18).

/** The key lists held by withKeysKept, per record, while its step runs (and the values, when kept). */
const keptKeys = new WeakMap<object, readonly string[]>();
const keptValues = new WeakMap<object, unknown[]>();

/**
 * Runs `step` with `record`'s keys listed once: recordKeys, recordValues and recordEntries of the
 * record inside it read that list. `step` must add no key of the record, and delete one only by
 * deleteRecordKey; with `values`, it must also replace no value (`record[key] = other`).
 */
export function withKeysKept<T>(record: object, step: () => T, options?: { values?: boolean }): T {
  if (keptKeys.has(record)) return step();
  const keys = Object.keys(record);
  keptKeys.set(record, keys);
  if (options?.values) keptValues.set(record, keys.map((key) => (record as Record<string, unknown>)[key]));
  try {
    return step();
  } finally {
    keptKeys.delete(record);
    keptValues.delete(record);
  }
}

/**
 * `delete record[key]`, also from the list withKeysKept holds for the record: a step may remove a
 * key this way (a test disabled with the model it tests, property-data-tests.ts), never add one.
 */
export function deleteRecordKey(record: Record<string, unknown>, key: string): void {
  delete record[key];
  const kept = keptKeys.get(record);
  if (kept) keptKeys.set(record, kept.filter((k) => k !== key));
  if (keptValues.has(record)) keptValues.set(record, (keptKeys.get(record) ?? []).map((k) => record[k]));
}

/** `Object.keys(record)` (a new array), the list withKeysKept holds when inside one for the record. */
export function recordKeys(record: object): string[] {
  const kept = keptKeys.get(record);
  return kept ? kept.slice() : Object.keys(record);
}

// The lists are made by `map`, not `new Array(length)`: V8 cannot inline an Array constructor call
// of more than about 16,000 elements, and such a call (30,000 nodes) from code without an
// allocation site of its own invalidates the process-wide ArrayConstructor protector, which
// deoptimizes every optimized function that relied on it (issue 18: a cold parse's YAML reader,
// walks and checks were compiled again after the DAG's first recordEntries).

/** `Object.values(record)`, faster on a record of thousands of keys. */
export function recordValues<T>(record: Readonly<Record<string, T>>): T[] {
  const values = keptValues.get(record);
  if (values) return values.slice() as T[];
  return (keptKeys.get(record) ?? Object.keys(record)).map((key) => record[key] as T);
}

/** `Object.entries(record)`, faster on a record of thousands of keys. */
export function recordEntries<T>(record: Readonly<Record<string, T>>): [string, T][] {
  const values = keptValues.get(record);
  if (values) return (keptKeys.get(record) as readonly string[]).map((key, i): [string, T] => [key, values[i] as T]);
  return (keptKeys.get(record) ?? Object.keys(record)).map((key): [string, T] => [key, record[key] as T]);
}

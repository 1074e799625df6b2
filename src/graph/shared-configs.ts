// One frozen object for each distinct node config: a project's nodes repeat a few configs many
// times (the 10,000-model bench's 30,000 nodes have 22), so after the parse equal configs (and
// unrendered configs, docs, checksums, macro lists and empty columns and sources) are made one
// shared, frozen object. The manifest then holds 22 where it held 30,000 (less for the collector
// to walk), manifest.json's writer serializes each config once (manifest-writer.ts), and
// partial_parse.bin's serializer writes each value once per chunk. Frozen, so a later write to one
// node's config throws instead of changing every node that shares it.
import type { ManifestNode } from '../manifest/types.js';

/** How many recent values each field compares a node's value with before writing it as JSON. */
const RECENT = 4;

/** Makes equal configs (and the other values above) of `nodes` one frozen object each. */
export function shareEqualConfigs(nodes: Iterable<ManifestNode>): void {
  const shared = new Map<string, object>();
  // Each field remembers the last few values it shared and what each was shared as: a node's
  // value holding the same keys and the very same values as one of them (the config of the
  // test before, the checksum of the test two before) is the same data, found without writing
  // it as JSON.
  // The value's keys are listed once per call and each remembered value keeps its list (listing
  // both sides at each comparison made ~40 MB of key lists on the 10,000-model bench).
  const sharer = () => {
    const recent: { value: object; keys: string[]; shared: object }[] = [];
    return <T extends object>(value: T): T => {
      const keys = Object.keys(value);
      for (const seen of recent) if (shallowSame(value, keys, seen.value, seen.keys)) return seen.shared as T;
      const key = plainJsonKey(value);
      if (key === null) return value;
      let seen = shared.get(key);
      if (!seen) shared.set(key, (seen = deepFreeze(value)));
      if (recent.unshift({ value, keys, shared: seen }) > RECENT) recent.pop();
      return seen as T;
    };
  };
  const shareConfig = sharer();
  const shareUnrendered = sharer();
  const shareDocs = sharer();
  const shareChecksum = sharer();
  const shareMacros = sharer();
  const shareColumns = sharer();
  const shareSources = sharer();
  for (const node of nodes) {
    const config = shareConfig(node.config);
    if (config !== node.config) {
      // tags and meta are the config's own (node-factory.ts, parse-sql-nodes.ts): they follow it.
      if (node.tags === node.config.tags) node.tags = config.tags;
      if (node.meta === node.config.meta) node.meta = config.meta;
      node.config = config;
    }
    if (node.unrendered_config) node.unrendered_config = shareUnrendered(node.unrendered_config);
    if (node.docs) node.docs = shareDocs(node.docs);
    // Generic tests of one macro share their text (so its checksum) and their macros.
    if (node.checksum) node.checksum = shareChecksum(node.checksum);
    if (node.depends_on?.macros) node.depends_on.macros = shareMacros(node.depends_on.macros);
    if (node.columns && Object.keys(node.columns).length === 0) node.columns = shareColumns(node.columns);
    if (node.sources?.length === 0) node.sources = shareSources(node.sources);
  }
}

/** The same own keys (`keysA`, `keysB`: Object.keys of each) in the same order, each holding the very same value (plain objects or arrays alike). */
function shallowSame(a: object, keysA: readonly string[], b: object, keysB: readonly string[]): boolean {
  if (Array.isArray(a) !== Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (keysA.length !== keysB.length) return false;
  for (let i = 0; i < keysA.length; i++) {
    const key = keysA[i] as string;
    if (key !== keysB[i] || (a as Record<string, unknown>)[key] !== (b as Record<string, unknown>)[key]) return false;
  }
  return true;
}

/** `value` as JSON text when it is plain JSON data (so equal text means equal data), else null. */
function plainJsonKey(value: object): string | null {
  return isPlainJson(value, 0) ? `${Array.isArray(value) ? 'a' : 'o'}${JSON.stringify(value)}` : null;
}

/** Plain objects, arrays, strings, booleans, null and finite numbers (not -0) only, not too deep. */
function isPlainJson(value: unknown, depth: number): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (typeof value !== 'object' || depth > 32) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!(i in value) || !isPlainJson(value[i], depth + 1)) return false;
    return Object.getPrototypeOf(value) === Array.prototype;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const key in value) if (!isPlainJson((value as Record<string, unknown>)[key], depth + 1)) return false;
  return Object.getOwnPropertySymbols(value).length === 0;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

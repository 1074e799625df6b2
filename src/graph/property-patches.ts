// The property-file entries (`models:`, `seeds:`, `snapshots:`, `analyses:`, `functions:`, singular
// tests' `data_tests:`) of one package, by resource, and dbt's rule that a resource is described once
// (schemas.py parse_patch: "patches can't be overwritten", DuplicatePatchPathError).
//
// dbt applies an entry to the node it finds (its own package's, else any package's) and refuses a
// second entry for a node that already has a patch_path. So it refuses:
// - two entries of one project for one enabled node (in one file or two);
// - a root entry and a package's entry for that package's node (the root is parsed first);
// and lets two entries describe a disabled node or no node at all (they are not patched onto an
// enabled node; the second just patches the disabled node again or warns NoNodeForYamlKey).
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { SchemaFile } from '../project/types.js';
import type { PatchEntry } from './patch-entry.js';

/** An entry and the package whose property file wrote it. */
export interface OwnedPatch {
  entry: PatchEntry;
  packageName: string;
}

export interface CollectedPatches {
  /** The first entry for each `kind:name`. */
  patches: Map<string, PatchEntry>;
  /** The second entry for a `kind:name` (the one dbt would refuse when the first found an enabled node). */
  duplicates: Map<string, PatchEntry>;
}

/** Resource kinds whose second entry is refused whatever it names (tsdbt's earlier rule; dbt has no disabled lookup for them). */
const ALWAYS_REFUSED = new Set(['function', 'test']);

export function collectPatches(schemaFiles: SchemaFile[], packageName: string, fail: (err: TsdbtError) => void): CollectedPatches {
  const patches = new Map<string, PatchEntry>();
  const duplicates = new Map<string, PatchEntry>();
  for (const file of schemaFiles) {
    const groups: [string, PatchEntry[] | undefined][] = [
      ['model', file.models as unknown as PatchEntry[]],
      ['seed', file.seeds as unknown as PatchEntry[]],
      ['snapshot', file.snapshots as unknown as PatchEntry[]],
      ['analysis', file.analyses as unknown as PatchEntry[]],
      ['function', (file.functions ?? []) as unknown as PatchEntry[]],
      ['test', (file.singularTests ?? []) as unknown as PatchEntry[]],
    ];
    for (const [kind, entries] of groups) {
      for (const entry of entries ?? []) {
        const key = `${kind}:${entry.name}`;
        const previous = patches.get(key);
        if (!previous) {
          patches.set(key, entry);
        } else if (ALWAYS_REFUSED.has(kind)) {
          fail(duplicatePatchError({ entry, packageName }, { entry: previous, packageName }));
        } else if (!duplicates.has(key)) {
          duplicates.set(key, entry);
        }
      }
    }
  }
  return { patches, duplicates };
}

/**
 * Refuses the duplicates describing an enabled node of the package (`hasEnabledNode`); returns the
 * others, which a root project's entry may still pass on to a package's node.
 */
export function refuseDuplicates(
  collected: CollectedPatches,
  packageName: string,
  hasEnabledNode: (kind: string, name: string) => boolean,
  fail: (err: TsdbtError) => void,
): Map<string, PatchEntry> {
  const left = new Map<string, PatchEntry>();
  for (const [key, second] of collected.duplicates) {
    const first = collected.patches.get(key) as PatchEntry;
    const [kind, name] = splitKey(key);
    if (hasEnabledNode(kind, name)) fail(duplicatePatchError({ entry: second, packageName }, { entry: first, packageName }));
    else left.set(key, second);
  }
  return left;
}

/** dbt's DuplicatePatchPathError: `later` found the node `earlier` had already patched. */
export function duplicatePatchError(later: OwnedPatch, earlier: OwnedPatch): TsdbtError {
  const name = later.entry.name;
  const samePackage = later.packageName === earlier.packageName;
  const where = (p: OwnedPatch): string => `${samePackage ? '' : `${p.packageName}://`}${p.entry.location.file}${p.entry.location.line ? `:${p.entry.location.line}` : ''}`;
  const fix = later.entry.location.file === earlier.entry.location.file && samePackage
    ? `remove one of the resource entries for ${name} in this file:\n - ${where(earlier)}\n - ${where(later)}`
    : `remove the resource entry for ${name} in one of these files:\n - ${where(later)}\n - ${where(earlier)}`;
  return new TsdbtError(
    `dbt found two schema.yml entries for the same resource named ${name}. Resources and their associated columns may only be described a single time. To fix this, ${fix}`,
    { code: 'duplicate-patch', location: later.entry.location, hint: 'keep one property entry per resource' },
  );
}

export function splitKey(key: string): [string, string] {
  const at = key.indexOf(':');
  return [key.slice(0, at), key.slice(at + 1)];
}

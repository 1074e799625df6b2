// A manifest read from partial_parse.bin holds its parent_map and child_map (60,000 arrays for
// the 10,000-model bench) as their serialized bytes until something asks for them: a compile or
// run of an unchanged parse copies manifest.json's maps from the file the parse wrote
// (artifacts/manifest-parse-parts.ts), and nothing else it does reads them.
import type { Manifest } from './types.js';

export type DependencyMaps = Pick<Manifest, 'parent_map' | 'child_map'>;

const MAP_KEYS = ['parent_map', 'child_map'] as const;

/**
 * `manifest` with parent_map and child_map read by `read` (once, both together) when either is
 * first asked for; each becomes a plain property then, or when it is assigned.
 */
export function withLazyDependencyMaps(manifest: Omit<Manifest, 'parent_map' | 'child_map'>, read: () => DependencyMaps): Manifest {
  const target = manifest as Manifest;
  const settle = (key: keyof DependencyMaps, value: Record<string, string[]>) => Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  let maps: DependencyMaps | null = null;
  for (const key of MAP_KEYS) {
    Object.defineProperty(target, key, {
      enumerable: true,
      configurable: true,
      get() {
        maps ??= read();
        for (const k of MAP_KEYS) if (Object.getOwnPropertyDescriptor(target, k)?.get) settle(k, maps[k]);
        return maps[key];
      },
      set(value: Record<string, string[]>) {
        settle(key, value);
      },
    });
  }
  return target;
}


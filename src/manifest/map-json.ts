// The JSON text of parent_map and child_map, made once per map. A parse writes each map twice:
// into partial_parse.bin and into manifest.json. As two objects of 30,000 keys each (the
// 10,000-model bench), v8's serializer walked them key by key (dictionary objects: listed and
// sorted, each value looked up) in ~0.1 s; partial_parse.bin now holds the text manifest.json
// holds, made by one JSON.stringify that the manifest writer then reuses, and a load that asks
// for the maps parses that text (and remembers it for the writer). A map is never changed in
// place once made (graph/dag.ts' buildParentChildMaps replaces both), which is what lets its text
// be kept beside it.
import type { DependencyMaps } from './lazy-maps.js';

const texts = new WeakMap<object, string>();

/** A dependency map's JSON text (JSON.stringify's), made once per map object. */
export function mapJson(map: Record<string, string[]>): string {
  let text = texts.get(map);
  if (text === undefined) texts.set(map, (text = JSON.stringify(map)));
  return text;
}

/** The text mapJson made or read for `value`, if it is such a map; else undefined. */
export function knownMapJson(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null ? texts.get(value) : undefined;
}

/** The maps as partial_parse.bin holds them: their texts. */
export type DependencyMapTexts = { [K in keyof DependencyMaps]: string };

/** The maps as their texts, for partial_parse.bin. */
export function dependencyMapTexts(maps: DependencyMaps): DependencyMapTexts {
  return { parent_map: mapJson(maps.parent_map), child_map: mapJson(maps.child_map) };
}

/** The maps read back from their texts, each text remembered for the manifest writer. */
export function dependencyMapsFromTexts(texts: DependencyMapTexts): DependencyMaps {
  return { parent_map: parsedMap(texts.parent_map), child_map: parsedMap(texts.child_map) };
}

function parsedMap(text: string): Record<string, string[]> {
  if (typeof text !== 'string') throw new TypeError('a dependency map of partial_parse.bin is not text');
  const map = JSON.parse(text) as Record<string, string[]>;
  texts.set(map, text);
  return map;
}

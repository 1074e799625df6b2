// The JSON text of parent_map and child_map. A parse writes each map twice, into
// partial_parse.bin and into manifest.json, and reads neither (docs, and model deprecation
// warnings, do): graph/dag.ts makes the two texts straight from the nodes, and the maps
// themselves (two objects of 30,000 keys for the 10,000-model bench, which V8 keeps as
// dictionaries: slow to grow, and walked key by key by both serializers) only when something asks
// for them (manifest/lazy-maps.ts), parsed from that text. partial_parse.bin holds the texts, and a
// load parses them when asked too. A map read from a text keeps it beside itself for the writers:
// a map is never changed in place once made (buildParentChildMaps replaces both), which is what
// lets its text be kept.
import type { Manifest } from './types.js';
import { withLazyDependencyMaps, type DependencyMaps } from './lazy-maps.js';

type MapKey = keyof DependencyMaps;

/** The maps as partial_parse.bin holds them: their texts. */
export type DependencyMapTexts = { [K in MapKey]: string };

const texts = new WeakMap<object, string>();
/** The texts of a manifest's maps not made yet (their accessors still in place). */
const pending = new WeakMap<object, DependencyMapTexts>();

/** A map not made yet, as manifest.json's writer takes it: its text (JSON.stringify gives the map's). */
export class MapText {
  constructor(readonly text: string) {}
  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

/** A dependency map's JSON text (JSON.stringify's), made once per map object. */
export function mapJson(map: Record<string, string[]>): string {
  let text = texts.get(map);
  if (text === undefined) texts.set(map, (text = JSON.stringify(map)));
  return text;
}

/** The text mapJson made or read for `value` (a map, or a MapText), if any; else undefined. */
export function knownMapJson(value: unknown): string | undefined {
  if (value instanceof MapText) return value.text;
  return typeof value === 'object' && value !== null ? texts.get(value) : undefined;
}

/** Whether `key` of `manifest` is still the map not made (its accessor, not assigned since). */
function stillPending(manifest: object, key: MapKey): DependencyMapTexts | undefined {
  const waiting = pending.get(manifest);
  return waiting && Object.getOwnPropertyDescriptor(manifest, key)?.get ? waiting : undefined;
}

/** `manifest[key]`, as a MapText while the map is not made (so writing it makes no map). */
export function mapPart(manifest: Manifest, key: MapKey): Record<string, string[]> | MapText {
  const waiting = stillPending(manifest, key);
  return waiting ? new MapText(waiting[key]) : manifest[key];
}

/** The texts of both maps of `manifest`, for partial_parse.bin: made or kept, without making the maps. */
export function dependencyMapTexts(manifest: Manifest): DependencyMapTexts {
  const text = (key: MapKey) => stillPending(manifest, key)?.[key] ?? mapJson(manifest[key]);
  return { parent_map: text('parent_map'), child_map: text('child_map') };
}

/** Gives `manifest` maps made from their texts when first asked for. */
export function setDependencyMapTexts(manifest: Manifest, given: DependencyMapTexts): void {
  pending.set(manifest, given);
  withLazyDependencyMaps(manifest, () => {
    pending.delete(manifest);
    return dependencyMapsFromTexts(given);
  });
}

/** The maps read back from their texts, each text remembered for the writers. */
export function dependencyMapsFromTexts(given: DependencyMapTexts): DependencyMaps {
  return { parent_map: parsedMap(given.parent_map), child_map: parsedMap(given.child_map) };
}

function parsedMap(text: string): Record<string, string[]> {
  if (typeof text !== 'string') throw new TypeError('a dependency map of partial_parse.bin is not text');
  const map = JSON.parse(text) as Record<string, string[]>;
  texts.set(map, text);
  return map;
}

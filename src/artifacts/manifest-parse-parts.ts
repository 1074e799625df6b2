// The parts of manifest.json that the parse alone decides: parent_map, child_map, group_map and
// disabled (from the nodes' depends_on, groups and the disabled nodes, none of which a compile or
// run changes). When the manifest.json being rewritten was written from the same parse, with
// nothing parsed again since, those parts are its bytes: copied, not made and stringified again
// (~0.13 s of a compile of the 10,000-model bench, with reading the maps from partial_parse.bin,
// which a manifest read from it then never does: manifest/lazy-maps.ts).

/** The parts of manifest.json the parse alone decides. */
export const PARSE_PARTS: ReadonlySet<string> = new Set(['parent_map', 'child_map', 'group_map', 'disabled']);

/** In a manifest's shape, in place of a parse part copied from the previous file. */
export const PARSE_COPY = Symbol('copied from the previous manifest.json');

/**
 * Whether the previous manifest.json's parse parts are the ones this write would write: it was
 * written from the parse (`layoutBasis`) this write's manifest is (`basis`), and no node was parsed
 * again since (`changed`).
 */
export function sameParseParts(layoutBasis: string, basis: string, changed: ReadonlySet<string>): boolean {
  return basis !== '' && layoutBasis === basis && changed.size === 0;
}

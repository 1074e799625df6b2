// partial_parse.bin's node chunks (parse-cache.ts writes and reads the file): each chunk's nodes
// packed by shape, their `_patch` entries apart and deserialized only when one is asked for
// (manifest/node-patch.ts). Split out of parse-cache.ts, which re-exports what its importers read.
import { deserialize, serialize } from 'node:v8';
import type { ManifestNode } from '../manifest/types.js';
import { encodePythonValues, mayHoldPythonValues, revivePythonValues } from './parse-cache-values.js';
import { DeferredPatch, nodePatch, type PatchSource } from '../manifest/node-patch.js';
import { sameKeys } from '../artifacts/literal-object.js';

/** One serialized chunk of nodes as read from the cache, reusable as it is when none of its nodes changed. */
export interface NodeChunk {
  ids: string[];
  data: Buffer;
}

/**
 * A chunk of nodes as written: the top-level keys of each distinct node shape once, and each node
 * as its shape's index followed by its values. The 30,000 nodes of the 10,000-model bench have a
 * handful of shapes, and v8's serializer writes an object's keys with every object: written once
 * a chunk, partial_parse.bin is a quarter smaller (37 -> 28 MB of nodes), as fast to write and a
 * little faster to read. The values are the nodes' own, so objects shared between nodes (equal
 * configs, graph/shared-configs.ts) are still written once a chunk.
 */
interface PackedNodes {
  shapes: string[][];
  rows: unknown[][];
  /** Whether the rows hold tagged Python values (parse-cache-values.ts). */
  python?: true;
  /**
   * The nodes' `_patch` entries (PackedPatches, serialized on their own), in row order; a row holds
   * its entry's index there. A third of a chunk's objects, which a compile or run never reads:
   * deserialized when a node's entry is first asked for (node-patch.ts).
   */
  patches?: Buffer;
}

interface PackedPatches {
  values: unknown[];
  python?: true;
}

export const PATCH_KEY = '_patch';

/** How many of the last shapes serializeNodes compares a node's keys with before it joins them. */
const RECENT_SHAPES = 4;

/** The `_patch` entries of one chunk, deserialized once the first is asked for. */
class ChunkPatches implements PatchSource {
  private values: unknown[] | undefined;

  constructor(private readonly data: Buffer) {}

  at(index: number): unknown {
    if (!this.values) {
      const { values, python } = deserialize(this.data) as PackedPatches;
      if (python) revivePythonValues(values);
      this.values = values;
    }
    return this.values[index];
  }
}

/**
 * A chunk of nodes as partial_parse.bin holds it (every reader and writer of a node chunk goes
 * through these two); throws UncacheableValue when a node holds an object of a class the cache
 * cannot write.
 */
export function serializeNodes(nodes: readonly object[]): Buffer {
  const shapes: string[][] = [];
  const shapeIndex = new Map<string, number>();
  const rows: unknown[][] = [];
  const patches: unknown[] = [];
  // The last shapes found, compared key by key before a signature is joined: the 30,000 nodes of
  // the 10,000-model bench come in runs of a few shapes, and joining each node's ~45 keys into a
  // ~600-character signature, then hashing it, was most of this loop's own time (as in
  // artifacts/literal-object.ts).
  const recent: number[] = [];
  for (const node of nodes) {
    const keys = Object.keys(node);
    let shape: number | undefined;
    for (const at of recent) {
      if (sameKeys(shapes[at] as string[], keys)) {
        shape = at;
        break;
      }
    }
    if (shape === undefined) {
      const signature = keys.join('\0');
      shape = shapeIndex.get(signature);
      if (shape === undefined) {
        shape = shapes.length;
        shapes.push(keys);
        shapeIndex.set(signature, shape);
      }
      if (recent.unshift(shape) > RECENT_SHAPES) recent.pop();
    }
    const row: unknown[] = [shape];
    for (const key of keys) {
      if (key === PATCH_KEY) {
        row.push(patches.length);
        patches.push(nodePatch(node));
      } else row.push((node as Record<string, unknown>)[key]);
    }
    rows.push(row);
  }
  const encoded = { any: false };
  const packed: PackedNodes = { shapes, rows: mayHoldPythonValues() ? encodePythonValues(rows, encoded) : rows };
  if (encoded.any) packed.python = true;
  if (patches.length > 0) {
    const patchesEncoded = { any: false };
    const values = mayHoldPythonValues() ? encodePythonValues(patches, patchesEncoded) : patches;
    packed.patches = serialize(patchesEncoded.any ? ({ values, python: true } satisfies PackedPatches) : ({ values } satisfies PackedPatches));
  }
  return serialize(packed);
}

/** The nodes of a chunk written by serializeNodes, in their order and with their keys in theirs. */
export function deserializeNodes(data: Buffer): ManifestNode[] {
  const { shapes, rows, python, patches } = deserialize(data) as PackedNodes;
  if (python) revivePythonValues(rows);
  const makers = shapes.map(nodeMaker);
  // Each shape's place of `_patch` in its rows (0: none).
  const patchAt = shapes.map((keys) => keys.indexOf(PATCH_KEY) + 1);
  // A copy: v8's deserializer makes a Buffer a view of the bytes it read, and every node's
  // DeferredPatch holding a view of partial_parse.bin kept all of the file's bytes (36 MB for the
  // 10,000-model bench) alive as long as the manifest, where its patches are a third of it.
  const source = patches ? new ChunkPatches(Buffer.from(patches)) : null;
  return rows.map((row) => {
    const shape = row[0] as number;
    const at = patchAt[shape] as number;
    if (at > 0 && source) row[at] = new DeferredPatch(source, row[at] as number);
    return (makers[shape] as NodeMaker)(row);
  });
}

type NodeMaker = (row: unknown[]) => ManifestNode;
const nodeMakers = new Map<string, NodeMaker>();

/**
 * Makes a node of one shape from its row, as an object literal of the shape's keys: an object
 * given 30 keys one by one (`node[key] = value`) falls into V8's dictionary mode, which took 40 MB
 * more for the bench's 30,000 nodes (and slower reads of them ever after) than the objects v8's
 * deserializer makes; a literal's are as compact. A key a literal cannot spell (`__proto__`) is set one by one.
 */
function nodeMaker(keys: string[]): NodeMaker {
  const signature = keys.join('\0');
  let maker = nodeMakers.get(signature);
  if (!maker) {
    if (keys.includes('__proto__')) {
      maker = (row) => {
        const node: Record<string, unknown> = {};
        for (let i = 0; i < keys.length; i++) Object.defineProperty(node, keys[i] as string, { value: row[i + 1], enumerable: true, writable: true, configurable: true });
        return node as unknown as ManifestNode;
      };
    } else {
      // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the keys are quoted by JSON.stringify: data, never code
      maker = new Function('row', `return {${keys.map((key, i) => `${JSON.stringify(key)}: row[${i + 1}]`).join(', ')}};`) as NodeMaker;
    }
    nodeMakers.set(signature, maker);
  }
  return maker;
}

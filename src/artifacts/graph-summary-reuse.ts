// graph_summary.json written again from the same parse: a command that loads an unchanged
// project from partial_parse.bin (same generation) writes the same summary but for its
// `_invocation_id`. Its text is built by walking every node and edge (~0.2 s of CPU for the
// 10,000-model bench, issue 18); when the file on disk is the one written from that generation
// (target/graph_summary.basis.json records the generation, whether it holds build's test edges,
// the length of its head up to the id, and the file's size and mtime after the write), only the
// head is overwritten in place. Any doubt (no record, another generation, a file changed since,
// an id of another length) is an ordinary write.
import { closeSync, fstatSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';

/** What a summary was written from. */
export interface SummaryKey {
  generation: string;
  withTestEdges: boolean;
}

interface SummaryBasis extends SummaryKey {
  /** Characters (ASCII: pythonJson escapes the rest) of `{"_invocation_id": "<id>"`. */
  headLength: number;
  /** [size, mtimeMs] of graph_summary.json just after it was written. */
  stamp: [number, number];
}

const basisFile = (file: string) => file.replace(/\.json$/, '.basis.json');

function readBasis(file: string): SummaryBasis | null {
  try {
    return JSON.parse(readFileSync(basisFile(file), 'utf8')) as SummaryBasis;
  } catch {
    return null;
  }
}

/** Overwrites the head (`{"_invocation_id": "<id>"`) of the summary written from `key`, if it is that file still; false when it is not (nothing written). */
export function reusedSummary(file: string, key: SummaryKey, head: string): boolean {
  const basis = readBasis(file);
  if (!basis || basis.generation !== key.generation || basis.withTestEdges !== key.withTestEdges || basis.headLength !== head.length) return false;
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat || stat.size !== basis.stamp[0] || stat.mtimeMs !== basis.stamp[1]) return false;
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r+');
    writeSync(fd, head, 0, 'latin1');
    const after = fstatSync(fd);
    saveBasis(file, { ...basis, stamp: [after.size, after.mtimeMs] });
    return true;
  } catch {
    forgetSummaryBasis(file);
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Records that the summary just written is the one of `key`. */
export function recordSummaryBasis(file: string, key: SummaryKey, head: string): void {
  try {
    const stat = statSync(file);
    saveBasis(file, { generation: key.generation, withTestEdges: key.withTestEdges, headLength: head.length, stamp: [stat.size, stat.mtimeMs] });
  } catch {
    forgetSummaryBasis(file); // unrecorded: the next write is a whole one
  }
}

/** The summary was written from no known parse: its record, if any, no longer describes it. */
export function forgetSummaryBasis(file: string): void {
  rmSync(basisFile(file), { force: true });
}

function saveBasis(file: string, basis: SummaryBasis): void {
  writeFileSync(basisFile(file), JSON.stringify(basis));
}

// The parse cache's record of the project's files (partial_parse.bin's entry): each file's digest
// and, where trusted, the [size, mtimeMs] stamp it had when digested, kept column by column, and
// the lookups a one-file patch makes in it without splitting the columns (parse-text-edit.ts).

/** [size, mtimeMs] of a file as the cache recorded it with its digest. */
export type RecordedStamp = [number, number];

/**
 * Each file's digest, and its [size, mtimeMs] when the digest was made where trusted (RACY_MS:
 * unchanged, the file is not read again), column by column: the keys and the digests each one
 * text (KEY_SEPARATOR between), the stamps one array of numbers (NaN: none). v8's deserializer
 * took ~0.3 s for the same as two objects of 30,000 keys (the 10,000-model bench), on every edit.
 */
export interface FileColumns {
  keys: string;
  digests: string;
  stamps: Float64Array;
}

/** Between the keys (`kind:path`) and between the digests of FileColumns: no path holds it. */
const KEY_SEPARATOR = '\0';

export function fileColumns(digests: Record<string, string>, stamps: Record<string, RecordedStamp>): FileColumns {
  const keys = Object.keys(digests);
  const numbers = new Float64Array(keys.length * 2).fill(NaN);
  keys.forEach((key, i) => {
    const stamp = stamps[key];
    if (stamp) [numbers[2 * i], numbers[2 * i + 1]] = stamp;
  });
  return { keys: keys.join(KEY_SEPARATOR), digests: keys.map((key) => digests[key]).join(KEY_SEPARATOR), stamps: numbers };
}

/** The files of FileColumns: each key's place, and the digests in that order. */
export interface KnownFiles {
  at: Map<string, number>;
  digests: string[];
  stamps: Float64Array;
}

export function knownFiles(files: FileColumns): KnownFiles {
  const keys = files.keys === '' ? [] : files.keys.split(KEY_SEPARATOR);
  return { at: new Map(keys.map((key, i) => [key, i])), digests: files.keys === '' ? [] : files.digests.split(KEY_SEPARATOR), stamps: files.stamps };
}

/**
 * Where a file (`kind:path`) is in FileColumns: its place, and the range of its digest in
 * `digests`; undefined when it holds no such file. Found by searching the two texts rather than
 * splitting them (30,000 strings and a Map for the one file a patch looks up).
 */
function fileAt(files: FileColumns, key: string): { i: number; start: number; end: number } | undefined {
  const { keys, digests } = files;
  // The key as a whole entry: between separators, or at an end of the text.
  let at = keys.indexOf(key);
  while (at >= 0 && !((at === 0 || keys[at - 1] === KEY_SEPARATOR) && (at + key.length === keys.length || keys[at + key.length] === KEY_SEPARATOR))) at = keys.indexOf(key, at + 1);
  if (at < 0 || key === '') return undefined;
  let i = 0;
  for (let sep = keys.indexOf(KEY_SEPARATOR); sep >= 0 && sep < at; sep = keys.indexOf(KEY_SEPARATOR, sep + 1)) i++;
  let start = 0;
  for (let k = 0; k < i; k++) start = digests.indexOf(KEY_SEPARATOR, start) + 1;
  const next = digests.indexOf(KEY_SEPARATOR, start);
  return { i, start, end: next < 0 ? digests.length : next };
}

/** The digest FileColumns holds for a file (`kind:path`), if any (parse-text-edit.ts). */
export function recordedDigest(files: FileColumns, key: string): string | undefined {
  const found = fileAt(files, key);
  return found && files.digests.slice(found.start, found.end);
}

/** FileColumns with a file's digest replaced (its stamp dropped: its text is compared next time); null when it holds no such file. */
export function withDigest(files: FileColumns, key: string, digest: string): FileColumns | null {
  const found = fileAt(files, key);
  if (!found) return null;
  const stamps = files.stamps.slice();
  stamps[2 * found.i] = stamps[2 * found.i + 1] = NaN;
  return { keys: files.keys, digests: `${files.digests.slice(0, found.start)}${digest}${files.digests.slice(found.end)}`, stamps };
}

// Templates that start part-way into a file (snapshot blocks) are padded with blank lines, so the
// line numbers in their errors are the file's.

export function lineAligned(source: string, line: number): string {
  return line > 1 ? `${'\n'.repeat(line - 1)}${source}` : source;
}

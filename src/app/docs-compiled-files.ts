// `docs generate`'s target/compiled: dbt's GenerateTask runs the compile task first (none with
// `--no-compile`), whose compiler writes each compiled node's SQL there as `dbt compile` does
// (compilation.py compile_node, write=True, and _write_node: no file for a seed or a snapshot, nor
// for a node whose compiled code is empty; the node's compiled_path then names the file, in
// manifest.json). Written as `compile` writes them (background-writer.ts, with
// target/compiled.index.json, so an unchanged file is not written again and the two commands
// keep one index).
import path from 'node:path';
import { compiledPaths, writesCompiledFile } from '../execution/compiled-path.js';
import type { ManifestNode } from '../manifest/types.js';
import { fileWriter, type FileWriter } from './background-writer.js';

export class DocsCompiledFiles {
  private readonly writer: FileWriter;
  private closing: Promise<void> | null = null;

  /** `targetDirs`: the absolute target folder written to, and the project's `target-path` compiled_path names. */
  constructor(
    private readonly targetDirs: readonly [string, string],
    expected: number,
  ) {
    // One writer thread: the lineage tracer's thread is the command's other one.
    this.writer = fileWriter(expected, { indexFile: path.join(targetDirs[0], 'compiled.index.json'), maxWorkers: 1 });
  }

  /** Writes the node's compiled code (set by its compile) as dbt's _write_node does, and records its compiled_path. */
  write(node: ManifestNode): void {
    const code = node.compiled_code;
    if (code === undefined || !writesCompiledFile(node, code)) return;
    const [file, compiled] = compiledPaths(this.targetDirs, 'compiled', node);
    this.writer.write(file, code);
    node.compiled_path = compiled;
  }

  /** Resolves once every file is on disk (rejects naming a file that could not be written). */
  close(): Promise<void> {
    return (this.closing ??= this.writer.close());
  }

  /** Closes without waiting, for a command that stops on another error (that one is reported). */
  abandon(): void {
    this.close().catch(() => undefined);
  }
}

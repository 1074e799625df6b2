// A microbatch batch's own target/compiled and target/run files, as dbt writes them (its
// compiler's `split_suffix`, MicrobatchBuilder.format_batch_start): the 2024-09-17 batch of
// models/m.sql is models/m/m_2024-09-17.sql, holding that batch's SQL and the statements it ran.
import path from 'node:path';
import type { StatementEvent } from '../adapters/adapter.js';
import { parseBatchSize, type BatchSize } from '../manifest/batch-size.js';
import type { ManifestNode } from '../manifest/types.js';
import type { BatchEvent } from '../materializations/materialization.js';
import { formatBatchStart } from '../materializations/microbatch-windows.js';

type Window = { start: Date; end: Date };

/** A target/run file's text: the statements run, each ended by `;`, a blank line between them. */
export function runFileText(statements: readonly StatementEvent[]): string {
  return statements.map((s) => `${s.sql.trim()};`).join('\n\n');
}

/** `<folder>/<stem>/<stem>_<suffix><ext>` of a node's file path, as dbt's get_target_write_path. */
export function batchFilePath(file: string, suffix: string): string {
  const ext = path.extname(file);
  const stem = path.basename(file, ext);
  return path.join(path.dirname(file), stem, `${stem}_${suffix}${ext}`);
}

export class BatchFiles {
  private readonly size: BatchSize;
  private statementsBefore = 0;

  /** `pathOf(kind)` is the node's own compiled or run file; `write` queues a file; `statements` are the node's so far. */
  constructor(
    node: ManifestNode,
    private readonly pathOf: (kind: 'compiled' | 'run') => string,
    private readonly write: (file: string, sql: string) => void,
    private readonly statements: () => StatementEvent[],
  ) {
    this.size = parseBatchSize(node.config.batch_size, { file: node.original_file_path });
  }

  /** The batch's compiled SQL. */
  compiled(window: Window, sql: string): void {
    this.write(this.fileOf('compiled', window), sql);
  }

  /** At a batch's start, marks where its statements begin; at its finish, writes them. */
  onBatch(event: BatchEvent): void {
    if (event.phase === 'start') {
      this.statementsBefore = this.statements().length;
      return;
    }
    const ran = this.statements().slice(this.statementsBefore);
    this.write(this.fileOf('run', event.window), runFileText(ran));
  }

  private fileOf(kind: 'compiled' | 'run', window: Window): string {
    return batchFilePath(this.pathOf(kind), formatBatchStart(window.start, this.size));
  }
}

// The files a run leaves per node (target/compiled, target/run), written while the process waits
// on the warehouse rather than between a node's result and the next node's statements. A write is
// queued and done in the event loop's check phase (setImmediate): once the synchronous work and
// the promise callbacks around it are done, which in a run is after the node (or the next one)
// has sent its statements and is waiting on the server. On two cores the server's work and these
// writes then overlap instead of taking turns (issue 18: the chain of a 300-model run waited for
// 600 file writes). `flush()` writes what is still queued; the run calls it before its artifacts,
// and a failed write stops the command there (write-failed) instead of failing one node.
import { TsdbtError } from '../errors/tsdbt-error.js';
import { writeFileIfChanged } from './write-file.js';

export class IdleWrites {
  /** File -> text, in the order first queued (a file queued again keeps its place and takes the newer text). */
  private readonly pending = new Map<string, string>();
  private scheduled = false;
  /** The first write that failed, thrown by `flush()`. */
  private failure: TsdbtError | null = null;

  constructor(private readonly write: (file: string, text: string) => void = writeFileIfChanged) {}

  /** Queues `text` for `file` (written unless it holds that already: write-file.ts). */
  add(file: string, text: string): void {
    this.pending.set(file, text);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.writeQueued());
  }

  /** Writes what is queued now; throws the first write that failed (since the last flush). */
  flush(): void {
    this.writeQueued();
    const failure = this.failure;
    this.failure = null;
    if (failure) throw failure;
  }

  private writeQueued(): void {
    this.scheduled = false;
    const files = [...this.pending];
    this.pending.clear();
    for (const [file, text] of files) {
      try {
        this.write(file, text);
      } catch (err) {
        this.failure ??= new TsdbtError(`could not write ${file}: ${err instanceof Error ? err.message : String(err)}`, {
          code: 'write-failed',
          hint: 'check that the target folder is writable and the disk has room',
          cause: err,
        });
      }
    }
  }
}

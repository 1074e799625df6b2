// Where each partition of a load (source-load.ts) stands: the position it resumes from (the
// warehouse's, else the configured start), the end offset a `--once` run stops at, the newest offset
// seen (for lag), where an unwritten partition starts and the earliest readable offset. The lag it
// reports is written into the load's result.
import type { LoadResult } from './load-setup.js';

export class LoadPositions {
  /** Where each partition resumes: the warehouse's stored position, else the configured start. */
  readonly next = new Map<number, number>();
  /** The end offsets seen when the load started (`--once` stops there). */
  readonly end = new Map<number, number>();
  /** The newest offset + 1 seen per partition (for lag). */
  readonly high = new Map<number, number>();
  /** Where a partition nobody has written yet starts (earliest: its low watermark). */
  readonly initial = new Map<number, number>();
  /** The earliest readable offset per partition at the start (retention deleted what is below). */
  readonly low = new Map<number, number>();

  constructor(
    /** The result's lag per partition, kept up to date here. */
    private readonly lag: LoadResult['lag'],
  ) {}

  /** The lag of every partition, or of the one given (a fetch or a write moved only its own). */
  updateLag(only?: number): void {
    if (only !== undefined) {
      const position = this.next.get(only);
      if (position !== undefined) this.lag[only] = Math.max(0, (this.high.get(only) ?? 0) - position);
      return;
    }
    for (const [partition, position] of this.next) this.lag[partition] = Math.max(0, (this.high.get(partition) ?? 0) - position);
  }

  /** The partitions (of `only`, when given) not yet loaded up to their end offsets. */
  pending(only?: Set<number>): [number, number][] {
    return [...this.next.entries()].filter(([p, n]) => n < (this.end.get(p) ?? 0) && (!only || only.has(p)));
  }

  /** Whether a partition of `only` is not yet loaded up to its end offset (pending() without its array: asked after every fetch). */
  anyPending(only: Set<number>): boolean {
    for (const p of only) if ((this.next.get(p) ?? Number.POSITIVE_INFINITY) < (this.end.get(p) ?? 0)) return true;
    return false;
  }

  /** A fetch saw the partition's high watermark. */
  sawHigh(partition: number, highWatermark: number): void {
    this.high.set(partition, Math.max(this.high.get(partition) ?? 0, highWatermark));
  }

  /** The partitions whose `latest` stored positions (the warehouse's, every member's) are still before their end offsets. */
  behind(latest: Map<number, number>): [number, number][] {
    return [...this.end.entries()].filter(([p, last]) => this.storedOrInitial(latest, p) < last);
  }

  /** A partition's stored position in `latest`, else where it starts. */
  storedOrInitial(latest: Map<number, number>, partition: number): number {
    return latest.get(partition) ?? this.initial.get(partition) ?? 0;
  }
}

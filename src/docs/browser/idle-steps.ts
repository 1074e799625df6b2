// Work the reader did not ask for (warming up ELK's worker for the column view: about a second of
// CPU on another thread), run in steps only while the reader is idle: the first step once no
// route has changed for `quietMs`, each next one only if still so. A route change (`busy()`)
// postpones what is left until the page is quiet again. On a two-core machine a worker busy
// compiling and running ELK slowed the drawing of lineage graphs opened meanwhile by a third.

export interface IdleClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const browserClock: IdleClock = {
  now: () => performance.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class IdleSteps {
  private lastBusy: number;
  private timer: unknown = null;
  private running = false;
  private next = 0;

  /** `steps`: each returns a promise settled when its work is done (a step that fails counts as done). */
  constructor(
    private readonly steps: (() => Promise<unknown>)[],
    private readonly quietMs = 2000,
    private readonly clock: IdleClock = browserClock,
  ) {
    this.lastBusy = clock.now();
  }

  /** Starts waiting for a quiet page (again). */
  start(): void {
    this.schedule(this.quietMs);
  }

  /** The reader did something (a route changed): no step starts for `quietMs` from now. */
  busy(): void {
    this.lastBusy = this.clock.now();
    if (!this.running && this.timer !== null) this.schedule(this.quietMs);
  }

  get done(): boolean {
    return this.next >= this.steps.length;
  }

  private schedule(ms: number): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    if (this.done) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.run();
    }, ms);
  }

  private run(): void {
    const quietFor = this.clock.now() - this.lastBusy;
    if (quietFor < this.quietMs) return this.schedule(this.quietMs - quietFor);
    const step = this.steps[this.next++];
    if (!step) return;
    this.running = true;
    const after = () => {
      this.running = false;
      this.schedule(0);
    };
    step().then(after, after);
  }
}

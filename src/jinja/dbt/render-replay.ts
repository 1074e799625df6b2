// How a synchronous template render reaches the database. Templates render synchronously (the
// engine compiles them to plain JavaScript functions), but `run_query`, `statement` and the
// `adapter.*` methods need answers from an asynchronous driver. So a render that asks the
// warehouse something it has not been told yet stops (RenderSuspended carries the question);
// `renderWithWarehouse` awaits the answer on the node's own connection, remembers it, and renders
// again from the start, replaying the answers in order. A template asking n questions renders
// n + 1 times; every statement still runs exactly once, on the connection (and in the
// transaction) the node runs on.
import type { Connection } from '../../adapters/adapter.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { RenderSuspended } from '../engine/index.js';

/** Renders of one template may ask at most this many questions (a loop of queries in Jinja is fine; an endless one is not). */
const MAX_QUESTIONS = 10_000;

/** The answers one render has received, replayed in order on each new attempt. */
export class RenderReplay {
  private readonly answers: { description: string; value: unknown; failed?: true }[] = [];
  private cursor = 0;
  private logsThisAttempt = 0;
  private logsEmitted = 0;
  private readonly remembered: unknown[] = [];
  private rememberedCursor = 0;
  /** `store_result` / `load_result` of the current attempt. */
  stored = new Map<string, unknown>();

  /**
   * Set when a speculative render (WarehouseRenders.speculate) reached something it must not do
   * ahead of its turn: its result is then thrown away, even if the template went on.
   */
  abandoned: string | null = null;

  constructor(
    readonly conn: Connection,
    readonly nodeId: string | undefined,
    /** A render ahead of its turn, with no connection: any question, log line, clock or run-state read abandons it. */
    readonly speculative = false,
    /** The how-manieth render of the invocation this is (WarehouseRenders.epoch once begun). */
    private readonly ordinal = 0,
  ) {}

  /**
   * The render's number in the invocation, for names that must differ between renders but not
   * between attempts of one (dbt-postgres's temporary relations carry the wall clock): a render
   * ahead of its turn has none yet.
   */
  renderNumber(): number {
    this.refuse('a temporary relation name');
    return this.ordinal;
  }

  /** In a speculative render: abandons it (what it reached must wait for the node's turn). */
  private refuse(what: string): void {
    if (!this.speculative) return;
    this.abandoned ??= what;
    throw new SpeculationAbandoned(what);
  }

  /** A render reads state other renders change (dbt's `graph`): a speculative one stops there. */
  readsRunState(what: string): void {
    this.refuse(what);
  }

  rewind(): void {
    this.cursor = 0;
    this.logsThisAttempt = 0;
    this.rememberedCursor = 0;
    this.stored = new Map();
  }

  /**
   * The same value on every attempt of this render (the clock: `modules.datetime.datetime.now()`
   * in a query must not turn into a different question when the render repeats).
   */
  stable<T>(compute: () => T): T {
    this.refuse('a value kept for the render (the clock, an ephemeral model)');
    if (this.rememberedCursor < this.remembered.length) return this.remembered[this.rememberedCursor++] as T;
    const value = compute();
    this.remembered.push(value);
    this.rememberedCursor++;
    return value;
  }

  /** The answer to the next question, or a suspension that asks for it. */
  ask<T>(description: string, work: (conn: Connection) => Promise<T>): T {
    if (this.speculative) {
      this.abandoned ??= description;
      throw new RenderSuspended(description, () => Promise.reject(new SpeculationAbandoned(description)));
    }
    const answer = this.answers[this.cursor];
    if (answer) {
      if (answer.description !== description) {
        throw new TsdbtError(`a template asked the warehouse different things on two renders ("${answer.description}", then "${description}")`, {
          code: 'render-not-deterministic',
          hint: 'a template must make the same warehouse calls in the same order each time it renders (no random values or wall-clock times in the SQL it runs)',
        });
      }
      this.cursor++;
      // A failed statement fails at the template line that ran it (`macros/m.sql:4: ...`).
      if (answer.failed) throw answer.value;
      return answer.value as T;
    }
    throw new RenderSuspended(description, () => work(this.conn));
  }

  record(description: string, value: unknown, failed = false): void {
    if (this.answers.length >= MAX_QUESTIONS) {
      throw new TsdbtError(`a template asked the warehouse more than ${MAX_QUESTIONS} times in one render`, { code: 'render-too-many-queries', hint: 'look for a run_query() inside a loop that never ends' });
    }
    this.answers.push(failed ? { description, value, failed } : { description, value });
  }

  /** Whether a `log()` call should print: only the first time an attempt gets this far. */
  firstTimeLogged(): boolean {
    this.refuse('a log line');
    this.logsThisAttempt++;
    if (this.logsThisAttempt <= this.logsEmitted) return false;
    this.logsEmitted = this.logsThisAttempt;
    return true;
  }
}

/**
 * State that outlives one render (dbt's `graph`, which packages extend): an attempt that stops to
 * ask the warehouse is undone, since it renders again from the start. Renders are synchronous, so
 * between an attempt's snapshot and its stop no other render runs.
 */
export interface RunState {
  snapshot(): unknown;
  restore(saved: unknown): void;
}

/** Thrown where a speculative render reaches what must wait for its node's turn (RenderReplay.speculative). */
export class SpeculationAbandoned extends Error {
  constructor(what: string) {
    super(`a render ahead of its turn reached ${what}`);
  }
}

/** No connection: a speculative render never reaches one (its questions abandon it first). */
const NO_CONNECTION = new Proxy({}, {
  get: () => {
    throw new SpeculationAbandoned('the connection');
  },
}) as Connection;

/** Holds the render that currently may reach the warehouse (renders are synchronous: one at a time). */
export class WarehouseRenders {
  private active: RenderReplay | null = null;
  /** Undone when an attempt stops to ask the warehouse (the render session's run graph). */
  runState: RunState | null = null;
  /**
   * Counts the renders begun through `render`: a speculative render made when it was n is still
   * what the node's own render would give only if no other render ran since (speculate).
   */
  private renders = 0;

  get current(): RenderReplay | null {
    return this.active;
  }

  /** The number of renders begun so far (see `renders`). */
  get epoch(): number {
    return this.renders;
  }

  /**
   * Runs `render` (synchronous) ahead of its node's turn, while the run waits on the warehouse:
   * its value, or null when it asked the warehouse anything (even what the run's relation cache
   * knows), logged, read the clock, an ephemeral model's cached text or dbt's `graph`, or failed.
   * Such a render is done again in its turn; one that returned has had no effect outside itself.
   */
  speculate<T>(render: () => T, nodeId: string): T | null {
    const replay = new RenderReplay(NO_CONNECTION, nodeId, true);
    const previous = this.active;
    this.active = replay;
    try {
      const value = render();
      return replay.abandoned === null ? value : null;
    } catch {
      return null;
    } finally {
      this.active = previous;
    }
  }

  /** Runs `render` (synchronous) with warehouse access on `conn`, answering its questions. */
  async render<T>(conn: Connection, render: () => T, nodeId?: string): Promise<T> {
    this.renders++;
    const replay = new RenderReplay(conn, nodeId, false, this.renders);
    for (;;) {
      replay.rewind();
      const previous = this.active;
      this.active = replay;
      let suspended: RenderSuspended;
      const saved = this.runState?.snapshot();
      try {
        return render();
      } catch (err) {
        if (!(err instanceof RenderSuspended)) throw err;
        suspended = err;
        this.runState?.restore(saved);
      } finally {
        this.active = previous;
      }
      // A failure is an answer too: the next attempt throws it where the template asked.
      let answer: unknown;
      let failed = false;
      try {
        answer = await suspended.work();
      } catch (err) {
        answer = err;
        failed = true;
      }
      replay.record(suspended.description, answer, failed);
    }
  }
}

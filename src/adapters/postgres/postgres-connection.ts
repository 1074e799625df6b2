// One PostgreSQL session as tsdbt's Connection, for both connection kinds. Every statement goes
// through `run`, the one logged execute (DESIGN.md rule 5): it times the statement, reports it to
// `context.onStatement`, and converts driver errors to TsdbtError. What differs between the server
// (pg) and PGlite is behind the small PostgresSession interface; COPY loads are in postgres-copy-load.ts.
import type { AdapterContext, Connection, ExecuteOptions, LoadColumn, QueryResult, QueueOptions, QueuedStatement } from '../adapter.js';
import type { Relation } from '../relation.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { LoadRows } from './postgres-csv.js';
import { toTsdbtError, type ErrorPlace } from './postgres-errors.js';
import { monotonicMs } from '../../time/monotonic.js';
import { PipelineRefused, type TripToken } from '../pipeline.js';
import { followedAnswer, type FollowGate } from './postgres-follow.js';
import { toQueryResult, type DriverResult, type PostgresSession, type SessionObjects } from './postgres-session.js';
import { BLOB_BATCH_CHARS, bulkLoadBinary, bulkLoadCsv, bulkLoadText, type CopyHost } from './postgres-copy-load.js';
import { REPLACED, reportStatement, type Attempt as WaitingAttempt, type Waiting } from './postgres-waiting.js';

export type { DriverResult, PostgresSession, SessionObjects };
export type Attempt = WaitingAttempt<PostgresConnection>;

/** A Connection over one PostgresSession. Not shared between concurrent callers. */
export class PostgresConnection implements Connection {
  private depth = 0;
  private savepoints = 0;
  /** The savepoints of nested `transaction()` calls, outermost first. */
  private readonly openSavepoints: string[] = [];
  /** Statements waiting to travel with the next one (`queue`). */
  private readonly queued: Waiting[] = [];
  /** The BEGIN of the open transaction (outermost `transaction()`). */
  private openBegin: Waiting | null = null;
  /** Session objects created in the open transaction: the session's once it commits (`creating`). */
  private readonly creatingNow = new Set<string>();
  /** markFinal: the outermost COMMIT is the node's last trip; `committingFinal` while it is being sent. */
  private finalArmed = false;
  private committingFinal = false;
  /** The final trip, once handed to the driver and while no trip followed it (`leading`). */
  private finalTrip: TripToken | null = null;

  /** `follow`: a follower's gate (Adapter.follow), cleared once its node runs. */
  constructor(
    private readonly session: PostgresSession,
    private readonly context: AdapterContext,
    private readonly place: ErrorPlace,
    private readonly blobBatchChars = BLOB_BATCH_CHARS,
    private follow: FollowGate | null = null,
  ) {}

  markFinal(): void {
    if (this.session.queuesBehind) this.finalArmed = true;
  }

  get leading(): boolean {
    return this.finalTrip !== null && this.finalTrip.state !== 'failed';
  }

  /** The final trip (markFinal) while `leading`: what a follower's first trip goes behind. */
  get finalRoundTrip(): TripToken | null {
    return this.leading ? this.finalTrip : null;
  }

  /** True inside `transaction()`. */
  get inTransaction(): boolean {
    return this.depth > 0;
  }

  /** The statement with the run's query comment on it (dbt's `query-comment`), as the warehouse gets it. */
  private commented(sql: string, nodeId: string | undefined): string {
    return this.context.queryComment ? this.context.queryComment.add(sql, nodeId) : sql;
  }

  async execute(text: string, options: ExecuteOptions = {}): Promise<QueryResult> {
    const result = await this.statement(text, options);
    // A statement that ended the transaction itself (a hook's `begin; delete ...; commit;`, as
    // packages write for Redshift): its work is committed, as in dbt; the enclosing transaction()
    // goes on in a new one, as after commit(), so its savepoints and its commit still work.
    if (this.depth > 0 && this.session.inTransaction() === false) {
      // Committed or rolled back, it cannot tell: what the transaction created is made again if needed.
      this.creatingNow.clear();
      await this.reopen(options);
    }
    return result;
  }

  /**
   * Whether the session has the object `name` (SessionObjects): `created` also when the open
   * transaction creates it; undefined when it must be created (in this transaction, with `creating`).
   */
  sessionObject(name: string): 'created' | 'unavailable' | undefined {
    // A follower's trip runs only if its leader's committed, so what that one creates is there for it.
    return this.creatingNow.has(name) || this.follow?.creating?.has(name) ? 'created' : this.session.objects.get(name);
  }

  /** The session objects the open transaction creates (a follower's leader's: FollowGate.creating). */
  get creatingObjects(): ReadonlySet<string> {
    return new Set(this.creatingNow);
  }

  /** The statement creating session object `name` is queued in the open transaction: the session has it once that commits. */
  creating(name: string): void {
    if (this.depth > 0) this.creatingNow.add(name);
  }

  /** Creating or using session object `name` failed: `unavailable` (the session does without it) or undefined (created again next time). */
  sessionObjectFailed(name: string, state: 'unavailable' | undefined): void {
    this.creatingNow.delete(name);
    if (state === undefined) this.session.objects.delete(name);
    else this.session.objects.set(name, state);
  }

  /** Opens a new transaction with the open savepoints of the nested transaction() calls. */
  private async reopen(options: ExecuteOptions): Promise<void> {
    await this.statement('begin', options, false);
    for (const savepoint of this.openSavepoints) await this.statement(`savepoint ${savepoint}`, options, false);
  }

  /**
   * Queued statements travel with the next statement (one simple-query round trip); outside a
   * transaction there is nothing to travel with safely, so the statement runs at once.
   */
  async queue(text: string, options: QueueOptions = {}): Promise<QueuedStatement> {
    if (this.depth === 0) {
      const result = await this.execute(text, options);
      return { result: () => Promise.resolve(result) };
    }
    const several = options.several === true;
    // One text of unknown length per trip: its results are told apart from the others' by count.
    if (several && this.queued.some((w) => w.several)) await this.flush();
    const waiting: Waiting = { sql: this.commented(text, options.nodeId), nodeId: options.nodeId, several };
    this.queued.push(waiting);
    return { result: () => this.outcomeOf(waiting) };
  }

  /** A queued statement's result: sent now if it still waits. */
  private async outcomeOf(waiting: Waiting): Promise<QueryResult> {
    if (!waiting.outcome && this.queued.includes(waiting)) await this.flush();
    const outcome = waiting.outcome ?? { error: new TsdbtError('a queued statement was never sent', { code: 'internal', category: 'internal' }) };
    if ('error' in outcome) throw outcome.error;
    return outcome.result;
  }

  /** Sends what is queued (the last queued statement carries the others). */
  private async flush(): Promise<void> {
    if (this.queued.length > 0) await this.batch(this.queued.splice(0));
  }

  /**
   * Queues statements that may fail for a reason `attempt.instead` can cure (say, what they
   * assumed of the catalog no longer holds). They travel like any queued statement; if their round
   * trip fails with an error `attempt.recoverable` accepts, the transaction, which that trip began,
   * is rolled back and done again: what the trip held before the attempt is queued again,
   * `attempt.instead` takes the attempt's place, and the rest of the trip follows. Nothing of the
   * transaction is lost, and the statement that carried the trip gets its own result. Only a
   * transaction that has sent nothing yet can be done again so: otherwise `instead` runs at once
   * (and null is returned). Else each statement's handle: its result, or, when `instead` took its
   * place, an empty `OK`.
   */
  /** True while `attempt` can queue statements to be done again another way (the transaction has sent nothing yet). */
  get attemptable(): boolean {
    return this.openBegin !== null && this.queued.includes(this.openBegin);
  }

  async attempt(statements: string[], attempt: Attempt, options: ExecuteOptions = {}): Promise<QueuedStatement[] | null> {
    if (statements.length === 0 || !this.attemptable) {
      await attempt.instead(this);
      return null;
    }
    return statements.map((text) => {
      const waiting: Waiting = { sql: this.commented(text, options.nodeId), nodeId: options.nodeId, several: false, attempt };
      this.queued.push(waiting);
      return { result: () => this.outcomeOf(waiting) };
    });
  }

  /**
   * After a failed round trip: if it began the transaction and held an attempt whose error is
   * curable, does the transaction again with the attempt's other way (see `attempt`); true when
   * it did, and every statement of the trip has its outcome.
   */
  private async redo(items: Waiting[], error: TsdbtError): Promise<boolean> {
    const first = items.findIndex((item) => item.attempt);
    const attempt = items[first]?.attempt;
    if (!attempt || items[0] !== this.openBegin || !attempt.recoverable(error)) return false;
    const end = items.findLastIndex((item) => item.attempt === attempt) + 1;
    try {
      await this.statement('rollback', {}, false);
    } catch {
      return false; // the session is gone: the original error says more
    }
    this.creatingNow.clear();
    const before = items.slice(0, first);
    for (const item of before) delete item.outcome;
    for (const item of items.slice(first, end)) item.outcome = { result: REPLACED };
    this.queued.push(...before);
    await attempt.instead(this);
    const rest = items.slice(end);
    for (const item of rest) delete item.outcome;
    this.queued.push(...rest);
    if (rest.length > 0) await this.batch(this.queued.splice(0));
    return true;
  }

  /** Statements that were queued and will never be sent (their transaction ended first). */
  private dropQueued(): void {
    for (const waiting of this.queued.splice(0)) {
      waiting.outcome ??= { error: new TsdbtError('a queued statement was not sent: its transaction was rolled back first', { code: 'internal', category: 'internal' }) };
    }
  }

  /**
   * One statement, logged, with the queued ones before it; tsdbt's own transaction statements go
   * here directly (`several` false: exactly one statement, which may travel with a queued text of
   * unknown length).
   */
  private async statement(text: string, options: ExecuteOptions = {}, several = true): Promise<QueryResult> {
    const sql = this.commented(text, options.nodeId);
    const final = this.committingFinal && text === 'commit';
    if (this.queued.length > 0) {
      const own: Waiting = { sql, nodeId: options.nodeId, several, ...(options.abridgeLog ? { abridgeLog: true } : {}), ...(final ? { final } : {}) };
      // A second text of unknown length goes in a trip of its own, after the queued ones.
      if (several && this.queued.some((w) => w.several)) await this.flush();
      else {
        await this.batch([...this.queued.splice(0), own]);
        return this.outcomeOf(own);
      }
    }
    return this.run(sql, options, async () => toQueryResult(await this.sent(sql, final), sql));
  }

  /**
   * The session's query of `text`, with `beforeStatement` told once it is handed over: pg has
   * written it to the socket then, and PGlite starts it only after this (its query awaits first).
   */
  private sent(text: string, final = false): Promise<DriverResult[]> {
    // The trip of the outermost COMMIT of a connection marked final is `leading` until another trip is sent.
    const token: TripToken | undefined = final ? { state: 'sent' } : undefined;
    this.finalTrip = token ?? null;
    const follow = this.follow;
    if (follow?.refused) return Promise.reject(new PipelineRefused());
    // A follower's first trip goes behind the leader's, checked as it is sent; the others wait for its answer, so for `adopted`.
    const after = follow && !follow.sentFirst ? follow.after : undefined;
    if (follow) follow.sentFirst = true;
    const answer = this.session.query(text, token || after ? { token, after } : undefined);
    this.context.beforeStatement?.();
    if (!follow) return answer;
    return followedAnswer(answer, follow).then((results) => {
      this.follow = null; // its node runs now, as any other
      return results;
    });
  }

  /**
   * Sends statements in one round trip; each is reported on its own, in order, with its own
   * result. A failure fails the whole trip (the server stops at the failing statement): it is
   * reported once, with the trip's text, and is every statement's outcome.
   */
  private async batch(items: Waiting[]): Promise<void> {
    const last = items[items.length - 1] as Waiting;
    // `;` on a line of its own: a statement ending in a `--` comment must not swallow it.
    const text = items.map((item) => item.sql.replace(/;\s*$/, '')).join('\n;\n');
    const started = monotonicMs();
    let results: DriverResult[];
    try {
      results = await this.sent(text, last.final === true);
    } catch (err) {
      if (err instanceof PipelineRefused) {
        for (const item of items) item.outcome = { error: err };
        throw err; // never sent (or abandoned): nothing to report
      }
      // The node of the trip: the last statement's, or the last one that names a node.
      const nodeId = last.nodeId ?? [...items].reverse().find((item) => item.nodeId)?.nodeId;
      const error = toTsdbtError(err, this.place, nodeId);
      for (const item of items) item.outcome = { error };
      reportStatement(this.context, { sql: text, durationMs: monotonicMs() - started, nodeId, error });
      if (await this.redo(items, error)) return;
      throw error;
    }
    const durationMs = monotonicMs() - started;
    // Each text is one statement but (at most) one of unknown length, which has what the others leave.
    const free = items.findIndex((item) => item.several);
    const widthOf = (i: number) => (i === (free < 0 ? items.length - 1 : free) ? results.length - (items.length - 1) : 1);
    let at = 0;
    items.forEach((item, i) => {
      const width = widthOf(i);
      const result = toQueryResult(results.slice(at, at + width), item.sql);
      at += width;
      item.outcome = { result };
      // The trip's time goes to the statement that carried the others.
      const abridge = item.abridgeLog ? { abridgeLog: true } : {};
      if (i < items.length - 1) reportStatement(this.context, { sql: item.sql, durationMs: 0, nodeId: item.nodeId, response: result.response, sentWithNext: true, ...abridge });
      else reportStatement(this.context, { sql: item.sql, durationMs, nodeId: item.nodeId, response: result.response, ...abridge });
    });
  }

  async transaction<T>(fn: (conn: Connection) => Promise<T>): Promise<T> {
    const nested = this.depth > 0;
    const savepoint = nested ? `tsdbt_savepoint_${++this.savepoints}` : '';
    // BEGIN travels with the transaction's first statement. A savepoint is sent at once (with what
    // is queued before it), so an error the caller catches from inside it was made inside it.
    const begin: Waiting = { sql: this.commented('begin', undefined), nodeId: undefined, several: false };
    if (nested) await this.statement(`savepoint ${savepoint}`, {}, false);
    else {
      this.queued.push(begin);
      this.openBegin = begin;
    }
    this.depth++;
    if (nested) this.openSavepoints.push(savepoint);
    let result: T;
    try {
      result = await fn(this);
    } catch (err) {
      this.depth--;
      if (nested) this.openSavepoints.pop();
      else this.openBegin = null;
      // What is still queued belongs to the work being undone: never sent. A transaction whose
      // BEGIN was never sent has nothing to roll back.
      const started = nested || !this.queued.includes(begin);
      this.dropQueued();
      this.creatingNow.clear();
      try {
        if (started) await this.statement(nested ? `rollback to savepoint ${savepoint}` : 'rollback', {}, false);
      } catch {
        // The original error matters more; a lost connection is discarded by the pool.
      }
      throw err;
    }
    this.depth--;
    if (nested) {
      this.openSavepoints.pop();
      this.queued.push({ sql: this.commented(`release savepoint ${savepoint}`, undefined), nodeId: undefined, several: false });
      return result;
    }
    try {
      this.committingFinal = this.finalArmed;
      try {
        await this.statement('commit', {}, false); // with the statements still queued: one round trip
      } finally {
        this.committingFinal = false; // a ROLLBACK after a failed commit is no final trip
      }
      for (const name of this.creatingNow) this.session.objects.set(name, 'created');
    } catch (err) {
      // A queued statement failed, so COMMIT never ran: the server holds a failed transaction.
      if (this.session.inTransaction() !== false) await this.statement('rollback', {}, false).catch(() => undefined);
      throw err;
    } finally {
      this.openBegin = null;
      this.creatingNow.clear();
    }
    return result;
  }

  async commit(options: ExecuteOptions = {}): Promise<void> {
    // Outside transaction(): COMMIT ends a transaction a template began, and is a no-op (a notice) otherwise.
    await this.statement('commit', options, false);
    this.creatingNow.clear(); // committed, but kept simple: made again when next needed
    if (this.depth === 0) return;
    // Inside: the work so far is committed; the enclosing transaction() goes on in a new one.
    await this.reopen(options);
  }

  async bulkLoad(relation: Relation, columns: LoadColumn[], rows: LoadRows, options: ExecuteOptions = {}): Promise<number> {
    return bulkLoadCsv(this.copyHost(), relation, columns, rows, options);
  }

  bulkLoadText(relation: Relation, columns: LoadColumn[], chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: ExecuteOptions = {}): Promise<number> {
    return bulkLoadText(this.copyHost(), relation, columns, chunks, options);
  }

  bulkLoadBinary(relation: Relation, columns: LoadColumn[], chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: ExecuteOptions = {}): Promise<number> {
    return bulkLoadBinary(this.copyHost(), relation, columns, chunks, options);
  }

  /** What of this connection a COPY load (postgres-copy-load.ts) uses. */
  private copyHost(): CopyHost {
    return {
      session: this.session,
      blobBatchChars: this.blobBatchChars,
      inTransaction: () => this.depth > 0,
      commented: (sql, nodeId) => this.commented(sql, nodeId),
      flush: () => this.flush(),
      run: (sql, options, op) => this.run(sql, options, op),
      transaction: (fn) => this.transaction(fn),
    };
  }

  /** The one logged execute: timing, `onStatement`, error conversion. */
  private async run(sql: string, options: ExecuteOptions, op: () => Promise<QueryResult>): Promise<QueryResult> {
    const { nodeId } = options;
    const abridge = options.abridgeLog ? { abridgeLog: true } : {};
    const started = monotonicMs();
    try {
      const result = await op();
      reportStatement(this.context, { sql, durationMs: monotonicMs() - started, nodeId, response: result.response, ...abridge });
      return result;
    } catch (err) {
      if (err instanceof PipelineRefused) throw err; // never sent (or abandoned): nothing to report
      const error = toTsdbtError(err, this.place, nodeId);
      reportStatement(this.context, { sql, durationMs: monotonicMs() - started, nodeId, error, ...abridge });
      throw error;
    }
  }
}

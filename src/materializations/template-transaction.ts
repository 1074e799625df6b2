// dbt's transaction semantics for a materialization written in Jinja: a `statement` with
// auto_begin=True opens a transaction on the node's connection when none is open, `adapter.commit()`
// commits it, and whatever is still open when the materialization fails (or ends without
// committing, as dbt's connection release does) is rolled back. The transaction is the adapter's
// own `Connection.transaction()`, held open between `begin()` and `commit()` / `rollback()`, so core
// code never writes BEGIN / COMMIT itself, and a nested `transaction()` (a swap inside it) becomes
// a savepoint. Only user materializations run on this connection: the built-ins keep managing their
// own transactions, and `auto_begin` means nothing to them.
import { queueStatement, type Connection, type ExecuteOptions, type LoadColumn, type QueryResult, type QueueOptions, type QueuedStatement } from '../adapters/adapter.js';
import type { Relation } from '../adapters/relation.js';

/** Thrown inside the held transaction to make the adapter roll it back. */
class RollBack extends Error {}

interface OpenTransaction {
  finish(commit: boolean): void;
  /** Settles when the adapter has committed or rolled back. */
  ended: Promise<void>;
}

export class TemplateTransactionConnection implements Connection {
  private open: OpenTransaction | null = null;

  constructor(private readonly inner: Connection) {}

  /** True while a transaction a statement opened is open. */
  get inTemplateTransaction(): boolean {
    return this.open !== null;
  }

  execute(sql: string, options?: ExecuteOptions): Promise<QueryResult> {
    return this.inner.execute(sql, options);
  }

  transaction<T>(fn: (conn: Connection) => Promise<T>): Promise<T> {
    return this.inner.transaction(() => fn(this));
  }

  get inTransaction(): boolean | undefined {
    return this.inner.inTransaction;
  }

  queue(sql: string, options?: QueueOptions): Promise<QueuedStatement> {
    return queueStatement(this.inner, sql, options);
  }

  bulkLoad(relation: Relation, columns: LoadColumn[], rows: AsyncIterable<(string | null)[]> | Iterable<(string | null)[]>, options?: ExecuteOptions): Promise<number> {
    return this.inner.bulkLoad(relation, columns, rows, options);
  }

  /** auto_begin: opens a transaction unless one is open. */
  async begin(): Promise<void> {
    if (this.open) return;
    let started!: () => void;
    const ready = new Promise<void>((resolve) => (started = resolve));
    let finish!: (commit: boolean) => void;
    const decided = new Promise<boolean>((resolve) => (finish = resolve));
    const ended = this.inner
      .transaction(async () => {
        started();
        if (!(await decided)) throw new RollBack();
      })
      .catch((err: unknown) => {
        if (!(err instanceof RollBack)) throw err;
      });
    ended.catch(() => undefined); // awaited by commit / rollback; never an unhandled rejection
    await Promise.race([ready, ended]);
    this.open = { finish, ended };
  }

  /**
   * `adapter.commit()`: commits the transaction a statement opened; with none open, the node's
   * connection commits what a template began itself (run_query('begin')), as before.
   */
  async commit(options?: ExecuteOptions): Promise<void> {
    const open = this.open;
    if (!open) {
      await this.inner.commit?.(options);
      return;
    }
    this.open = null;
    open.finish(true);
    await open.ended;
  }

  /** Rolls back the transaction a statement opened, if one is open. */
  async rollback(): Promise<void> {
    const open = this.open;
    if (!open) return;
    this.open = null;
    open.finish(false);
    await open.ended;
  }
}

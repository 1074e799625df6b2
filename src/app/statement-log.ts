// Each statement sent to the warehouse as a debug line, dbt-adapters' SQLQuery: `On <node>: <sql>`
// and its outcome. Statements sent together in one round trip (a transaction's BEGIN, a node's
// statement and the COMMIT) are reported one after the other; the ones sent ahead are held until
// the trip's last, so that one naming no node of its own carries the trip's node in its JSON line,
// as every statement on a node's connection carries dbt's node_info.
import type { StatementEvent } from '../adapters/adapter.js';
import type { Logger } from './logger.js';

export class StatementLog {
  private readonly ahead: StatementEvent[] = [];

  constructor(private readonly logger: Logger) {}

  record(event: StatementEvent): void {
    if (!this.logger.recordsDebug) return;
    if (event.sentWithNext && !event.error) {
      this.ahead.push(event);
      return;
    }
    const trip = [...this.ahead.splice(0), event];
    const tripNode = [...trip].reverse().find((e) => e.nodeId)?.nodeId;
    for (const e of trip) this.emit(e, e.nodeId ?? tripNode);
  }

  private emit(event: StatementEvent, node: string | undefined): void {
    const outcome = event.error ? `error: ${event.error.message}` : (event.response?.message ?? 'OK');
    const timing = event.sentWithNext ? 'sent with the next statement' : `in ${(event.durationMs / 1000).toFixed(3)}s`;
    const sql = event.abridgeLog ? abridged(event.sql.trim()) : event.sql.trim();
    this.logger.emit({
      level: 'debug',
      name: 'SQLQuery',
      message: `On ${event.nodeId ?? 'connection'}: ${sql}\n(${outcome} ${timing})`,
      data: { conn_name: node ?? 'master', sql, ...(event.sentWithNext ? { sent_with_next: true } : {}) },
      ...(node ? { node } : {}),
    });
  }
}

/** dbt's `abridge_sql_log` line: the statement's first 512 characters (code points, as Python's `sql[:512]`) and `...`. */
function abridged(sql: string): string {
  return `${Array.from(sql).slice(0, 512).join('')}...`;
}

// Builds dbt's `adapter_response` from what the drivers report about a statement. Both pg and
// PGlite give only the first word of PostgreSQL's command tag plus the row count, so the full tag
// (`INSERT 0 5`, `SELECT 120`, `CREATE VIEW`) is rebuilt here the same way for both.
import type { AdapterResponse } from '../adapter.js';

/** A statement's outcome as a driver reports it. */
export interface DriverOutcome {
  /** First word of the command tag (`SELECT`, `INSERT`, `CREATE`), absent for an empty query. */
  command?: string | null;
  rowCount?: number | null;
}

/** Strips leading whitespace and `--` / block comments. */
function stripLeadingComments(sql: string): string {
  let s = sql.trimStart();
  for (;;) {
    if (s.startsWith('--')) {
      const nl = s.indexOf('\n');
      s = nl < 0 ? '' : s.slice(nl + 1).trimStart();
    } else if (s.startsWith('/*')) {
      const end = s.indexOf('*/');
      s = end < 0 ? '' : s.slice(end + 2).trimStart();
    } else {
      return s;
    }
  }
}

const DDL_RE =
  /^(create|drop|alter)\s+(?:or\s+replace\s+)?(?:(?:global|local)\s+)?((?:(?:temp|temporary|unlogged|unique|recursive|materialized|foreign)\s+)*)([a-z_]+)/i;

/** The object kind of a single DDL statement (`TABLE`, `VIEW`, `MATERIALIZED VIEW`...), if any. */
function ddlObject(sql: string): string | undefined {
  const m = DDL_RE.exec(stripLeadingComments(sql));
  if (!m) return undefined;
  const modifiers = (m[2] ?? '').toLowerCase();
  const object = (m[3] ?? '').toUpperCase();
  if (modifiers.includes('materialized')) return `MATERIALIZED ${object}`;
  if (modifiers.includes('foreign')) return `FOREIGN ${object}`;
  return object;
}

const FIXED_TAGS: Record<string, string> = {
  TRUNCATE: 'TRUNCATE TABLE',
  LOCK: 'LOCK TABLE',
  REFRESH: 'REFRESH MATERIALIZED VIEW',
};

/**
 * The AdapterResponse for the last statement of `sql`. `singleStatement` says whether the driver
 * ran exactly one statement (then the SQL text can name the DDL object, as PostgreSQL's tag does).
 */
export function toAdapterResponse(outcome: DriverOutcome, sql: string, singleStatement: boolean): AdapterResponse {
  const command = (outcome.command ?? '').toUpperCase();
  if (!command) return { code: 'OK', message: 'OK' };
  const rows = typeof outcome.rowCount === 'number' && Number.isFinite(outcome.rowCount) ? outcome.rowCount : undefined;
  if (rows !== undefined) {
    const message = command === 'INSERT' ? `INSERT 0 ${rows}` : `${command} ${rows}`;
    return { code: command, message, rowsAffected: rows };
  }
  if (command === 'CREATE' || command === 'DROP' || command === 'ALTER') {
    const object = singleStatement ? ddlObject(sql) : undefined;
    return { code: command, message: object ? `${command} ${object}` : command };
  }
  return { code: command, message: FIXED_TAGS[command] ?? command };
}

// Builds dbt's `adapter_response` from what the drivers report about a statement. Both pg and
// PGlite give only the first word of PostgreSQL's command tag plus the row count, so the full tag
// (`INSERT 0 5`, `SELECT 120`, `CREATE VIEW`) is rebuilt here the same way for both. Of a text of
// several statements, the last one's tag counts, as psycopg2's statusmessage (dbt-postgres' message).
import type { AdapterResponse } from '../adapter.js';

/** A statement's outcome as a driver reports it. */
export interface DriverOutcome {
  /** First word of the command tag (`SELECT`, `INSERT`, `CREATE`), absent for an empty query. */
  command?: string | null;
  rowCount?: number | null;
}

/** Strips leading whitespace and `--` / block comments (nested, as PostgreSQL's). */
function stripLeadingComments(sql: string): string {
  let s = sql.trimStart();
  for (;;) {
    if (s.startsWith('--')) {
      const nl = s.indexOf('\n');
      s = nl < 0 ? '' : s.slice(nl + 1).trimStart();
    } else if (s.startsWith('/*')) {
      s = s.slice(blockCommentEnd(s, 0) + 1).trimStart();
    } else {
      return s;
    }
  }
}

/**
 * The last statement of a text of several (`;`-separated outside quotes, dollar quotes and
 * comments, as PostgreSQL's lexer reads them), without its leading comments; '' if none.
 */
export function lastStatement(sql: string): string {
  let start = 0;
  let last = '';
  const close = (end: number) => {
    const piece = stripLeadingComments(sql.slice(start, end)).trimEnd();
    if (piece) last = piece;
    start = end + 1;
  };
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (c === ';') close(i);
    else if (c === "'") i = quoteEnd(sql, i, "'", /[eE]/.test(sql[i - 1] ?? '') && !/\w/.test(sql[i - 2] ?? ''));
    else if (c === '"') i = quoteEnd(sql, i, '"', false);
    else if (c === '-' && sql[i + 1] === '-') i = lineEnd(sql, i);
    else if (c === '/' && sql[i + 1] === '*') i = blockCommentEnd(sql, i);
    else if (c === '$' && !/[\w$]/.test(sql[i - 1] ?? '')) {
      const tag = /^\$(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/.exec(sql.slice(i, i + 64))?.[0];
      if (tag) {
        const end = sql.indexOf(tag, i + tag.length);
        i = end < 0 ? sql.length : end + tag.length - 1;
      }
    }
  }
  close(sql.length);
  return last;
}

/** The index of the newline ending the line of `from` (the text's length on its last line). */
function lineEnd(sql: string, from: number): number {
  const newline = sql.indexOf('\n', from);
  return newline < 0 ? sql.length : newline;
}

/** The index of the quote closing the one at `open` (a doubled quote is part of the text). */
function quoteEnd(sql: string, open: number, quote: string, backslashEscapes: boolean): number {
  for (let i = open + 1; i < sql.length; i++) {
    if (backslashEscapes && sql[i] === '\\') i++;
    else if (sql[i] === quote) {
      if (sql[i + 1] === quote) i++;
      else return i;
    }
  }
  return sql.length;
}

/** The index of the `/` closing the block comment at `open` (PostgreSQL's block comments nest). */
function blockCommentEnd(sql: string, open: number): number {
  let depth = 0;
  for (let i = open; i < sql.length - 1; i++) {
    if (sql[i] === '/' && sql[i + 1] === '*') {
      depth++;
      i++;
    } else if (sql[i] === '*' && sql[i + 1] === '/') {
      depth--;
      i++;
      if (depth === 0) return i;
    }
  }
  return sql.length;
}

const DDL_RE =
  /^(create|drop|alter)\s+(?:or\s+replace\s+)?(?:(?:global|local)\s+)?((?:(?:temp|temporary|unlogged|unique|recursive|materialized|foreign)\s+)*)([a-z_]+)/i;

/** The object kind of a DDL statement (`TABLE`, `VIEW`, `MATERIALIZED VIEW`...) whose command is `command`, if any. */
function ddlObject(sql: string, command: string): string | undefined {
  const m = DDL_RE.exec(stripLeadingComments(sql));
  if (!m || (m[1] ?? '').toUpperCase() !== command) return undefined;
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
 * ran exactly one statement; of several, the last statement of the text names the DDL object when
 * it is the command the driver reported last.
 */
export function toAdapterResponse(outcome: DriverOutcome, sql: string, singleStatement: boolean): AdapterResponse {
  const command = (outcome.command ?? '').toUpperCase();
  if (!command) return { code: 'OK', message: 'OK' };
  const rows = typeof outcome.rowCount === 'number' && Number.isFinite(outcome.rowCount) ? outcome.rowCount : undefined;
  if (rows !== undefined) {
    const message = command === 'INSERT' ? `INSERT 0 ${rows}` : `${command} ${rows}`;
    return { code: command, message, rowsAffected: rows };
  }
  let message = FIXED_TAGS[command] ?? command;
  if (command === 'CREATE' || command === 'DROP' || command === 'ALTER') {
    const object = ddlObject(singleStatement ? sql : lastStatement(sql), command);
    if (object) message = `${command} ${object}`;
  }
  // dbt-postgres' get_response: the code is the tag's words (`CREATE VIEW`), and rows_affected
  // psycopg2's cursor.rowcount, -1 for a command that reports no count (DDL, BEGIN, GRANT...).
  return { code: message, message, rowsAffected: -1 };
}

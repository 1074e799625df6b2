// ClickHouse's server takes one statement per query: a text with a second statement after a `;`
// (a `sql_header` ending in `;` in front of the model's statement) fails with its syntax error
// "Multi-statements are not allowed", which dbt-clickhouse shows. chDB's embedded engine runs
// such a text instead, so the chDB driver refuses it here with the server's words.

/**
 * The offset of the `;` that ends the text's first statement when another statement follows it
 * (outside quotes and comments), or null for one statement (a trailing `;` is allowed).
 */
export function secondStatementAt(sql: string): number | null {
  let i = 0;
  let end: number | null = null;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"' || c === '`') {
      i = closingQuote(sql, i, c);
      if (end !== null) return end;
    } else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? sql.length : close + 2;
    } else if (c === ';') {
      end ??= i;
      i++;
    } else if (/\s/.test(c)) {
      i++;
    } else {
      if (end !== null) return end;
      i++;
    }
  }
  return null;
}

/** The offset after the quote that closes the one at `start` (a backslash or a doubled quote escapes it). */
function closingQuote(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === '\\') i += 2;
    else if (sql[i] === quote && sql[i + 1] === quote) i += 2;
    else if (sql[i] === quote) return i + 1;
    else i++;
  }
  return sql.length;
}

/** ClickHouse's error (code 62, SYNTAX_ERROR) for a text of several statements, or null for one. */
export function multiStatementError(sql: string): (Error & { code: number; type: string }) | null {
  const at = secondStatementAt(sql);
  if (at === null) return null;
  const rest = sql.slice(at, at + 60).replace(/\s+/g, ' ').trim();
  return Object.assign(new Error(`Syntax error (Multi-statements are not allowed): failed at position ${at + 1} (end of query): ${rest}. `), { code: 62, type: 'SYNTAX_ERROR' });
}

// ClickHouse's identifier and string quoting: backticks and single quotes, backslash-escaped.
/** ClickHouse's bare identifier: a letter or `_`, then letters, digits and `_`. */
export const BARE_IDENTIFIER = /^[a-zA-Z_][0-9a-zA-Z_]*$/;

export function quoteIdentifier(name: string): string {
  return `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
}

export function quoteString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

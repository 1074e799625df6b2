// The README's "Error codes" tables, rendered from the catalogue (src/errors/codes.ts): one table
// per area, in the catalogue's order. scripts/readme-error-codes.ts writes them into README.md
// between the two markers; src/errors/codes.test.ts fails when README.md differs from them.
import { ERROR_AREAS, ERROR_CODES, type ErrorArea, type ErrorCodeInfo } from '../src/errors/codes.js';

export const SECTION_START = '<!-- error-codes:start: generated from src/errors/codes.ts by `npm run readme:error-codes`, do not edit -->';
export const SECTION_END = '<!-- error-codes:end -->';

const cell = (text: string) => text.replace(/\|/g, '\\|');

function exitText(info: ErrorCodeInfo): string {
  return [...info.exit].sort((a, b) => a - b).join(' or ');
}

/** The tables, without the markers. */
export function errorCodeTables(): string {
  const byArea = new Map<ErrorArea, [string, ErrorCodeInfo][]>();
  for (const [code, info] of Object.entries(ERROR_CODES) as [string, ErrorCodeInfo][]) {
    const rows = byArea.get(info.area) ?? [];
    rows.push([code, info]);
    byArea.set(info.area, rows);
  }
  const blocks = (Object.keys(ERROR_AREAS) as ErrorArea[])
    .filter((area) => byArea.has(area))
    .map((area) => [`### ${ERROR_AREAS[area]}`, '', '| Code | Meaning | Exit |', '| --- | --- | --- |', ...(byArea.get(area) ?? []).map(([code, info]) => `| \`${code}\` | ${cell(info.meaning)} | ${exitText(info)} |`)].join('\n'));
  return blocks.join('\n\n');
}

/** README.md with the text between the markers replaced by the tables (an error when a marker is missing). */
export function withErrorCodeTables(readme: string): string {
  const start = readme.indexOf(SECTION_START);
  const end = readme.indexOf(SECTION_END);
  if (start < 0 || end < start) throw new Error(`README.md has no error-code section: add the lines\n${SECTION_START}\n${SECTION_END}`);
  return `${readme.slice(0, start + SECTION_START.length)}\n\n${errorCodeTables()}\n\n${readme.slice(end)}`;
}

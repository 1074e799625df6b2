// How the docs site's data is written (site-writer.ts) and read back (the page, browser/site-source.ts;
// the tests) in two texts, so the first view needs only the smaller one:
//  - the entries (tsdbt-docs-data.js): JSON of the site's header, the distinct configs, and each
//    node's entry as the array of its ENTRY_FIELDS values; key names are not repeated per node, a
//    config is its index among the distinct ones (the 10,000 tests of a large project have a handful),
//    a parent or child is the index of its entry (its id when it has none), the folder is null
//    when it is the path's (it always is, site-data.ts), and the nulls that end a row are left out;
//    in two lines, the data tests' entries on the second (encodeEntries), which the page decodes
//    once the first list is drawn;
//  - the pages (tsdbt-docs-pages.js): one line of JSON per node, in the entries' order, with its
//    PAGE_FIELDS (SQL, columns, descriptions...); the page parses the line of the node it shows.
// Each text reaches the page without going through the browser's JavaScript parser, which took
// 2 s for the 19 MB object literal of a 5,000-model project: in a script file as the comment of a
// function (`window.TSDBT_DOCS = function () {/*...*/};`), read back with Function.prototype.toString,
// which returns the function's exact source text (ECMAScript 2019); in static_index.html as the text
// of a <script type="application/json"> element. Either way the text is JSON with every "<" and "/"
// escaped (\u003c, \/: JSON allows both), so nothing in it can end the comment or the element, and
// every character past ASCII too, so the browser keeps the text one byte a character.
import type { SiteData, SiteEntry, SiteIndex, SitePage, SitePageField } from './site-types.js';

/** An entry's fields, in the order its array holds them. */
export const ENTRY_FIELDS = [
  'id',
  'name',
  'resourceType',
  'package',
  'folder',
  'path',
  'fqn',
  'relation',
  'database',
  'schema',
  'identifier',
  'config',
  'tags',
  'parents',
  'children',
  'lastRun',
  'sourceName',
  'testType',
  'testName',
  'testColumn',
  'version',
  'latestVersion',
  'label',
] as const satisfies readonly (keyof SiteEntry)[];

// Every field of an entry is in ENTRY_FIELDS (a field added to SiteNode must be placed in one part or the other).
type Unlisted = Exclude<keyof SiteEntry, (typeof ENTRY_FIELDS)[number]>;
const everyField: [Unlisted] extends [never] ? true : Unlisted = true;
void everyField;

/**
 * The first optional field: it and those after it are written as null when absent, and left absent
 * when read back null (the pages treat null and absent alike); every field before it is in every entry.
 */
const FIRST_OPTIONAL = ENTRY_FIELDS.indexOf('sourceName');

/** The folder of a node's file, as site-data.ts names it (`.` at the top). */
export function folderOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash > 0 ? file.slice(0, slash) : '.';
}

/** Where a text is carried: the script file that sets `window[global]`, the element static_index.html holds it in. */
export interface Carrier {
  file: string;
  global: string;
  element: string;
}
export const DATA_CARRIER: Carrier = { file: 'tsdbt-docs-data.js', global: 'TSDBT_DOCS', element: 'tsdbt-docs-data' };
export const PAGES_CARRIER: Carrier = { file: 'tsdbt-docs-pages.js', global: 'TSDBT_DOCS_PAGES', element: 'tsdbt-docs-pages' };
/** ELK's worker script, as a JSON string (bundle-app.ts): loaded by the page when it starts ELK (static_index.html has it in its script). */
export const ELK_CARRIER: Carrier = { file: 'tsdbt-docs-elk.js', global: 'TSDBT_ELK_WORKER', element: 'tsdbt-docs-elk' };

interface EncodedEntries extends Omit<SiteIndex, 'nodes'> {
  configs: unknown[];
  rows: unknown[][];
}

/** The data tests' entries (the entries text's second line): their rows, and where each stands among all nodes. */
interface EncodedTests {
  at: number[];
  rows: unknown[][];
}

/** JSON whose "<", "/" and characters past ASCII are escaped: safe in a comment and in a script element, one byte a character. */
export function carried(json: string): string {
  return json.replace(/[</\u007f-\uffff]/g, (c) => (c === '/' ? '\\/' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** Data tests: their entries are the entries text's second line, decoded after the first list is drawn. */
const isDataTest = (n: SiteEntry) => n.resourceType === 'test';

/**
 * The entries' text: every node's entry, in two lines. The first holds the site's header, the
 * distinct configs and the entry of every node but the data tests (the list, the first thing the
 * page draws, shows no test); the second the data tests' entries with their places among all
 * nodes (`data.nodes`' order), so the page decodes the first line, draws, and then the second (on
 * a 5,000-model project the tests are two thirds of the entries). A parent or child is the index
 * of its entry in the first line, else its id (so a model's tests are ids).
 */
export function encodeEntries(data: SiteData): string {
  const { nodes, ...header } = data;
  // A config's index, by its JSON text; equal configs are mostly one object (the parse shares
  // them, graph/shared-configs.ts), so an object met before is not written out again.
  const configs = new Map<string, number>();
  const configIndex = new Map<object, number>();
  const indexOfConfig = (config: Record<string, unknown>) => {
    let index = configIndex.get(config);
    if (index !== undefined) return index;
    const text = JSON.stringify(config);
    index = configs.get(text);
    if (index === undefined) configs.set(text, (index = configs.size));
    configIndex.set(config, index);
    return index;
  };
  const indexOf = new Map<string, number>();
  for (const n of nodes) if (!isDataTest(n)) indexOf.set(n.id, indexOf.size);
  const ids = (list: string[]) => {
    const refs = new Array<number | string>(list.length);
    for (let i = 0; i < list.length; i++) refs[i] = indexOf.get(list[i] as string) ?? (list[i] as string);
    return refs;
  };
  const rowOf = (n: SiteEntry): unknown[] => {
    // ENTRY_FIELDS' order; a row ends at its last value that is not null (the optional fields at the end mostly are).
    const row: unknown[] = [
      n.id,
      n.name,
      n.resourceType,
      n.package,
      n.folder === folderOf(n.path) ? null : n.folder,
      n.path,
      n.fqn,
      n.relation ?? null,
      n.database ?? null,
      n.schema ?? null,
      n.identifier ?? null,
      indexOfConfig(n.config),
      n.tags,
      ids(n.parents),
      ids(n.children),
      n.lastRun ?? null,
      n.sourceName ?? null,
      n.testType ?? null,
      n.testName ?? null,
      n.testColumn ?? null,
      n.version ?? null,
      n.latestVersion ?? null,
      n.label ?? null,
    ];
    let end = row.length;
    while (end > 0 && row[end - 1] === null) end--;
    row.length = end;
    return row;
  };
  const rows: unknown[][] = [];
  const tests: EncodedTests = { at: [], rows: [] };
  nodes.forEach((n, i) => {
    if (!isDataTest(n)) return void rows.push(rowOf(n));
    tests.at.push(i);
    tests.rows.push(rowOf(n));
  });
  const encoded: EncodedEntries = { ...header, configs: [...configs.keys()].map((text) => JSON.parse(text) as unknown), rows };
  return `${carried(JSON.stringify(encoded))}\n${carried(JSON.stringify(tests))}`;
}

/**
 * The pages' text: a line per node, in the order of `data.nodes`, each the JSON of its
 * PAGE_FIELDS (an absent one left out). JSON.stringify writes no line break, so the lines are
 * escaped (carried) as one text.
 */
export function encodePages(data: SiteData): string {
  const lines = new Array<string>(data.nodes.length);
  data.nodes.forEach((n, i) => {
    const page = {
      descriptionHtml: n.descriptionHtml,
      columns: n.columns,
      rawSql: n.rawSql,
      compiledSql: n.compiledSql,
      rowCount: n.rowCount,
      columnLineage: n.columnLineage,
      freshness: n.freshness,
      testKwargs: n.testKwargs,
      properties: n.properties,
    } satisfies Record<SitePageField, unknown>;
    lines[i] = JSON.stringify(page);
  });
  return carried(lines.join('\n'));
}

/** The entries' first line decoded (every node but the data tests), with what decoding the second needs. */
export interface MainEntries {
  index: SiteIndex;
  configs: unknown[];
  /** The id of each entry of the first line, by its index. */
  idOf: string[];
}

/**
 * Entries from their rows. The fields every entry has are one object literal in ENTRY_FIELDS'
 * order (so the 5,000 entries of a large project share one shape, made without a lookup per
 * field: decoding is on the way to the page's first list), then the optional ones a row holds.
 */
function decodeRows(rows: unknown[][], configs: unknown[], idOf: string[]): SiteEntry[] {
  const ids = (list: (number | string)[]) => {
    const out = new Array<string>(list.length);
    for (let i = 0; i < list.length; i++) {
      const ref = list[i] as number | string;
      out[i] = typeof ref === 'number' ? (idOf[ref] as string) : ref;
    }
    return out;
  };
  const entries = new Array<SiteEntry>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    // A row holds at least every field up to its children (arrays, never null: its end is past them).
    const row = rows[r] as unknown[];
    const entry: Record<string, unknown> = {
      id: row[0],
      name: row[1],
      resourceType: row[2],
      package: row[3],
      folder: row[4] ?? folderOf(row[5] as string),
      path: row[5],
      fqn: row[6],
      relation: row[7],
      database: row[8],
      schema: row[9],
      identifier: row[10],
      config: configs[row[11] as number],
      tags: row[12],
      parents: ids(row[13] as (number | string)[]),
      children: ids(row[14] as (number | string)[]),
      lastRun: row.length > 15 ? row[15] : null,
    };
    for (let i = FIRST_OPTIONAL; i < row.length; i++) if (row[i] !== null) entry[ENTRY_FIELDS[i] as string] = row[i];
    entries[r] = entry as unknown as SiteEntry;
  }
  return entries;
}

/** The entries text's two lines. */
function entryLines(text: string): [main: string, tests: string] {
  const end = text.indexOf('\n');
  return end === -1 ? [text, ''] : [text.slice(0, end), text.slice(end + 1)];
}

/** The site's header and every node's entry but the data tests' (the entries text's first line). Configs are shared between entries (the page never changes one). */
export function decodeMainEntries(text: string): MainEntries {
  const { configs, rows, ...header } = JSON.parse(entryLines(text)[0]) as EncodedEntries;
  const idOf = rows.map((row) => row[0] as string);
  return { index: { ...header, nodes: decodeRows(rows, configs, idOf) }, configs, idOf };
}

/** Every node's entry, in `data.nodes`' order: the first line's with the data tests of the second put back in their places. */
export function withTestEntries(main: MainEntries, text: string): SiteEntry[] {
  const tests = entryLines(text)[1];
  if (tests === '') return main.index.nodes;
  const { at, rows } = JSON.parse(tests) as EncodedTests;
  const decoded = decodeRows(rows, main.configs, main.idOf);
  const nodes: SiteEntry[] = [];
  let next = 0;
  decoded.forEach((test, k) => {
    const place = at[k] as number;
    while (nodes.length < place && next < main.index.nodes.length) nodes.push(main.index.nodes[next++] as SiteEntry);
    nodes.push(test);
  });
  while (next < main.index.nodes.length) nodes.push(main.index.nodes[next++] as SiteEntry);
  return nodes;
}

/** The site's header and every node's entry from the entries' text (both lines). */
export function decodeEntries(text: string): SiteIndex {
  const main = decodeMainEntries(text);
  return { ...main.index, nodes: withTestEntries(main, text) };
}

/** The pages' text, line by line: the page of the i-th node, parsed when asked for. */
export class SitePages {
  private starts: number[] | null = null;

  constructor(private readonly text: string) {}

  get(index: number): SitePage | undefined {
    if (!this.starts) {
      this.starts = [0];
      for (let at = this.text.indexOf('\n'); at !== -1; at = this.text.indexOf('\n', at + 1)) this.starts.push(at + 1);
    }
    const start = this.starts[index];
    if (start === undefined) return undefined;
    const end = this.starts[index + 1];
    return JSON.parse(this.text.slice(start, end === undefined ? undefined : end - 1)) as SitePage;
  }
}

/** A script file that carries `text` to the page: `window.<global>` is a function whose comment is the text. */
export function carrierScript(global: string, text: string): string {
  return `window.${global} = function () {/*${text}*/};\n`;
}

/** The text a carrier function holds, from the function's source text (Function.prototype.toString). */
export function carriedText(source: string): string {
  const start = source.indexOf('/*');
  const end = source.lastIndexOf('*/');
  if (start === -1 || end < start) throw new Error('the docs data script holds no data (was it written by tsdbt docs generate?)');
  return source.slice(start + 2, end);
}

/** The site's data, whole, from the two texts (what the page shows, for the tests and tools). */
export function decodeSite(entries: string, pages: string): SiteData {
  const index = decodeEntries(entries);
  const lines = new SitePages(pages);
  return { ...index, nodes: index.nodes.map((entry, i) => ({ ...entry, ...(lines.get(i) as SitePage) })) };
}

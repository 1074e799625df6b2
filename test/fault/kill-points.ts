// Kill points: positions in the statement sequence of the v2 build (one thread, so the sequence is
// the same on every run), read from an uninterrupted reference run's `--debug --log-format json`
// output. Each point is chosen by a rule that names what it interrupts, so points follow the code if
// a statement is added or removed; the relations that must be new at a point are those whose
// transaction committed at or before it.
//
// Statements sent in one round trip (the adapter's Connection.queue: a BEGIN, a DROP ... IF EXISTS,
// the swap's renames travelling with the next statement) reach the server together, and the process
// hears of them together: a kill "after" one of them lands after the whole trip. So a point's
// expectation runs to the end of its round trip, and "just before COMMIT" means just before the
// trip that carries the COMMIT.
import { RELATIONS, type RelationName } from './fault-project.js';
import type { Version } from './observe.js';
import { mulberry32 } from '../../scripts/seeded-random.js';
import { readJsonLog } from '../support/json-log.js';

export interface Statement {
  /** 1-based position, as TSDBT_TEST_KILL_AFTER_STATEMENT counts. */
  index: number;
  /** The node it ran for, or `connection`. */
  node: string;
  /** Without comments, whitespace collapsed. */
  text: string;
  /** Sent in one round trip with the next statement (the log's `sent_with_next`). */
  sentWithNext: boolean;
}

/** The SQL as the kill hook prints it and as points compare it. */
export function normalizeSql(sql: string): string {
  return sql.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\s+/g, ' ').trim();
}

/** The statements of a run from its JSON log lines (`SQLQuery` events: `On <node>: <sql>\n(<status> in <s>s)`). */
export function statementsFromLog(lines: string[]): Statement[] {
  const statements: Statement[] = [];
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    const event = readJsonLog(line) as { name: string; msg: string; data: { sent_with_next?: boolean } };
    if (event.name !== 'SQLQuery') continue;
    const match = /^On ([^:]+): ([\s\S]*)\n\([^\n]*\)$/.exec(event.msg);
    if (!match) throw new Error(`unexpected SQLQuery message: ${event.msg.slice(0, 200)}`);
    statements.push({ index: statements.length + 1, node: match[1] as string, text: normalizeSql(match[2] as string), sentWithNext: event.data.sent_with_next === true });
  }
  return statements;
}

/** The relation a node builds (`seed.fault.orders` → `orders`), or null (tests, the connection). */
function relationOf(node: string): RelationName | null {
  const [type, , name] = node.split('.');
  if (type !== 'seed' && type !== 'model' && type !== 'snapshot') return null;
  return name !== undefined && name in RELATIONS ? (name as RelationName) : null;
}

/**
 * Where each relation's work is committed, in build order: the LAST COMMIT of a transaction that
 * holds one of its node's statements. A transaction (from a statement starting with BEGIN to its
 * COMMIT or ROLLBACK) belongs to the node whose statements it holds; one holding only the
 * connection's own statements (a describe of the next node's query, a catalog lookup) commits no
 * relation's work, even though it runs between two nodes. (Today each node has one transaction, so
 * there is one COMMIT; were a node to commit part of its work early, the points before its last
 * COMMIT would expect it old and find it half-built.)
 */
export function commits(statements: Statement[]): { relation: RelationName; index: number }[] {
  const last = new Map<RelationName, number>();
  let owner: RelationName | null = null;
  for (const s of statements) {
    const text = s.text.toLowerCase();
    if (/^begin\b/.test(text)) owner = null;
    if (s.node !== 'connection') owner = relationOf(s.node) ?? owner;
    if (text === 'commit' && owner) last.set(owner, s.index);
    if (text === 'commit' || text === 'rollback') owner = null;
  }
  return [...last].map(([relation, index]) => ({ relation, index })).sort((a, b) => a.index - b.index);
}

/** The last statement of statement `n`'s round trip: what a kill after `n` comes after. */
export function tripEnd(statements: Statement[], n: number): number {
  let end = n;
  while (end < statements.length && statements[end - 1]?.sentWithNext) end++;
  return end;
}

/** The first statement of statement `n`'s round trip. */
function tripStart(statements: Statement[], n: number): number {
  let start = n;
  while (start > 1 && statements[start - 2]?.sentWithNext) start--;
  return start;
}

/** The version each relation must hold after a kill following statement `n` (and so its whole round trip). */
export function expectedVersions(statements: Statement[], n: number): Record<RelationName, Version> {
  const end = tripEnd(statements, n);
  const committed = new Set(commits(statements).filter((c) => c.index <= end).map((c) => c.relation));
  return Object.fromEntries(Object.keys(RELATIONS).map((r) => [r, committed.has(r as RelationName) ? 'v2' : 'v1'])) as Record<RelationName, Version>;
}

export interface KillPoint {
  label: string;
  /** The statement after which the build is killed. */
  find(statements: Statement[]): number;
}

function commitOf(relation: RelationName, statements: Statement[]): number {
  const found = commits(statements).find((c) => c.relation === relation);
  if (!found) throw new Error(`no COMMIT for ${relation} in the reference run`);
  return found.index;
}

function firstOf(relation: RelationName, pattern: RegExp, statements: Statement[]): number {
  const found = statements.find((s) => relationOf(s.node) === relation && pattern.test(s.text)) ?? statements.find((s) => s.node === 'connection' && pattern.test(s.text));
  if (!found) throw new Error(`no statement of ${relation} matches ${pattern}`);
  return found.index;
}

/** Build order of the v2 build (one thread), which the points below alternate over. */
const BUILD_ORDER: RelationName[] = ['orders', 'customers', 'stg_orders', 'customers_snap', 'orders_merge', 'orders_di', 'customer_totals', 'orders_append', 'customer_report', 'report_view'];


/** Points drawn from a fixed seed: positions anywhere in the build, the same on every run. */
const SEEDED_POINTS = 3;
const SEED = 4;

const seededPoints: KillPoint[] = Array.from({ length: SEEDED_POINTS }, (_, i): KillPoint => ({
  label: `seeded point ${i + 1} of ${SEEDED_POINTS} (seed ${SEED})`,
  find: (s) => {
    const next = mulberry32(SEED);
    let n = 1;
    for (let k = 0; k <= i; k++) n = 1 + Math.floor(next() * s.length);
    return n;
  },
}));

const beforeCommit = (relation: RelationName): KillPoint => ({ label: `${relation}: all done but the round trip of its last COMMIT`, find: (s) => tripStart(s, commitOf(relation, s)) - 1 });
const atCommit = (relation: RelationName): KillPoint => ({ label: `${relation}: committed`, find: (s) => commitOf(relation, s) });

/**
 * The kill points. The first statement. Around each relation's last COMMIT: the statement just
 * before the round trip that carries it (everything built, nothing committed: any work committed
 * early would show here as a missing, half-built or leftover relation) and the COMMIT itself
 * (committed work must survive the kill). Three points inside a transaction where a half-done state
 * would be visible if it leaked: the old `orders` table dropped before its dependent view is
 * re-created (today one round trip with the COMMIT, so the point checks that trip is whole), the
 * snapshot's open versions closed before their new versions are inserted, and delete+insert's keys
 * deleted before its rows are inserted. `thorough`: both sides of every relation's COMMIT, and a
 * few points anywhere, drawn from a fixed seed (27 points); `sampled`: one side of each COMMIT,
 * alternately, for a kind whose every kill costs seconds (14 points).
 */
export function killPoints(coverage: 'thorough' | 'sampled'): KillPoint[] {
  const thorough = coverage === 'thorough';
  return [
    { label: 'the first statement', find: () => 1 },
    ...BUILD_ORDER.flatMap((relation, i) => (thorough ? [beforeCommit(relation), atCommit(relation)] : [i % 2 === 0 ? beforeCommit(relation) : atCommit(relation)])),
    // The careful swap is one statement (drop, rename, the dependent view re-created), sent with the
    // commit: a call of the session's swap function, or a `do` block, either with its drop statements as JSON.
    { label: 'orders: after the trip of the swap that drops the old table and re-creates its dependent view', find: (s) => firstOf('orders', /^(do \$tsdbt\$|select pg_temp\.tsdbt_swap\()[\s\S]*drop table if exists \S*"orders\\?" cascade/, s) },
    { label: 'customers_snap: open versions closed, new versions not inserted', find: (s) => firstOf('customers_snap', /^update /, s) },
    { label: 'orders_di: keys deleted, new rows not inserted', find: (s) => firstOf('orders_di', /^delete from /, s) },
    ...(thorough ? seededPoints : []),
  ];
}

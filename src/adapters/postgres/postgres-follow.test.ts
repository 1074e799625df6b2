// Issue 18's pipelining on a PostgreSQL connection: a follower's round trip is handed to the
// session behind its leader's final one, before that one's answer, and checked against it as the
// driver sends it; its answer reaches the follower only once its node runs (`adopted`). A leader
// whose trip failed leaves the follower's statements unsent and unreported.
import { describe, expect, it } from 'vitest';
import type { StatementEvent } from '../adapter.js';
import { PipelineRefused, type TripToken } from '../pipeline.js';
import type { TripOptions } from './postgres-follow.js';
import { PostgresConnection, type DriverResult, type PostgresSession } from './postgres-connection.js';

/** A session whose answers wait until `answer()` (in order), as pg's queue: the driver sets a final trip's token and refuses a trip behind a failed one. */
function queuedSession(events: string[]) {
  const pending: { sql: string; trip?: TripOptions; resolve: (r: DriverResult[]) => void; reject: (e: Error) => void }[] = [];
  const session: PostgresSession = {
    copySource: 'stdin',
    queuesBehind: true,
    query: (sql: string, trip?: TripOptions) => {
      events.push(`handed over: ${sql.split('\n;\n').join(' ; ')}`);
      return new Promise<DriverResult[]>((resolve, reject) => pending.push({ sql, trip, resolve, reject }));
    },
    copyIn: () => Promise.resolve(0),
    // An aborted transaction after a failed trip, until a rollback.
    inTransaction: () => aborted,
    objects: new Map(),
  };
  let aborted = false;
  /** The server answers the oldest trip (failing it if `fail`); a trip behind a failed leader is refused unsent. */
  const answer = (fail = false) => {
    const trip = pending.shift();
    if (!trip) throw new Error('no trip pending');
    if (trip.trip?.after && trip.trip.after.state !== 'ok') {
      events.push(`refused: ${trip.sql.split('\n;\n').join(' ; ')}`);
      trip.reject(new PipelineRefused());
      return;
    }
    events.push(`answered${fail ? ' (error)' : ''}: ${trip.sql.split('\n;\n').join(' ; ')}`);
    if (trip.trip?.token) trip.trip.token.state = fail ? 'failed' : 'ok';
    aborted = fail || (aborted && !trip.sql.includes('rollback'));
    if (fail) trip.reject(Object.assign(new Error('relation "nope" does not exist'), { code: '42P01' }));
    else trip.resolve(trip.sql.split('\n;\n').map((): DriverResult => ({ command: 'CREATE', rowCount: null, fields: [], rows: [] })));
  };
  return { session, answer, pending };
}

const place = { kind: 'postgres' as const, location: 'test' };
const flush = () => new Promise((r) => setImmediate(r));

function connections(events: string[]) {
  const reported: string[] = [];
  const context = { projectDir: '.', targetDir: '.', onStatement: (e: StatementEvent) => reported.push(`${e.nodeId ?? '-'} ${e.sql}${e.error ? ' (error)' : ''}`) };
  const { session, answer, pending } = queuedSession(events);
  const leader = new PostgresConnection(session, context, place);
  leader.markFinal();
  return { leader, reported, answer, pending, follower: (after: TripToken, adopted: Promise<void>) => new PostgresConnection(session, context, place, undefined, { after, adopted }) };
}

const build = (conn: PostgresConnection, node: string) =>
  conn.transaction(async (tx) => {
    await (tx as PostgresConnection).queue(`create view ${node} as select 1`, { nodeId: node });
  });

describe('a follower queued behind its leader (PostgreSQL connection)', () => {
  it('is handed to the session before the leader is answered, and handed on only once adopted', async () => {
    const events: string[] = [];
    const { leader, reported, answer, follower } = connections(events);
    const led = build(leader, 'a');
    await flush();
    expect(leader.leading).toBe(true);
    let adopt = () => {};
    const adopted = new Promise<void>((resolve) => (adopt = resolve));
    const followed = build(follower(leader.finalRoundTrip as TripToken, adopted), 'b');
    await flush();
    // Both trips are with the driver before any answer.
    expect(events).toEqual(['handed over: begin ; create view a as select 1 ; commit', 'handed over: begin ; create view b as select 1 ; commit']);
    answer();
    await led;
    answer();
    let done = false;
    void followed.then(() => (done = true));
    await flush();
    expect(done).toBe(false); // answered, but its node has not started: nothing reported yet
    expect(reported.filter((r) => r.startsWith('b '))).toEqual([]);
    adopt();
    await followed;
    expect(reported).toEqual(['- begin', 'a create view a as select 1', '- commit', '- begin', 'b create view b as select 1', '- commit']);
  });

  it('is not sent when the leader failed: it reports nothing, sends no rollback, and fails with PipelineRefused', async () => {
    const events: string[] = [];
    const { leader, reported, answer, follower, pending } = connections(events);
    const led = build(leader, 'a');
    await flush();
    const followed = build(follower(leader.finalRoundTrip as TripToken, new Promise<void>(() => {})), 'b').catch((err: unknown) => err);
    await flush();
    answer(true);
    await flush();
    answer(); // the follower's trip, refused as the driver reaches it
    await flush();
    // The leader's own rollback is the only trip after its failure.
    while (pending.length > 0) answer();
    await expect(led).rejects.toThrow(/nope/);
    expect(await followed).toBeInstanceOf(PipelineRefused);
    expect(events.filter((e) => e.includes(' b '))).toEqual(['handed over: begin ; create view b as select 1 ; commit', 'refused: begin ; create view b as select 1 ; commit']);
    expect(reported.some((r) => r.startsWith('b '))).toBe(false);
    expect(events.filter((e) => e.includes('rollback'))).toEqual(['handed over: rollback', 'answered: rollback']); // the leader's alone
  });

  it('a connection not marked final, or whose trip failed, does not lead', async () => {
    const events: string[] = [];
    const { leader, answer } = connections(events);
    const failing = build(leader, 'a');
    await flush();
    answer(true);
    await flush();
    answer(); // its rollback
    await expect(failing).rejects.toThrow(/nope/);
    expect(leader.leading).toBe(false);
  });
});

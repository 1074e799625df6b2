// Issue 18's pipelining on a PostgreSQL server session (Adapter.follow): a follower's first round
// trip waits in pg's queue behind the leader's final one, and pg sends it as it reads that trip's
// ReadyForQuery, before any of the client's work on the answer; the trip carries a check, made as
// it is sent, that the leader's trip succeeded (else it is not sent: PipelineRefused; the query is
// postgres-tracked-query.ts's). Nothing of the follower's statements changes: the check is the
// client's, not SQL.
import { PipelineRefused, type TripToken } from '../pipeline.js';

/** What a session's query is told of pipelining: the token of a final trip to keep, the trip it may only follow. */
export interface TripOptions {
  /** This trip is a node's final one: its state is kept here. */
  token?: TripToken;
  /** Sent only if this trip (the leader's final one) succeeded. */
  after?: TripToken;
}

/** The follower side of a connection (PostgresConnection's `follow`): its gate and its state. */
export interface FollowGate {
  /** The leader's final trip. */
  after: TripToken;
  /** The session objects the leader's transaction creates: the follower's trip runs only if they were made. */
  creating?: ReadonlySet<string>;
  /** Resolves once the follower's node is the running one; rejects (PipelineRefused) when it will not be. */
  adopted: Promise<void>;
  /** The first trip has been handed to the driver (only it is checked: later ones wait for `adopted`). */
  sentFirst?: boolean;
  /** Refused or abandoned: the connection sends nothing more. */
  refused?: boolean;
}

/**
 * A follower's answer, handed on only once its node is the running one (`gate.adopted`), so its
 * statements are logged after the leader's result; PipelineRefused when it was not sent, when the
 * leader's trip failed (the follower's node is skipped or runs again in its turn), or when the
 * follower was abandoned. Then the connection sends nothing more.
 */
export async function followedAnswer<T>(answer: Promise<T>, gate: FollowGate): Promise<T> {
  let outcome: { value: T } | { error: unknown };
  try {
    outcome = { value: await answer };
  } catch (error) {
    outcome = { error };
  }
  if (('error' in outcome && outcome.error instanceof PipelineRefused) || gate.after.state !== 'ok') {
    gate.refused = true;
    throw new PipelineRefused();
  }
  try {
    await gate.adopted;
  } catch {
    gate.refused = true;
    throw new PipelineRefused('the node queued behind the running one was abandoned');
  }
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}

// The pg query of a PostgreSQL server session's pipelined trips (postgres-follow.ts, issue 18): it
// keeps a node's final trip's state, and is not sent behind a leader's trip that failed.
import pg from 'pg';
import { PipelineRefused } from '../pipeline.js';
import type { TripOptions } from './postgres-follow.js';

/** pg's Query with its methods as pg calls them (not in pg's types). */
interface QueryHooks {
  submit: (this: unknown, connection: unknown) => Error | null | undefined;
  handleError: (this: unknown, err: unknown, connection: unknown) => void;
  handleReadyForQuery: (this: unknown, connection: unknown) => void;
}

type QueryCallback = (err: Error | null, result?: pg.QueryResult | pg.QueryResult[]) => void;

/**
 * A simple query that keeps `trip.token`'s state and is not sent unless `trip.after` succeeded:
 * pg submits it as it handles the ReadyForQuery before it (synchronously, so the leader's token is
 * set by then), and refuses it (the error is the query's outcome, nothing is written) otherwise.
 */
export function trackedQuery(text: string, trip: TripOptions, callback: QueryCallback): pg.Query {
  const query = new pg.Query(text, undefined, callback as never);
  const hooks = query as unknown as QueryHooks;
  const { submit, handleError, handleReadyForQuery } = hooks;
  hooks.submit = (connection) => (trip.after && trip.after.state !== 'ok' ? new PipelineRefused() : submit.call(query, connection));
  hooks.handleError = (err, connection) => {
    if (trip.token) trip.token.state = 'failed';
    handleError.call(query, err, connection);
  };
  hooks.handleReadyForQuery = (connection) => {
    if (trip.token?.state === 'sent') trip.token.state = 'ok';
    handleReadyForQuery.call(query, connection);
  };
  return query;
}

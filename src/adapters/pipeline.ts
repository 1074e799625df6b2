// Issue 18: with one thread, a run's next node may be queued on the connection behind the running
// node's last round trip, so the server goes from one node's statements to the next without waiting
// for the client to handle the answer, log it and build the next node's statements
// (Adapter.follow, NodeExecutor.follow). What the adapters share for it.

/**
 * A node's last round trip (Connection.markFinal), as the driver sees it: `ok` once its answer
 * ended without an error, `failed` on an error; set as the answer is read, before any promise
 * callback runs, so the trip queued behind it can be held back at once.
 */
export interface TripToken {
  state: 'sent' | 'ok' | 'failed';
}

/**
 * A follower's round trip that was not sent because the trip before it failed, or a follower
 * abandoned (its node is skipped, or runs again in its turn). Never a node's result: the run
 * discards the follower's work.
 */
export class PipelineRefused extends Error {
  constructor(message = 'the node queued behind the running one was not sent: that one did not succeed') {
    super(message);
    this.name = 'PipelineRefused';
  }
}

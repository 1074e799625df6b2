// Exit codes a scheduler can act on (the same meaning as dbt's).

/** Everything selected ran and passed. */
export const EXIT_OK = 0;
/** At least one node failed (model error, test failure) — the run itself completed. */
export const EXIT_NODE_FAILURE = 1;
/** The invocation could not run: bad flags, a project or profile error, an unhandled failure. */
export const EXIT_USAGE_OR_PROJECT_ERROR = 2;

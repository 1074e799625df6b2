// dbt's SemanticValidationFailure (I070): dbt's SemanticManifest.validate fires one per problem the
// semantic layer's validator finds, at error level, before it stops the parse with "Semantic
// Manifest validation failed.". tsdbt reports those problems as its parse errors (each with its
// file, line and hint); it fires the same events, with dbt's `msg`, to the JSON log (on screen and
// in dbt.log with --log-format(-file) json), where tools read dbt's events.
import { TsdbtError, TsdbtErrorList } from '../errors/tsdbt-error.js';
import type { Logger } from './logger.js';

/** Runs `parse`; when it fails on semantic-layer validation, fires SemanticValidationFailure per problem first. */
export function firingSemanticFailures<T>(logger: Logger, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    const errors = err instanceof TsdbtErrorList ? err.errors : err instanceof TsdbtError ? [err] : [];
    const fired = new Set<string>();
    for (const e of errors) {
      // Each distinct problem once, as tsdbt's error output lists it.
      if (e.code !== 'semantic-manifest-invalid' || fired.has(e.message)) continue;
      fired.add(e.message);
      logger.emit({ level: 'error', name: 'SemanticValidationFailure', message: e.message, data: { msg: e.message }, jsonOnly: true });
    }
    throw err;
  }
}

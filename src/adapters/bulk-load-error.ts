// The error a bulk load throws when the warehouse says which row it refused (a value that does not
// cast to its column's type, a NUL byte, too many fields): the row's place in the load and the
// column, so the caller can point at its own source (a seed's CSV file and line).
import { TsdbtError } from '../errors/tsdbt-error.js';

export class BulkLoadRowError extends TsdbtError {
  constructor(
    /** 1-based position of the refused row among the rows given to bulkLoad. */
    readonly row: number,
    /** The column the warehouse named, when it did. */
    readonly column: string | null,
    error: TsdbtError,
  ) {
    super(error.message, { code: error.code, category: error.category, hint: error.hint, nodeId: error.nodeId, retriable: error.retriable, cause: error });
    this.location = error.location;
  }
}

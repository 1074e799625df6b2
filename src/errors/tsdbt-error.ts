// TsdbtError: the one error type tsdbt raises on purpose. It carries a stable code, where the
// problem is (file:line), what to do about it, and whether retrying can help, so the CLI can print
// a user mistake without a stack trace and a scheduler can act on retriable failures.

/** Who is at fault: the user's project, the warehouse, or tsdbt itself. */
export type ErrorCategory = 'user' | 'database' | 'internal';

/** A place in a project file. `file` is relative to the project root where possible. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

export interface TsdbtErrorOptions {
  /** Stable machine-readable code, e.g. `jinja-syntax`, `ref-not-found`, `yaml-invalid`. */
  code: string;
  category?: ErrorCategory;
  location?: SourceLocation;
  /** What the user should do, one sentence. */
  hint?: string;
  /** The manifest node the error belongs to (unique_id), when there is one. */
  nodeId?: string;
  /** True when running the same thing again may succeed (lost connection, lock timeout...). */
  retriable?: boolean;
  cause?: unknown;
}

export class TsdbtError extends Error {
  readonly code: string;
  readonly category: ErrorCategory;
  location?: SourceLocation;
  hint?: string;
  nodeId?: string;
  readonly retriable: boolean;

  constructor(message: string, options: TsdbtErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TsdbtError';
    this.code = options.code;
    this.category = options.category ?? 'user';
    this.location = options.location;
    this.hint = options.hint;
    this.nodeId = options.nodeId;
    this.retriable = options.retriable ?? false;
  }

  /** `file:line: message` followed by the hint on its own line, the way users see it. */
  format(): string {
    const where = formatLocation(this.location);
    const head = where ? `${where}: ${this.message}` : this.message;
    return this.hint ? `${head}\n  hint: ${this.hint}` : head;
  }
}

/** Several user errors found in one pass (loading reports them all together, DESIGN.md rule 6). */
export class TsdbtErrorList extends TsdbtError {
  readonly errors: TsdbtError[];

  constructor(errors: TsdbtError[]) {
    super(`${errors.length} error${errors.length === 1 ? '' : 's'} found`, {
      code: errors[0]?.code ?? 'multiple',
      category: errors.some((e) => e.category === 'internal') ? 'internal' : 'user',
    });
    this.errors = errors;
  }

  override format(): string {
    return this.errors.map((e) => e.format()).join('\n');
  }
}

export function formatLocation(location: SourceLocation | undefined): string {
  if (!location) return '';
  if (location.line === undefined) return location.file;
  return `${location.file}:${location.line}`;
}

export function isTsdbtError(value: unknown): value is TsdbtError {
  return value instanceof TsdbtError;
}

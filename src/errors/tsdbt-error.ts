// TsdbtError: the one error type tsdbt raises on purpose. It carries a stable code, where the
// problem is (file:line), what to do about it, and whether retrying can help, so the CLI can print
// a user mistake without a stack trace and a scheduler can act on retriable failures.
import type { ErrorCode } from './codes.js';
import { dbtErrorHeader, dbtErrorType } from './dbt-error-types.js';

/** Who is at fault: the user's project, the warehouse, or tsdbt itself. */
export type ErrorCategory = 'user' | 'database' | 'internal';

/** A place in a project file. `file` is relative to the project root where possible. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

/** The node (model, test, seed, hook, operation...) whose render or run raised an error. */
export interface NodeRef {
  /** `model`, `test`, `seed`, `snapshot`, `unit_test`, `operation`... */
  resourceType: string;
  name: string;
  /** Its file, relative to the project. */
  file: string;
}

/** How an internal failure (a tsdbt bug, not the project's) is flagged to the user. */
export const BUG_NOTICE = 'this is a tsdbt bug, not a problem in your project: please report it to the tsdbt maintainers with the command you ran and its output with --debug (which adds the stack)';

export interface TsdbtErrorOptions {
  /** Stable machine-readable code, e.g. `jinja-syntax`, `ref-not-found`, `yaml-invalid`: one of the catalogue's (codes.ts). */
  code: ErrorCode;
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
  readonly code: ErrorCode;
  readonly category: ErrorCategory;
  location?: SourceLocation;
  hint?: string;
  nodeId?: string;
  readonly retriable: boolean;
  /**
   * The template lines the error propagated through after it was raised, innermost first: for an
   * error in a macro, the line that called the macro, the line that called that one, ... up to the
   * node's own file (the engine records them as the error crosses templates).
   */
  calledFrom: SourceLocation[] = [];
  /** The node it happened in (set by whoever rendered or ran the node; the first one wins). */
  node?: NodeRef;
  /**
   * The ephemeral model whose compilation raised it, while a node that inlines it was compiled:
   * dbt skips that node ("ERROR SKIP"), its cause the ephemeral model's error.
   */
  ephemeralId?: string;

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

  /** Records the node the error happened in, unless it already names one. */
  inNode(node: NodeRef): this {
    this.node ??= node;
    return this;
  }

  /**
   * `models/x.sql:3 -> macros/m.sql:2`: from the outermost template line to where it was raised;
   * steps on the same line of the same file are one, and a chain that never leaves the headline's
   * line is '' (the headline says it already).
   */
  callChain(): string {
    const steps = [...this.calledFrom].reverse().concat(this.location ? [this.location] : []);
    const distinct = steps.filter((step, i) => i === 0 || step.file !== steps[i - 1]?.file || step.line !== steps[i - 1]?.line);
    return distinct.length < 2 ? '' : distinct.map((l) => formatLocation(l)).join(' -> ');
  }

  /** The first line: `file:line: message` (`internal error: ...` for tsdbt's own failures). */
  headline(): string {
    const where = formatLocation(this.location);
    const message = this.category === 'internal' ? `internal error: ${this.message}` : this.message;
    return where ? `${where}: ${message}` : message;
  }

  /** Where it happened: `in model x: models/x.sql:3 -> macros/m.sql:2`, `in model x (models/x.sql)`, or the bare chain. */
  origin(withNode = true): string {
    const chain = this.callChain();
    const node = withNode ? this.node : undefined;
    if (node) return chain ? `in ${node.resourceType} ${node.name}: ${chain}` : `in ${node.resourceType} ${node.name} (${node.file})`;
    return chain ? `call chain: ${chain}` : '';
  }

  /** The lines after the origin: the hint, and for an internal failure where to report it. */
  advice(): string[] {
    return [...(this.hint ? [`hint: ${this.hint}`] : []), ...(this.category === 'internal' ? [BUG_NOTICE] : [])];
  }

  /**
   * A node's failure as dbt writes it in run_results.json's `message`: dbt's kind of error and the
   * node (`Database Error in model orders (models/orders.sql)`), then this error as `format` gives it
   * without the node. The kind is the type of exception dbt raises there, as for a command's fatal
   * error (dbt-error-types.ts: a macro's raise_compiler_error is a Compilation Error, a
   * materialization without `statement('main')` a Runtime Error, the warehouse's a Database
   * Error); tsdbt's own failures are Runtime Errors.
   */
  resultMessage(node: NodeRef): string {
    const kind = dbtErrorType(this) ?? 'Runtime';
    return `${kind} Error in ${node.resourceType} ${node.name} (${node.file})\n  ${this.format({ node: false }).split('\n').join('\n  ')}`;
  }

  /**
   * `file:line: message`, the node and call chain it came through, and the hint, the way users
   * see it. `node: false` leaves the node out (where the node is named already, e.g. a result).
   */
  format(options: { node?: boolean } = {}): string {
    const origin = this.origin(options.node !== false);
    return [this.headline(), ...(origin ? [origin] : []), ...this.advice()].join('\n  ');
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
    return formatErrors(this.errors).join('\n');
  }
}

/** Reports what a pass collected: nothing, the one error as it is, or several as one TsdbtErrorList. */
export function throwCollected(errors: TsdbtError[]): void {
  const [first] = errors;
  if (errors.length === 1 && first) throw first;
  if (errors.length > 1) throw new TsdbtErrorList(errors);
}

/**
 * Several errors as text, each distinct one once: errors with the same message, place and hint
 * (a macro failing the same way for 30 models) print one headline followed by the node and call
 * chain of each occurrence. `kind`: each is headed by the type of error dbt raises there, as a
 * command's fatal error prints (dbt-error-types.ts): `Runtime Error`, `Compilation Error in model
 * x (models/x.sql)` (the node where there is one), ..., the error indented below it.
 */
export function formatErrors(errors: TsdbtError[], options: { node?: boolean; kind?: boolean } = {}): string[] {
  const groups = new Map<string, TsdbtError[]>();
  for (const e of errors) {
    const key = JSON.stringify([e.code, e.category, e.headline(), e.hint ?? '']);
    const group = groups.get(key);
    if (group) group.push(e);
    else groups.set(key, [e]);
  }
  const shown = 20;
  return [...groups.values()].map((group) => {
    const first = group[0] as TsdbtError;
    const origins = [...new Set(group.map((e) => e.origin(options.node !== false)).filter((o) => o !== ''))];
    const more = origins.length > shown ? [`... and ${origins.length - shown} more`] : [];
    const header = options.kind ? dbtErrorHeader(first) : null;
    if (header === null) return [first.headline(), ...origins.slice(0, shown), ...more, ...first.advice()].join('\n  ');
    // One node: named in the header as dbt names it (`in model x (models/x.sql)`), its chain below.
    const node = options.node !== false && group.length === 1 ? first.node : undefined;
    const below = node ? [first.origin(false)].filter((o) => o !== '') : [...origins.slice(0, shown), ...more];
    const headed = node ? `${header} in ${node.resourceType} ${node.name} (${node.file})` : header;
    const body = [first.headline(), ...below, ...first.advice()].join('\n  ');
    return `${headed}\n  ${body.split('\n').join('\n  ')}`;
  });
}

export function formatLocation(location: SourceLocation | undefined): string {
  if (!location) return '';
  if (location.line === undefined) return location.file;
  return `${location.file}:${location.line}`;
}

export function isTsdbtError(value: unknown): value is TsdbtError {
  return value instanceof TsdbtError;
}

/**
 * Any failure as a TsdbtError: a TsdbtError as it is, anything else (a JavaScript TypeError inside
 * tsdbt...) as an internal error that keeps the original as its `cause`.
 */
export function asTsdbtError(err: unknown): TsdbtError {
  if (err instanceof TsdbtError) return err;
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return new TsdbtError(message, { code: 'internal', category: 'internal', cause: err });
}

/**
 * Does this failure, or one it wraps (a TsdbtError's `cause`, at any depth), carry `code`? A
 * failure reported in its node's terms (a test argument that "could not be rendered") keeps what
 * it came from: a render that needed the warehouse is still one.
 */
export function hasErrorCode(err: unknown, code: ErrorCode): boolean {
  let current: unknown = err;
  for (let depth = 0; depth < 10 && current instanceof TsdbtError; depth++) {
    if (current.code === code) return true;
    current = current.cause;
  }
  return false;
}

/** The JavaScript stack at the bottom of a failure (through TsdbtError causes), for --debug. */
export function javascriptStack(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 10 && current instanceof TsdbtError && current.cause !== undefined; depth++) current = current.cause;
  return current instanceof Error ? current.stack : undefined;
}

// The static parser's data: what a parse render records (StaticParseResult), a macro call's known
// arguments (MacroCallArgs), and what it asks of the project (StaticParseScope, which
// compile/parse-phase.ts implements). Shared by static-parser.ts and its walker, static-walker.ts.
import type { RefCall } from '../../manifest/types.js';
import type { ParseTimeValues } from './static-constant.js';

/** What the parse render records. */
export interface StaticParseResult {
  refs: RefCall[];
  sources: [string, string][];
  configCalls: Record<string, unknown>[];
}

/** The arguments of a macro call: each a constant's value, or UNKNOWN. */
export interface MacroCallArgs {
  positional: unknown[];
  keywords: Record<string, unknown>;
}

/** What the parser needs to know of the project, for the package whose file it reads. */
export interface StaticParseScope extends ParseTimeValues {
  /** The namespace whose macro `name` a bare call reaches, if any. */
  macroNamespace(name: string): string | undefined;
  /** Whether `name` is a package namespace (`dbt_utils.star(...)`, `dbt.current_timestamp()`). */
  isNamespace(name: string): boolean;
  /** Whether macro `name` exists in namespace `ns`. */
  hasMacro(ns: string, name: string): boolean;
  /**
   * Null when rendering macro `macro.<ns>.<name>` with these arguments (constants where known,
   * UNKNOWN where not) provably has no parse-time effect, else why it may (memoised by the caller:
   * see macroCallKey).
   */
  macroEffect(ns: string, name: string, args: MacroCallArgs): string | null;
  /** Every macro `adapter.dispatch(name, namespace)` may reach, as [namespace, name]; empty when none. */
  dispatchTargets(name: string, macroNamespace: string | null): [string, string][];
  /** A name the parse context defines (a builtin function or value), other than macros. */
  inContext(name: string): boolean;
  hasFilter(name: string): boolean;
  hasTest(name: string): boolean;
}

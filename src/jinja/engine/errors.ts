// Turns anything thrown while rendering into a TsdbtError located at the template file:line
// where it happened, and records the chain of templates it propagated through.
import { TsdbtError, type SourceLocation } from '../../errors/tsdbt-error.js';
import { MacroReturn, RenderSuspended } from './values.js';

const stacks = new WeakMap<object, SourceLocation[]>();

/**
 * The templates an error propagated through after its origin, innermost first (for an error in
 * a macro: the template lines that called it). Empty when it did not cross templates.
 */
export function templateStack(err: unknown): SourceLocation[] {
  return (typeof err === 'object' && err !== null && stacks.get(err)) || [];
}

/** Formats an error with its template call chain (`called from models/a.sql:3`). */
export function describeTemplateError(err: TsdbtError): string {
  const frames = templateStack(err).map((f) => `\n  called from ${f.file}${f.line !== undefined ? `:${f.line}` : ''}`);
  return err.format() + frames.join('');
}

/** Used by compiled templates' catch blocks: returns the error to rethrow. */
export function wrapError(e: unknown, file: string, line: number): unknown {
  if (e instanceof MacroReturn || e instanceof RenderSuspended) return e;
  if (e instanceof TsdbtError) {
    if (!e.location) {
      e.location = { file, line };
    } else if (e.location.file !== file || e.location.line !== line) {
      const frames = stacks.get(e) ?? [];
      const last = frames[frames.length - 1];
      if (!last || last.file !== file || last.line !== line) frames.push({ file, line });
      stacks.set(e, frames);
    }
    return e;
  }
  const message = e instanceof Error ? e.message : String(e);
  return new TsdbtError(message, { code: 'jinja-render', category: 'user', location: { file, line }, cause: e });
}

// Turns anything thrown while rendering into a TsdbtError located at the template file:line
// where it happened, and records the chain of templates it propagated through.
import { constants } from 'node:buffer';
import { TsdbtError, type SourceLocation } from '../../errors/tsdbt-error.js';
import { MacroReturn, RenderSuspended } from './values.js';

/**
 * The templates an error propagated through after its origin, innermost first (for an error in
 * a macro: the template lines that called it). Empty when it did not cross templates.
 */
export function templateStack(err: unknown): SourceLocation[] {
  return err instanceof TsdbtError ? err.calledFrom : [];
}

/** Formats an error with its template call chain (`models/a.sql:3 -> macros/m.sql:2`). */
export function describeTemplateError(err: TsdbtError): string {
  return err.format();
}

/**
 * JavaScript errors that only a fault in tsdbt's own code raises (the engine reports a template's
 * mistakes, such as calling a number or reading an attribute of None, as its own errors).
 */
function isInternalFault(e: unknown): boolean {
  return e instanceof TypeError || e instanceof ReferenceError;
}

/** Used by compiled templates' catch blocks: returns the error to rethrow. */
export function wrapError(e: unknown, file: string, line: number): unknown {
  if (e instanceof MacroReturn || e instanceof RenderSuspended) return e;
  if (e instanceof TsdbtError) {
    if (!e.location) {
      e.location = { file, line };
    } else if (e.location.file !== file || e.location.line !== line) {
      const frames = e.calledFrom;
      const last = frames[frames.length - 1];
      if (!last || last.file !== file || last.line !== line) frames.push({ file, line });
    }
    return e;
  }
  if (isInternalFault(e)) {
    const fault = e as Error;
    return new TsdbtError(`${fault.name}: ${fault.message}`, { code: 'internal', category: 'internal', location: { file, line }, cause: e });
  }
  if (e instanceof RangeError && e.message === 'Invalid string length') {
    // V8 holds strings up to 2^29 - 24 characters; Python's str has no such limit, so a template
    // that builds a bigger one renders on dbt (given the memory) and cannot here.
    return new TsdbtError(`a string built on this line would be longer than the ${constants.MAX_STRING_LENGTH.toLocaleString('en-US')} characters a JavaScript string can hold`, {
      code: 'jinja-render',
      category: 'user',
      location: { file, line },
      cause: e,
      hint: 'the template builds SQL too large for any warehouse (often a macro nesting its own output once per loop); render less on this adapter, or set the file aside (a model disabled by config is still rendered)',
    });
  }
  const message = e instanceof Error ? e.message : String(e);
  return new TsdbtError(message, { code: 'jinja-render', category: 'user', location: { file, line }, cause: e });
}

// Calling-convention helpers for the pylib modules: binding a template call's positional and
// keyword arguments to Python parameter names, and coercing int/number arguments.
import { PyFloat, renderError, typeName } from '../../engine/values.js';
import { splitArgs } from './keywords.js';

/** Binds a Python-style call to parameter names (missing ones are `undefined`; None is `null`). */
export function pyArgs(fn: string, args: unknown[], params: readonly string[], required = 0): Record<string, unknown> {
  const [pos, kw] = splitArgs(args);
  if (pos.length > params.length) {
    throw renderError(`${fn}() takes at most ${params.length} argument${params.length === 1 ? '' : 's'} (${pos.length} given)`);
  }
  const out: Record<string, unknown> = {};
  pos.forEach((v, i) => {
    out[params[i] as string] = v;
  });
  for (const k of Object.keys(kw)) {
    if (!params.includes(k)) throw renderError(`${fn}() got an unexpected keyword argument '${k}'`);
    if (out[k] !== undefined) throw renderError(`${fn}() got multiple values for argument '${k}'`);
    out[k] = kw[k];
  }
  for (let i = 0; i < required; i++) {
    if (out[params[i] as string] === undefined) {
      throw renderError(`${fn}() missing required argument '${params[i]}' (pos ${i + 1})`);
    }
  }
  return out;
}

export function typeError(message: string): never {
  throw renderError(message);
}

/** Python's type name of an argument (the engine's `typeName`; a missing argument is None). */
export function pyType(v: unknown): string {
  return v === undefined ? 'NoneType' : typeName(v);
}

/** An integer argument (bool counts, like Python); `dflt` when missing or None is not allowed. */
export function intArg(name: string, v: unknown, dflt?: number): number {
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (v instanceof PyFloat) typeError(`'float' object cannot be interpreted as an integer`);
  if (v === undefined) typeError(`missing required argument '${name}'`);
  return typeError(`'${pyType(v)}' object cannot be interpreted as an integer`);
}

export function numArg(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Number) return v.valueOf();
  return typeError(`unsupported type for timedelta component: ${pyType(v)}`);
}

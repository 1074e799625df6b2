// Calling-convention helpers for the datetime module: binding a template call's positional and
// keyword arguments to Python parameter names, and coercing int/number arguments.
import { PyFloat, renderError } from '../engine/values.js';
import { isKeywords } from './keywords.js';

/** Splits a template call's arguments into positional ones and the keyword object. */
export function splitArgs(args: unknown[]): [unknown[], Record<string, unknown>] {
  const last = args[args.length - 1];
  if (isKeywords(last)) {
    const { __keywords: _k, ...kw } = last;
    return [args.slice(0, -1), kw];
  }
  return [args, {}];
}

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

export function pyType(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'list';
  const name = (v as { constructor?: { name?: string } }).constructor?.name;
  return name && name !== 'Object' ? name : 'dict';
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

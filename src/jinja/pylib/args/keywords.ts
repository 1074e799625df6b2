// Keyword arguments from templates: nunjucks passes `f(a, k=1)` as `f(a, {k: 1, __keywords: true})`.

export function isKeywords(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && (value as { __keywords?: unknown }).__keywords === true;
}

/** Removes the `__keywords` marker, returning a plain object. */
export function stripKeywords<T extends object>(value: T): T {
  if (isKeywords(value)) {
    const { __keywords: _ignored, ...rest } = value as Record<string, unknown>;
    return rest as T;
  }
  return value;
}

/** Splits a template call's arguments into the positional ones and the keyword object. */
export function splitArgs(args: unknown[]): [unknown[], Record<string, unknown>] {
  const last = args[args.length - 1];
  return isKeywords(last) ? [args.slice(0, -1), stripKeywords(last)] : [args, {}];
}

/**
 * A template call's arguments by parameter name, Python-style: positional ones first, then
 * keywords (`f(a, b=2)` with names ['a', 'b'] gives {a, b: 2}).
 */
export function callArgs(values: unknown[], names: readonly string[]): Record<string, unknown> {
  const [positional, keywords] = splitArgs(values);
  const out: Record<string, unknown> = {};
  names.forEach((name, i) => {
    out[name] = i < positional.length ? positional[i] : keywords[name];
  });
  return out;
}

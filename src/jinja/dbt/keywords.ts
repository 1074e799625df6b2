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

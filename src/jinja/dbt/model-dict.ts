// `model` as a render sees it. dbt's is `node.to_dict()`, a new dict for each render's context
// (providers.py ctx_model), so a template may change it (Elementary's test materialization runs
// `meta_dict.update(...)` on `model`'s meta) and the change stays in that render. tsdbt's node
// shares its config, meta and tags with every node of the same config, frozen
// (graph/shared-configs.ts): the render gets a shallow copy of the node whose frozen parts are
// copied, deep, so they change freely; the node and the others sharing its config never do.

/** A render's `model`: `node`'s own members, its frozen dicts and lists copied. */
export function renderModel(node: object): Record<string, unknown> {
  const model: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) model[key] = Object.isFrozen(value) ? thaw(value) : value;
  // Members kept out of artifacts (model-batch.ts' `batch`) stay non-enumerable on the copy too.
  for (const key of Object.getOwnPropertyNames(node)) {
    const member = Object.getOwnPropertyDescriptor(node, key);
    if (member && !member.enumerable) Object.defineProperty(model, key, member);
  }
  return model;
}

/** A deep copy of the plain dicts and lists in `value`; anything else (tuples, relations) as is. */
function thaw(value: unknown): unknown {
  if (Array.isArray(value)) return Object.getOwnPropertySymbols(value).length > 0 ? value : value.map(thaw);
  if (value === null || typeof value !== 'object') return value;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) copy[key] = thaw(child);
  return copy;
}

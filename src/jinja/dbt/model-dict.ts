// `model` as a render sees it. dbt's is `node.to_dict()`, a new dict for each render's context
// (providers.py ctx_model), so a template may change it (Elementary's test materialization runs
// `meta_dict.update(...)` on `model`'s meta) and the change stays in that render. tsdbt's node
// shares its config, meta and tags with every node of the same config, frozen
// (graph/shared-configs.ts): the render gets a shallow copy of the node whose frozen parts are
// copied, deep, so they change freely; the node and the others sharing its config never do.
import type { ManifestNode } from '../../manifest/types.js';
import { contractChecksum } from '../../manifest/contract-checksum.js';

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

/**
 * A render's `model` with the members of dbt's `node.to_dict(omit_none=True)` that tsdbt's node
 * holds only in its artifacts (manifest.json's shape, artifacts/resource-json.ts): a compiled
 * node's `extra_ctes_injected` (True once compiled: compilation.py's _recursively_prepend_ctes),
 * `contract`, `doc_blocks`, `metrics`, `functions`, `created_at`, and a model's `access` and
 * `constraints`; none whose value is None. dbt's ctx_model (providers.py) also keeps
 * `compiled_sql`, the compiled code.
 */
export function dbtModelDict(node: ManifestNode): Record<string, unknown> {
  const model = renderModel(node);
  const pending = node.compiled === true ? undefined : PENDING.get(node);
  if (pending) Object.assign(model, { compiled: true, compiled_code: pending.compiled_code, extra_ctes_injected: true, extra_ctes: thaw(pending.extra_ctes) });
  const missing = (key: string, value: () => unknown) => {
    if (!(key in model)) model[key] = value();
  };
  if (node.resource_type !== 'seed') {
    if (model.compiled === true) missing('extra_ctes_injected', () => true);
    missing('contract', () => contractDict(node));
    missing('doc_blocks', () => []);
    missing('metrics', () => []);
    missing('functions', () => []);
  }
  missing('created_at', () => 0);
  if (node.resource_type === 'model') {
    missing('access', () => (typeof node.config.access === 'string' ? node.config.access : 'protected'));
    missing('constraints', () => (node.constraints ?? []).map((c) => withoutNone({ columns: [], warn_unenforced: true, warn_unsupported: true, to_columns: [], ...c })));
  }
  if (typeof model.compiled_code === 'string') model.compiled_sql = model.compiled_code;
  return model;
}

/** dbt's Contract as to_dict(omit_none=True) gives it: `checksum` only when the contract is enforced. */
function contractDict(node: ManifestNode): Record<string, unknown> {
  const config = (node.config.contract ?? {}) as { enforced?: unknown; alias_types?: unknown };
  return withoutNone({ enforced: config.enforced === true, alias_types: config.alias_types !== false, checksum: contractChecksum(node) });
}

function withoutNone(dict: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(dict)) if (value !== null && value !== undefined) out[key] = thaw(value);
  return out;
}

/** A node's compiled fields while its render made ahead of its turn runs before being recorded on it. */
interface PendingCompile {
  compiled_code: string;
  extra_ctes: readonly { id: string; sql: string }[];
}

const PENDING = new WeakMap<object, PendingCompile>();

/**
 * A node run ahead of its turn (execution/node-executor.ts) has its compiled SQL, recorded on the
 * node in its turn only; its materialization's `model` is dbt's compiled node all the same.
 */
export function setPendingCompile(node: object, pending: PendingCompile | null): void {
  if (pending) PENDING.set(node, pending);
  else PENDING.delete(node);
}


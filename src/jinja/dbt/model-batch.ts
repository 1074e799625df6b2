// dbt's `model.batch` (dbt 1.9+): a ModelNode's BatchContext (`id`, `event_time_start`,
// `event_time_end`) while one microbatch batch compiles and runs, None otherwise. dbt keeps it out
// of manifest.json; here it is a non-enumerable member of the node, so no artifact writes it.

export interface BatchContext {
  id: string;
  event_time_start: unknown;
  event_time_end: unknown;
}

/** Sets (or, with null, clears) the batch a model node is running. */
export function setModelBatch(node: object, batch: BatchContext | null): void {
  Object.defineProperty(node, 'batch', { value: batch, writable: true, configurable: true, enumerable: false });
}

/** Gives a model node dbt's `batch: None` when it has none, so `model.batch is none` holds outside a batch. */
export function ensureModelBatch(node: { resource_type: string }): void {
  if (node.resource_type === 'model' && !('batch' in node)) setModelBatch(node, null);
}

import { describe, expect, it } from 'vitest';
import { setModelBatch } from './model-batch.js';
import { renderModel } from './model-dict.js';

describe('renderModel (a render\'s `model`)', () => {
  it('copies frozen dicts so a render may change them, leaving the node unchanged', () => {
    const meta = Object.freeze({ owner: 'ann' });
    const node = { name: 'a', meta };
    const model = renderModel(node) as { meta: Record<string, unknown> };
    model.meta.seen = 'a';
    expect(model.meta).toEqual({ owner: 'ann', seen: 'a' });
    expect(node.meta).toEqual({ owner: 'ann' });
  });

  it("keeps a microbatch model's `batch` (dbt's model.batch), still out of its enumerable members", () => {
    const node = { name: 'events', resource_type: 'model' };
    setModelBatch(node, { id: '20250101', event_time_start: '2025-01-01', event_time_end: '2025-01-02' });
    const model = renderModel(node);
    expect((model as { batch?: { id: string } }).batch?.id).toBe('20250101');
    expect(Object.keys(model)).toEqual(['name', 'resource_type']);
  });
});

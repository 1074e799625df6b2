import { describe, expect, it } from 'vitest';
import type { Manifest, ManifestNode } from '../manifest/types.js';
import { modelDeprecationWarnings } from './model-deprecations.js';

// dbt's DeprecatedModel / DeprecatedReference / UpcomingReferenceDeprecation carry their fields in
// the JSON log's `data` (model_name, ref_model_name, ...), what an event callback reads.
function model(name: string, extra: Partial<ManifestNode> = {}): ManifestNode {
  return {
    unique_id: `model.test.${name}`, name, resource_type: 'model', package_name: 'test',
    original_file_path: `models/${name}.sql`, raw_code: `select 1`, line: 1, ...extra,
  } as unknown as ManifestNode;
}

function manifest(nodes: ManifestNode[], childMap: Record<string, string[]>): Manifest {
  return { nodes: Object.fromEntries(nodes.map((n) => [n.unique_id, n])), child_map: childMap } as unknown as Manifest;
}

describe('model deprecation warnings', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const child = model('my_dependant_model', { raw_code: "select * from {{ ref('my_model') }}" });

  it('gives a past-date model and its referrer dbt\'s event fields', () => {
    const m = manifest([model('my_model', { deprecation_date: '2020-01-01' }), child], { 'model.test.my_model': ['model.test.my_dependant_model'] });
    const [deprecated, reference] = modelDeprecationWarnings(m, now);
    expect(deprecated?.event).toBe('DeprecatedModel');
    expect(deprecated?.data).toEqual({ model_name: 'my_model', model_version: '', deprecation_date: '2020-01-01' });
    expect(reference?.event).toBe('DeprecatedReference');
    expect(reference?.data).toEqual({
      model_name: 'my_dependant_model', ref_model_package: 'test', ref_model_name: 'my_model',
      ref_model_version: '', ref_model_latest_version: '', ref_model_deprecation_date: '2020-01-01',
    });
  });

  it('names the versions of an upcoming deprecation', () => {
    const m = manifest([model('my_model', { deprecation_date: '2999-01-01', version: 1, latest_version: 2 }), child], { 'model.test.my_model': ['model.test.my_dependant_model'] });
    const [upcoming] = modelDeprecationWarnings(m, now);
    expect(upcoming?.event).toBe('UpcomingReferenceDeprecation');
    expect(upcoming?.data).toMatchObject({ model_name: 'my_dependant_model', ref_model_name: 'my_model', ref_model_version: '1', ref_model_latest_version: '2' });
  });
});

import { describe, expect, it } from 'vitest';
import { assertValidSnapshotTarget, hardDeletesBehavior, snapshotMembers } from './snapshot-members.js';

const cols = (...names: string[]) => names.map((name) => ({ name }));

describe("dbt-adapters' snapshot adapter methods", () => {
  it('get_hard_deletes_behavior reads hard_deletes and the legacy invalidate_hard_deletes', () => {
    expect(hardDeletesBehavior({})).toBe('ignore');
    expect(hardDeletesBehavior({ hard_deletes: 'ignore' })).toBe('ignore');
    expect(hardDeletesBehavior({ hard_deletes: 'invalidate' })).toBe('invalidate');
    expect(hardDeletesBehavior({ invalidate_hard_deletes: true })).toBe('invalidate');
    expect(hardDeletesBehavior({ invalidate_hard_deletes: false })).toBe('ignore');
    expect(hardDeletesBehavior({ get: (k: string) => (k === 'hard_deletes' ? 'new_record' : null) })).toBe('new_record');
    expect(() => hardDeletesBehavior({ hard_deletes: 'ignore', invalidate_hard_deletes: true })).toThrow('You cannot set both the invalidate_hard_deletes and hard_deletes config properties on the same snapshot.');
    expect(() => hardDeletesBehavior({ hard_deletes: 'drop' })).toThrow('Invalid setting for property hard_deletes.');
  });

  it("assert_valid_snapshot_target_given_strategy names the missing meta columns, as dbt's SnapshotTargetNotSnapshotTableError", () => {
    const names = { dbt_valid_to: 'dbt_valid_to', dbt_valid_from: 'dbt_valid_from', dbt_scd_id: 'dbt_scd_id', dbt_updated_at: 'dbt_updated_at', dbt_is_deleted: 'dbt_is_deleted' };
    expect(() => assertValidSnapshotTarget(cols('id', 'DBT_SCD_ID', 'dbt_valid_from', 'dbt_valid_to'), names, { hard_deletes: 'ignore' })).not.toThrow();
    expect(() => assertValidSnapshotTarget(cols('id', 'dbt_valid_to'), names, {})).toThrow(
      'Snapshot target is missing configured columns (missing "dbt_scd_id", "dbt_valid_from"). See https://docs.getdbt.com/docs/build/snapshots#snapshot-meta-fields for more information.',
    );
    expect(() => assertValidSnapshotTarget(cols('id', 'dbt_scd_id', 'dbt_valid_from', 'dbt_valid_to'), names, { hard_deletes: 'new_record' })).toThrow('(missing "dbt_is_deleted")');
    expect(() => assertValidSnapshotTarget(cols('scd', 'from', 'to'), { ...names, dbt_scd_id: 'scd', dbt_valid_from: 'from', dbt_valid_to: 'to' }, {})).not.toThrow();
  });

  it('both answer None while parsing', () => {
    const members = snapshotMembers({ parse: true, columnsIn: () => [] });
    expect((members.get_hard_deletes_behavior as (c: unknown) => unknown)({ hard_deletes: 'drop' })).toBeNull();
    expect((members.assert_valid_snapshot_target_given_strategy as (...a: unknown[]) => unknown)(null, {}, {})).toBeNull();
  });
});

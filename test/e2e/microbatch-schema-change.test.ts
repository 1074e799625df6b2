// A microbatch model's batches apply on_schema_change as dbt's incremental materialization does for
// every strategy (process_schema_changes before each batch's insert): `append_new_columns` adds the
// batch's new column, `ignore` writes the table's columns and leaves the new one out, `fail` fails
// the batch. Before, each batch inserted the batch's own columns, so a new column failed the batch
// whatever the config said. On PGlite with a fixed clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const model = (onSchemaChange: string) => `{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='event_ts',
            begin='2024-01-01', batch_size='day', lookback=1, on_schema_change='${onSchemaChange}') }}
select event_id, event_ts{% if var('extra', false) %}, 'x'::text as extra{% endif %}
from {{ source('raw', 'events') }}
`;

describe('microbatch applies on_schema_change to each batch', () => {
  let p: WarehouseProject;
  let second: RunOutcome;
  const now = () => new Date('2024-01-03T12:00:00Z');
  beforeAll(async () => {
    p = warehouseProject('pglite', {
      'models/appended.sql': model('append_new_columns'),
      'models/ignored.sql': model('ignore'),
      'models/strict.sql': model('fail'),
    });
    p.write('models/sources.yml', `version: 2\nsources:\n  - name: raw\n    schema: ${p.schema}_raw\n    tables:\n      - name: events\n        config: {event_time: event_ts}\n`);
    await p.sql(`create schema "${p.schema}_raw"`);
    await p.sql(`create table "${p.schema}_raw".events as select g as event_id, timestamp '2024-01-01 06:00' + g * interval '12 hours' as event_ts from generate_series(0, 4) g`);
    const first = await p.run('run', { now });
    expect(first.code, first.output).toBe(0);
    second = await p.run('run', { now, vars: '{extra: true}' });
  }, 300_000);
  afterAll(() => p.cleanup());

  const status = (name: string) => second.results.find((r) => r.unique_id === `model.demo.${name}`)?.status;

  it('append_new_columns: the column is added and the redone batches fill it', async () => {
    expect(status('appended'), second.output).toBe('success');
    expect(await p.sql(`select event_id, extra from "${p.schema}".appended order by event_id`)).toEqual([
      { event_id: 0, extra: null },
      { event_id: 1, extra: null },
      { event_id: 2, extra: 'x' },
      { event_id: 3, extra: 'x' },
      { event_id: 4, extra: 'x' },
    ]);
  });

  it("ignore: the batches write the table's columns, without the new one", async () => {
    expect(status('ignored'), second.output).toBe('success');
    expect(await p.sql(`select column_name from information_schema.columns where table_schema = '${p.schema}' and table_name = 'ignored' order by ordinal_position`)).toEqual([
      { column_name: 'event_id' },
      { column_name: 'event_ts' },
    ]);
    expect(await p.sql(`select count(*)::int as n from "${p.schema}".ignored`)).toEqual([{ n: 5 }]);
  });

  it('fail: the batches fail, naming the new column', () => {
    expect(status('strict')).toBe('error');
    expect(second.output).toMatch(/new columns: extra/);
  });
});

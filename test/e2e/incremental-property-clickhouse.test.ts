// The incremental property on ClickHouse (chDB): random batches with duplicates, late and
// out-of-order events, an incremental run after each, and the tables must end equal, row for row,
// to a --full-refresh build. Portable models (row_number instead of DISTINCT ON); `merge` runs as
// delete+insert on ClickHouse, and append keeps every delivery.
import { afterAll, describe, expect, it } from 'vitest';
import { eventBatches, type Event } from '../support/event-stream.js';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const LATEST = `select event_id, user_id, event_ts, amount, batch_no from (
    select *, row_number() over (partition by event_id order by batch_no desc) as delivery_rank
    from {{ source('raw', 'events') }}
    {% if is_incremental() %}
    where batch_no > (select max(batch_no) from {{ this }})
    {% endif %}
) as deliveries
where delivery_rank = 1`;

const MODELS = {
  'models/inc_events.sql': `{{ config(materialized='incremental', unique_key='event_id', incremental_strategy=var('strategy'), order_by='event_id') }}\n${LATEST}\n`,
  'models/user_totals.sql': `{{ config(materialized='incremental', unique_key='user_id', incremental_strategy=var('strategy'), order_by='user_id') }}
with events as (
    select * from (
        select event_id, user_id, amount, event_ts, row_number() over (partition by event_id order by batch_no desc) as delivery_rank
        from {{ source('raw', 'events') }}
    ) as d
    where delivery_rank = 1
)
select user_id, count(*) as events, sum(amount) as amount, min(event_ts) as first_ts, max(event_ts) as last_ts
from events
{% if is_incremental() %}
where user_id in (select user_id from {{ source('raw', 'events') }} where batch_no >= (select max(batch_no) from {{ ref('inc_events') }}))
{% endif %}
group by user_id
`,
  'models/deliveries.sql': `{{ config(materialized='incremental', order_by='event_id') }}
select event_id, batch_no from {{ source('raw', 'events') }}
{% if is_incremental() %}
where batch_no > (select max(batch_no) from {{ this }})
{% endif %}
`,
};

const SEEDS = [1, 2, 3];

describe('incremental == full refresh on chDB', () => {
  const projects: WarehouseProject[] = [];
  afterAll(async () => {
    for (const p of projects) await p.cleanup();
  });

  it.each(['merge', 'delete+insert'] as const)('strategy %s over random batches', async (strategy) => {
    for (const seed of SEEDS) {
      const p = warehouseProject('chdb', MODELS);
      projects.push(p);
      p.write('models/sources.yml', `version: 2\nsources:\n  - name: raw\n    schema: ${p.schema}_raw\n    tables:\n      - name: events\n`);
      await p.sql(`create database ${p.schema}_raw`);
      await p.sql(`create table ${p.schema}_raw.events (event_id String, user_id String, event_ts DateTime, amount Int32, batch_no Int32) engine = MergeTree order by event_id`);
      const run = async (fullRefresh = false) => {
        const outcome = await p.run('run', { vars: `{strategy: "${strategy}"}`, fullRefresh });
        expect(outcome.code, outcome.output).toBe(0);
        return outcome.output;
      };
      const batches = eventBatches(seed);
      for (const [i, batch] of batches.entries()) {
        const values = batch.map((r: Event & { batch_no: number }) => `('${r.event_id}', '${r.user_id}', '${r.event_ts}', ${r.amount}, ${r.batch_no})`).join(', ');
        if (values) await p.sql(`insert into ${p.schema}_raw.events values ${values}`);
        const output = await run();
        // Later runs take the incremental path: an insert of the new rows, not a rebuild.
        expect(output).toMatch(i === 0 ? /inc_events .*\[CREATE/ : /inc_events .*\[INSERT \d+/);
      }
      const read = async () => ({
        inc_events: await p.sql(`select event_id, user_id, toString(event_ts) as ts, amount from \`${p.schema}\`.inc_events order by event_id`),
        user_totals: await p.sql(`select user_id, toInt64(events) as events, toInt64(amount) as amount, toString(first_ts) as f, toString(last_ts) as l from \`${p.schema}\`.user_totals order by user_id`),
        deliveries: await p.sql(`select event_id, batch_no from \`${p.schema}\`.deliveries order by event_id, batch_no`),
      });
      const incremental = await read();
      await run(true);
      const full = await read();
      expect(incremental.inc_events.length).toBe(new Set(batches.flat().map((e) => e.event_id)).size);
      expect(incremental.deliveries.length).toBe(batches.flat().length);
      expect(incremental, `seed ${seed}`).toEqual(full);
    }
  }, 300_000);
});

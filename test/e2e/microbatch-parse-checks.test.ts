// dbt's incremental microbatch page: a microbatch model must set `event_time`, `begin` and
// `batch_size` (hour, day, month or year), and dbt refuses a model that does not when it parses the
// project, before anything runs. `tsdbt parse` does the same (exit 2, naming the model and file).
import { describe, expect, it } from 'vitest';
import { parseFiles } from '../support/parse-files.js';

const EVENTS = "{{ config(materialized='table', event_time='ts') }}\nselect 1 as id, timestamp '2024-01-01' as ts\n";

async function parse(config: string, events = EVENTS) {
  return parseFiles({
    'models/events.sql': events,
    'models/sessions.sql': `{{ config(materialized='incremental', incremental_strategy='microbatch'${config}) }}\nselect * from {{ ref('events') }}\n`,
  });
}

describe('microbatch config checked at parse', () => {
  it('accepts a model with event_time, begin and batch_size', async () => {
    const ok = await parse(", event_time='ts', begin='2024-01-01', batch_size='day'");
    expect(ok.code, ok.out).toBe(0);
  });

  it.each([
    [", begin='2024-01-01', batch_size='day'", "Microbatch model 'sessions' must provide an 'event_time' (string) config"],
    [", event_time=3, begin='2024-01-01', batch_size='day'", "must provide an 'event_time' config of type string, but got: <class 'int'>"],
    [", event_time='ts', batch_size='day'", "Microbatch model 'sessions' must provide a 'begin' (datetime) config"],
    [", event_time='ts', begin='first of January', batch_size='day'", "must provide a 'begin' config of valid datetime (ISO format), but got: first of January."],
    [", event_time='ts', begin=2024, batch_size='day'", "must provide a 'begin' config of type datetime, but got: <class 'int'>"],
    [", event_time='ts', begin='2024-01-01'", "must provide a 'batch_size' config that is one of"],
    [", event_time='ts', begin='2024-01-01', batch_size='fortnight'", 'but got: fortnight.'],
    [", event_time='ts', begin='2024-01-01', batch_size='day', lookback='2'", "must provide the optional 'lookback' config as type int, but got: <class 'str'>"],
  ])('refuses config%s at parse', async (config, message) => {
    const bad = await parse(config);
    expect(bad.code, bad.out).toBe(2);
    expect(bad.out).toContain(message);
    expect(bad.out).toContain('models/sessions.sql');
  });

  it("takes a property file's unquoted `begin: 2024-01-01 00:00:00` and `begin: 2024-01-01` (dbt's renderer writes a YAML date as its isoformat text; dbt-core's TestValidBeginMicrobatch), and refuses `begin: 2024-01-01 11 PM`", async () => {
    const files = (begin: string) => ({
      'models/sessions.sql': "{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ts', batch_size='day') }}\nselect 1 as id, timestamp '2024-01-01' as ts\n",
      'models/props.yml': `models:\n  - name: sessions\n    config:\n      begin: ${begin}\n`,
    });
    const ok = await parseFiles(files('2024-01-01 00:00:00'));
    expect(ok.code, ok.out).toBe(0);
    const day = await parseFiles(files('2024-01-01'));
    expect(day.code, day.out).toBe(0);
    const bad = await parseFiles(files('2024-01-01 11 PM'));
    expect(bad.code, bad.out).toBe(2);
    expect(bad.out).toContain("Microbatch model 'sessions' must provide a 'begin' config of valid datetime (ISO format), but got: 2024-01-01 11 PM.");
  });

  it("refuses an input whose event_time is not a string", async () => {
    const bad = await parse(", event_time='ts', begin='2024-01-01', batch_size='day'", EVENTS.replace("event_time='ts'", 'event_time=1'));
    expect(bad.code, bad.out).toBe(2);
    expect(bad.out).toContain("Microbatch model 'sessions' depends on an input node 'events' with an 'event_time' config of invalid (non-string) type: <class 'int'>.");
  });
});

// dbt's sample mode (`--sample`, "About the --sample flag"): run and build read refs and sources
// that declare an `event_time` only within the window, so a development build is small. Seeds load
// whole and are sampled where models read them; tests are not sampled (they check what was built);
// an input without event_time is read whole. Two sampled inputs in one query get two aliases
// (`_dbt_et_filter_subq_<name>`, as dbt-adapters writes them), and a model's own alias stands.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtOnce } from '../support/warehouse-project.js';

const FILES: Record<string, string> = {
  'seeds/events.csv': 'event_id,user_id,occurred_at\n1,1,2024-01-01 10:00:00\n2,1,2024-01-02 09:00:00\n3,2,2024-01-02 23:00:00\n4,2,2024-01-04 08:00:00\n',
  'seeds/signups.csv': 'user_id,signed_up_at\n1,2024-01-02 01:00:00\n2,2023-12-30 00:00:00\n',
  'seeds/countries.csv': 'user_id,country\n1,fr\n2,de\n',
  'seeds/_seeds.yml': [
    'version: 2',
    'seeds:',
    '  - name: events',
    '    config: {event_time: occurred_at}',
    '  - name: signups',
    '    config: {event_time: signed_up_at}',
    '',
  ].join('\n'),
  'models/sampled_events.sql': "{{ config(materialized='table') }}\nselect event_id from {{ ref('events') }}\n",
  'models/event_users.sql':
    "{{ config(materialized='table') }}\nselect event_id, country from {{ ref('events') }} join {{ ref('signups') }} using (user_id) join {{ ref('countries') }} as c using (user_id)\n",
  'models/sampling.sql': "{{ config(materialized='table') }}\nselect '{{ flags.SAMPLE }}' as flag, '{{ invocation_args_dict.sample }}' as arg, '{{ flags.SAMPLE.start.isoformat() if flags.SAMPLE else \"\" }}' as start_at\n",
  'models/aliased.sql': "{{ config(materialized='table') }}\nselect e.event_id from {{ ref('events') }} as e\n",
  'tests/all_events_seen.sql': "select n from (select count(*) as n from {{ ref('events') }}) c where n <> 4\n",
};

describe.each(['pglite', 'server'] as const)('--sample on %s', (kind) => {
  const built = builtOnce(kind, FILES);
  let sampled: Awaited<ReturnType<typeof built.project.run>>;
  beforeAll(async () => {
    sampled = await built.project.run('build', { sample: "{'start': '2024-01-02', 'end': '2024-01-03'}" });
  }, 300_000);
  afterAll(() => undefined);

  it('builds the models from the window only; the seeds load whole and the test sees every row', async () => {
    expect(built.out.code, built.out.output).toBe(0);
    expect(sampled.code, sampled.output).toBe(0);
    const { schema } = built.project;
    const sql = (statement: string) => built.project.sql(statement);
    expect(await sql(`select count(*)::int as n from "${schema}".events`)).toEqual([{ n: 4 }]);
    expect(await sql(`select event_id from "${schema}".sampled_events order by 1`)).toEqual([{ event_id: 2 }, { event_id: 3 }]);
    expect(await sql(`select event_id from "${schema}".aliased order by 1`)).toEqual([{ event_id: 2 }, { event_id: 3 }]);
    // signups is sampled too (user 2 signed up before the window); countries has no event_time: read whole.
    expect(await sql(`select event_id, country from "${schema}".event_users order by 1`)).toEqual([{ event_id: 2, country: 'fr' }]);
    expect(sampled.results.find((r) => r.unique_id === 'test.demo.all_events_seen')?.status).toBe('pass');
    // Templates see dbt's SampleWindow as flags.SAMPLE and invocation_args_dict.sample: its start and
    // end (pytz-UTC datetimes), and the attrs dataclass's text.
    const window = 'SampleWindow(start=datetime.datetime(2024, 1, 2, 0, 0, tzinfo=<UTC>), end=datetime.datetime(2024, 1, 3, 0, 0, tzinfo=<UTC>))';
    expect(await sql(`select flag, arg, start_at from "${schema}".sampling`)).toEqual([{ flag: window, arg: window, start_at: '2024-01-02T00:00:00+00:00' }]);
    expect(sampled.output).toContain('Sample mode: inputs with an event_time are read from 2024-01-02T00:00:00.000Z to 2024-01-03T00:00:00.000Z');
  });

  it('a window that is not one stops the build before anything runs (exit 2)', async () => {
    const bad = await built.project.run('run', { sample: '3 fortnights' }).catch((err: Error) => ({ code: 2, output: err.message, results: [] }));
    expect(bad.code).toBe(2);
    expect(bad.output).toContain("'fortnights' is not a grain");
  });
});

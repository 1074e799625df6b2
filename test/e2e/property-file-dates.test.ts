// dbt reads property files and dbt_project.yml with PyYAML's SafeLoader: a plain `2024-01-31` is a
// datetime.date and `2024-01-31 10:00:00` a datetime, quoted they stay text. dbt then renders each
// entry (BaseRenderer.render_value) and a date or datetime becomes its isoformat() text, except
// where dbt renders nothing: a data test's arguments (the test macro gets the date), dbt_project.yml's
// vars and hooks. So templates see `config.get('meta')['start']` as '2024-01-31', manifest.json
// writes the text, a test's name and unique_id use the argument's str(), as dbt's do, and an
// unquoted date in a unit test's dict rows is the date's text, as in dbt's fixture.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

describe('dates in property files and dbt_project.yml configs', () => {
  const dir = testdir({
    'dbt_project.yml': `${MINIMAL_PROJECT_YML}models:\n  demo:\n    +meta:\n      proj_date: 2024-02-01\n`,
    'models/a.sql':
      "{% set m = config.get('meta') %}select {{ m['start'][:4] }} as y, '{{ modules.datetime.date.fromisoformat(m['start']) + modules.datetime.timedelta(days=1) }}' as next_day, " +
      "'{{ model.meta['ts'] }}' as ts, '{{ m['start'] is string and m['quoted'] is string and m['proj_date'] is string }}' as dates_are_text, '{{ m['proj_date'] }}' as pm\n",
    'models/props.yml': [
      'models:',
      '  - name: a',
      '    config:',
      '      meta:',
      '        start: 2024-01-31',
      '        ts: 2024-01-31 10:00:00',
      '        tz: 2024-01-31T10:00:00Z',
      '        quoted: "2024-01-31"',
      '    columns:',
      '      - name: y',
      '        data_tests:',
      '          - after:',
      '              arguments:',
      '                day: 2024-01-01 00:00:00',
      '',
    ].join('\n'),
    'macros/after.sql': '{% test after(model, column_name, day) %}select * from {{ model }} where {{ column_name }} < {{ day.year }}{% endtest %}\n',
  });
  afterAll(() => removeDir(dir));
  const compiled = () => readFileSync(path.join(dir, 'target/compiled/demo/models/a.sql'), 'utf8');
  const expected = "select 2024 as y, '2024-02-01' as next_day, '2024-01-31T10:00:00' as ts, 'True' as dates_are_text, '2024-02-01' as pm";

  it('gives templates the dates\' isoformat text, also from the cached parse', async () => {
    for (let run = 0; run < 2; run++) {
      const result = await runTsdbt(['compile', '--project-dir', dir]);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(compiled()).toBe(expected);
    }
  });

  it("writes them to manifest.json as dbt's JSON encoder does, and names the test by their str()", async () => {
    const result = await runTsdbt(['parse', '--no-partial-parse', '--project-dir', dir]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, { meta?: unknown; config: { meta: unknown }; test_metadata?: { kwargs: Record<string, unknown> } }> };
    const meta = { proj_date: '2024-02-01', start: '2024-01-31', ts: '2024-01-31T10:00:00', tz: '2024-01-31T10:00:00+00:00', quoted: '2024-01-31' };
    expect(manifest.nodes['model.demo.a']?.config.meta).toEqual(meta);
    expect(manifest.nodes['model.demo.a']?.meta).toEqual(meta);
    const tests = Object.entries(manifest.nodes).filter(([id]) => id.startsWith('test.'));
    // dbt 1.11 (md5 of the name and the repr of test_metadata, each argument str()): python3 gives b14317591f
    expect(tests.map(([id]) => id)).toEqual(['test.demo.after_a_y__2024_01_01_00_00_00.b14317591f']);
    expect(tests[0]?.[1].test_metadata?.kwargs.day).toBe('2024-01-01T00:00:00');
  });

  it("takes an unquoted date in a unit test's dict rows as its text, as dbt renders it", async () => {
    writeFileSync(path.join(dir, 'models/unit.yml'), 'unit_tests:\n  - name: ut\n    model: a\n    given: []\n    expect:\n      rows:\n        - {next_day: 2024-02-01, y: 2024}\n');
    const result = await runTsdbt(['build', '--select', 'ut', '--project-dir', dir]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/PASS a::ut/);
  });
});

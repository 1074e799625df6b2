// dbt reads dbt_project.yml with PyYAML's SafeLoader, so `vars: {start_date: 2020-01-01}` gives
// var('start_date') as a datetime.date: date arithmetic works, `is string` is false, it prints as
// 2020-01-01 (a quoted value stays text). The same after a parse reused from partial_parse.bin, and a
// node config holding such a date (native rendering of "{{ var('start_date') }}") is written to
// manifest.json as "2020-01-01", as dbt's JSON encoder writes a date (isoformat), and comes back from
// partial_parse.bin as a date.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

describe('dates in dbt_project.yml vars', () => {
  const dir = testdir({
    'dbt_project.yml': `${MINIMAL_PROJECT_YML}vars:\n  start_date: 2020-01-01\n  quoted: "2020-01-01"\n  at: 2020-01-31 23:30:00\n`,
    'models/a.sql':
      "select '{{ var('start_date') + modules.datetime.timedelta(days=1) }}' as next_day, '{{ var('start_date') }}' as day, " +
      "'{{ var('start_date') is string }}' as day_is_text, '{{ var('quoted') is string }}' as quoted_is_text, '{{ (var('at') + modules.datetime.timedelta(hours=1)).isoformat() }}' as later\n",
  });
  afterAll(() => removeDir(dir));
  const compile = () => runTsdbt(['compile', '--debug', '--project-dir', dir]);
  const compiled = () => readFileSync(path.join(dir, 'target/compiled/demo/models/a.sql'), 'utf8');
  const expected = "select '2020-01-02' as next_day, '2020-01-01' as day, 'False' as day_is_text, 'True' as quoted_is_text, '2020-02-01T00:30:00' as later";

  it('gives var() a datetime.date, also from the cached parse', async () => {
    const first = await compile();
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(compiled()).toBe(expected);
    writeFileSync(path.join(dir, 'models/a.sql'), readFileSync(path.join(dir, 'models/a.sql'), 'utf8')); // touched: the cached parse is read
    const second = await compile();
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toMatch(/Reusing the previous parse|nothing changed since the last parse/);
    expect(compiled()).toBe(expected);
  });

  it('writes a date a config holds as dbt does, and gives it back as a date from the cached parse', async () => {
    writeFileSync(path.join(dir, 'models/b.sql'), "select '{% if execute %}{{ config.get('meta')['since'] + modules.datetime.timedelta(days=2) }}{% endif %}' as d\n");
    writeFileSync(path.join(dir, 'models/props.yml'), "models:\n  - name: a\n    config:\n      meta:\n        since: \"{{ var('start_date') }}\"\n  - name: b\n    config:\n      meta:\n        since: \"{{ var('start_date') }}\"\n");
    for (let run = 0; run < 2; run++) {
      const result = await compile();
      expect(result.code, result.stdout + result.stderr).toBe(0);
      if (run === 1) expect(result.stdout).toMatch(/Reusing the previous parse|nothing changed since the last parse/);
      const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, { config: { meta: unknown } }> };
      expect(manifest.nodes['model.demo.a']?.config.meta).toEqual({ since: '2020-01-01' });
      expect(readFileSync(path.join(dir, 'target/compiled/demo/models/b.sql'), 'utf8')).toBe("select '2020-01-03' as d");
    }
  });

  it('an edit inside Jinja tags that puts a date in a config is patched into the cached parse, the date kept', async () => {
    const model = path.join(dir, 'models/c.sql');
    rmSync(path.join(dir, 'models/props.yml'));
    rmSync(path.join(dir, 'models/b.sql'));
    writeFileSync(model, "select '{% if execute %}{{ config.get('meta', {}) }}{% endif %}' as d\n");
    const parse = await runTsdbt(['parse', '--project-dir', dir]);
    expect(parse.code, parse.stdout + parse.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'target/partial_parse.bin'))).toBe(true);
    writeFileSync(model, "{{ config(meta={'since': var('start_date')}) }}select '{% if execute %}{{ config.get('meta')['since'] + modules.datetime.timedelta(days=3) }}{% endif %}' as d\n");
    const edited = await runTsdbt(['parse', '--debug', '--project-dir', dir]);
    expect(edited.code, edited.stdout + edited.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'target/partial_parse.bin'))).toBe(true);
    const result = await compile();
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Reusing the previous parse|nothing changed since the last parse/);
    expect(readFileSync(path.join(dir, 'target/compiled/demo/models/c.sql'), 'utf8')).toBe("select '2020-01-04' as d");
  });
});

// A ClickHouse source that sets `database:` and leaves `schema` to default to its name reads the
// ClickHouse database `database` (dbt-clickhouse's ClickHouseRelation.create_from: ClickHouse has
// no schemas, so that is "presumably what's intended"). Checked on chDB through every path that
// names a source's table: `source()` in a model and in a source test, the manifest's
// `relation_name` and `source freshness`. A source whose schema is given keeps it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceFreshnessCommand } from '../../src/app/source-freshness.js';
import { testInvocation } from '../support/test-invocation.js';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

describe('ClickHouse sources with a database', () => {
  let p: WarehouseProject;
  let built: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject('chdb', {
      'models/all_leads.sql': "select lead_id, city from {{ source('backend', 'leads') }} union all select lead_id, city from {{ source('named', 'more') }}\n",
    });
    const raw = `${p.schema}_raw`;
    p.write(
      'models/sources.yml',
      `version: 2
sources:
  - name: backend
    database: ${raw}
    freshness: {warn_after: {count: 1, period: day}}
    loaded_at_field: loaded_at
    tables:
      - name: leads
        columns:
          - name: lead_id
            data_tests: [not_null, unique]
  - name: named
    database: elsewhere
    schema: ${raw}
    tables:
      - name: more
`,
    );
    await p.sql(`create database if not exists \`${raw}\``);
    await p.sql(`create table \`${raw}\`.leads (lead_id UInt32, city String, loaded_at DateTime) engine = MergeTree order by lead_id`);
    await p.sql(`insert into \`${raw}\`.leads values (1, 'Surprise', now()), (2, 'Bremerton', now())`);
    await p.sql(`create table \`${raw}\`.more (lead_id UInt32, city String) engine = MergeTree order by lead_id`);
    await p.sql(`insert into \`${raw}\`.more values (3, 'Tacoma')`);
    built = await p.run('build');
  }, 300_000);
  afterAll(() => p.cleanup());

  it('reads the database as the schema where the schema defaulted to the source name', async () => {
    expect(built.code, built.output).toBe(0);
    expect(Object.fromEntries(built.results.map((r) => [r.unique_id.split('.')[2], r.status]))).toMatchObject({
      all_leads: 'success',
      source_not_null_backend_leads_lead_id: 'pass',
      source_unique_backend_leads_lead_id: 'pass',
    });
    const rows = await p.sql(`select lead_id, city from \`${p.schema}\`.all_leads order by lead_id`);
    expect(rows).toEqual([
      { lead_id: 1, city: 'Surprise' },
      { lead_id: 2, city: 'Bremerton' },
      { lead_id: 3, city: 'Tacoma' },
    ]);
  });

  it("keeps the manifest's schema and gives relation_name the database read", () => {
    const manifest = JSON.parse(readFileSync(path.join(p.dir, 'target', 'manifest.json'), 'utf8')) as { sources: Record<string, { schema: string; database: string; relation_name: string }> };
    expect(manifest.sources['source.demo.backend.leads']).toMatchObject({ database: `${p.schema}_raw`, schema: 'backend', relation_name: `\`${p.schema}_raw\`.\`leads\`` });
    expect(manifest.sources['source.demo.named.more']).toMatchObject({ database: 'elsewhere', schema: `${p.schema}_raw`, relation_name: `\`${p.schema}_raw\`.\`more\`` });
  });

  it('checks freshness in that database', async () => {
    const { inv, lines } = testInvocation(p.dir, { select: ['source:backend'] });
    expect(await sourceFreshnessCommand(inv), lines.join('\n')).toBe(0);
    const file = path.join(p.dir, 'target', 'sources.json');
    expect(existsSync(file)).toBe(true);
    const results = (JSON.parse(readFileSync(file, 'utf8')) as { results: { unique_id: string; status: string }[] }).results;
    expect(results.map((r) => [r.unique_id, r.status])).toEqual([['source.demo.backend.leads', 'pass']]);
  });
});

// dbt-clickhouse's `clickhouse_s3source` macro and `adapter.s3source_clause` (its
// tests/integration/adapter/clickhouse/test_clickhouse_s3.py and impl.py): a model reads S3 files
// through ClickHouse's s3() function, its settings from the call's arguments, else from the S3
// configuration it names: the model's config of that name over the project var of that name.
// Compiled on chDB (the s3() call itself needs S3, which tests do not reach).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const FILES: Record<string, string> = {
  'dbt_project.yml': `name: demo
profile: demo
vars:
  taxi_s3:
    bucket: 'https://datasets.s3.eu-west-3.amazonaws.com/nyc-taxi/'
    fmt: TabSeparatedWithNames
    role_arn: 'arn:aws:iam::123456789012:role/my-role'
  keys_s3:
    bucket: 'https://bucket.example'
    fmt: CSV
    aws_access_key_id: KEYID
    aws_secret_access_key: SECRET
`,
  'models/schema.yml': `version: 2
models:
  - name: from_var_and_config
    config:
      taxi_s3:
        structure:
          - 'trip_id UInt32'
          - 'pickup_datetime DateTime'
`,
  'models/from_var_and_config.sql': "select * from {{ clickhouse_s3source('taxi_s3', path='/trips_5.gz', external_id='my-external-id') }} LIMIT 1000\n",
  'models/keys_compressed.sql': "select * from {{ clickhouse_s3source('keys_s3', path='data.csv', compression='gzip') }}\n",
  'models/arguments_only.sql': "{{ config(materialized='ephemeral') }}\nselect * from {{ clickhouse_s3source(bucket='b.example/', path='/x.parquet', fmt='Parquet', structure={'id': 'UInt64', 'name': 'String'}) }}\n",
  'models/uses_ephemeral.sql': "select * from {{ ref('arguments_only') }}\n",
};

describe("dbt-clickhouse's clickhouse_s3source", () => {
  let p: WarehouseProject;
  let out: RunOutcome;
  // The macro's own lines stay in the compiled SQL (dbt-clickhouse's macro trims no whitespace either).
  const compiled = (name: string) => readFileSync(path.join(p.dir, 'target', 'compiled', 'demo', 'models', `${name}.sql`), 'utf8').replace(/\s+/g, ' ').trim();
  beforeAll(async () => {
    p = warehouseProject('chdb', FILES);
    out = await p.run('compile');
  }, 300_000);
  afterAll(() => p.cleanup());

  it('takes the project var, the model config over it, and the arguments over both', () => {
    expect(out.code, out.output).toBe(0);
    expect(compiled('from_var_and_config')).toBe(
      "select * from s3('https://datasets.s3.eu-west-3.amazonaws.com/nyc-taxi/trips_5.gz', 'TabSeparatedWithNames', 'trip_id UInt32,pickup_datetime DateTime', extra_credentials(role_arn='arn:aws:iam::123456789012:role/my-role', external_id='my-external-id')) LIMIT 1000",
    );
  });

  it('puts the access key pair after the URL and an empty structure before a compression', () => {
    expect(compiled('keys_compressed')).toBe("select * from s3('https://bucket.example/data.csv', 'KEYID', 'SECRET', 'CSV', '', 'gzip')");
  });

  it('builds the call from arguments alone, a mapping structure as `name type` pairs', () => {
    expect(compiled('uses_ephemeral')).toContain("select * from s3('https://b.example/x.parquet', 'Parquet', 'id UInt64,name String')");
  });

  it("refuses a configuration name not ending in 's3' and an external id without a role, as dbt-clickhouse does", async () => {
    p.write('models/bad_name.sql', "select * from {{ clickhouse_s3source('taxi', path='/x') }}\n");
    await expect(p.run('compile', { select: ['bad_name'] })).rejects.toThrow("S3 configuration should end with 's3'");
    p.write('models/bad_name.sql', "select * from {{ clickhouse_s3source(bucket='b', path='/x', fmt='CSV', external_id='e') }}\n");
    await expect(p.run('compile', { select: ['bad_name'] })).rejects.toThrow('S3 external_id specified without role_arn');
  });
});

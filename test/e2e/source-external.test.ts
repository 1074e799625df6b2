// A source table's `external:` property (docs: "external" in source properties; read by
// dbt-external-tables' stage_external_sources through `graph.sources`), as dbt's ExternalTable
// holds it: in manifest.json and in the graph templates read, with its partitions and any
// package-specific key kept.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const FILES = {
  'dbt_project.yml': 'name: shop\nprofile: shop\n',
  'models/external_summary.sql': [
    '{% set names = [] %}',
    "{% for node in graph.sources.values() | selectattr('external') %}",
    "{% do names.append(node.name ~ '@' ~ node.external.location ~ '/' ~ node.external.partitions | map(attribute='name') | join('+') ~ '/' ~ node.external.auto_refresh) %}",
    '{% endfor %}',
    "select '{{ names | join(',') }}' as staged",
    '',
  ].join('\n'),
  'models/sources.yml': [
    'version: 2',
    'sources:',
    '  - name: lake',
    '    tables:',
    '      - name: events',
    '        external:',
    "          location: 's3://bucket/events/'",
    '          file_format: parquet',
    '          auto_refresh: true',
    '          partitions:',
    '            - {name: event_date, data_type: date, expression: "to_date(split_part(metadata$filename, \'/\', 3))"}',
    '      - name: plain',
    '',
  ].join('\n'),
};

describe("a source table's external property", () => {
  const dir = testdir(FILES);
  afterAll(() => removeDir(dir));
  const env = { HOME: dir, DBT_PROFILES_DIR: '' };

  it('is in manifest.json as dbt writes it and in the graph templates read', async () => {
    const result = await runTsdbt(['compile', '--project-dir', dir, '--select', 'external_summary'], { env });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const sources = (JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as { sources: Record<string, { external: unknown; quoting: unknown; patch_path: unknown }> }).sources;
    expect(sources['source.shop.lake.events']!.external).toEqual({
      location: 's3://bucket/events/',
      file_format: 'parquet',
      row_format: null,
      tbl_properties: null,
      auto_refresh: true,
      partitions: [{ name: 'event_date', description: '', data_type: 'date', meta: {}, expression: "to_date(split_part(metadata$filename, '/', 3))" }],
    });
    expect(sources['source.shop.lake.plain']).toMatchObject({ external: null, patch_path: null });
    const compiled = readFileSync(path.join(dir, 'target/compiled/shop/models/external_summary.sql'), 'utf8');
    expect(compiled).toContain("select 'events@s3://bucket/events//event_date/True' as staged");
  });
});

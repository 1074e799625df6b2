// Column-level lineage from `tsdbt docs generate`, in target/column_lineage.json (`column_lineage`)
// and on the model pages: the example marts trace back to the staging model's columns; `select *`
// over a join expands through the catalog; SQL the parser cannot read is reported, not guessed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvocation } from '../../src/app/invocation.js';
import { docsGenerateCommand } from '../../src/app/docs-command.js';
import { traceColumn, type ModelLineage } from '../../src/docs/column-lineage.js';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

async function generate(p: WarehouseProject): Promise<Record<string, ModelLineage>> {
  const built = await p.run('build');
  expect(built.code, built.output).toBe(0);
  const inv = createInvocation({ projectDir: p.dir, write: () => {}, env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: p.dir } });
  expect(await docsGenerateCommand(inv, { compile: true, emptyCatalog: false })).toBe(0);
  return (JSON.parse(readFileSync(path.join(p.dir, 'target', 'column_lineage.json'), 'utf8')) as { column_lineage: Record<string, ModelLineage> }).column_lineage;
}

describe('column lineage of the example project', () => {
  let p: WarehouseProject;
  let lineage: Record<string, ModelLineage>;
  beforeAll(async () => {
    p = warehouseProject('pglite', {}, { example: true });
    lineage = await generate(p);
  }, 300_000);
  afterAll(() => p.cleanup());

  it('traces mart_session_metrics.duration_seconds to exactly the event timestamp of stg_events', () => {
    const mart = lineage['model.session_analytics.mart_session_metrics'];
    expect(mart && 'columns' in mart ? mart.columns.duration_seconds : mart).toEqual([
      { node: 'model.session_analytics.int_sessions', column: 'session_end' },
      { node: 'model.session_analytics.int_sessions', column: 'session_start' },
    ]);
    expect(traceColumn(lineage, 'model.session_analytics.mart_session_metrics', 'duration_seconds', (id) => id === 'model.session_analytics.stg_events')).toEqual([
      { node: 'model.session_analytics.stg_events', column: 'event_ts' },
    ]);
    // Through staging, down to the seed's column.
    expect(traceColumn(lineage, 'model.session_analytics.mart_session_metrics', 'duration_seconds', () => false)).toEqual([{ node: 'seed.session_analytics.raw_click_events', column: 'event_ts' }]);
  });
});

describe('column lineage of select * over a join, and of SQL the parser cannot read', () => {
  let p: WarehouseProject;
  let lineage: Record<string, ModelLineage>;
  beforeAll(async () => {
    p = warehouseProject('pglite', {
      'seeds/a.csv': 'id,x\n1,10\n',
      'seeds/b.csv': 'id,y\n1,20\n',
      'models/joined.sql': "select * from {{ ref('a') }} as a join {{ ref('b') }} as b using (id)\n",
      'models/downstream.sql': "select x + y as total from {{ ref('joined') }}\n",
      'models/odd.sql': "select a.x operator(pg_catalog.+) 1 as z from {{ ref('a') }} as a\n",
      // The seed `a` is also declared as a source: each model's lineage names what it reads.
      'models/sources.yml': 'version: 2\nsources:\n  - name: landed\n    schema: "{{ target.schema }}"\n    tables: [{name: a}]\n',
      'models/from_source.sql': "select x from {{ source('landed', 'a') }}\n",
    });
    lineage = await generate(p);
  }, 300_000);
  afterAll(() => p.cleanup());

  it('expands select * with the columns the catalog reports, and follows them downstream', () => {
    const joined = lineage['model.demo.joined'];
    expect(joined && 'columns' in joined ? joined.columns : joined).toMatchObject({ x: [{ node: 'seed.demo.a', column: 'x' }], y: [{ node: 'seed.demo.b', column: 'y' }] });
    expect(traceColumn(lineage, 'model.demo.downstream', 'total', () => false)).toEqual([
      { node: 'seed.demo.a', column: 'x' },
      { node: 'seed.demo.b', column: 'y' },
    ]);
  });

  it('names the parent a model reads when a relation is both a seed and a source', () => {
    expect(lineage['model.demo.from_source']).toEqual({ columns: { x: [{ node: 'source.demo.landed.a', column: 'x' }] } });
    const joined = lineage['model.demo.joined'];
    expect(joined && 'columns' in joined ? joined.columns.x : joined).toEqual([{ node: 'seed.demo.a', column: 'x' }]);
  });

  it('says when a model cannot be parsed', () => {
    expect(lineage['model.demo.odd']).toEqual({ error: expect.stringMatching(/^the SQL parser could not read this model \(PostgresQL\): /) as unknown });
  });
});

// Statements of one shape parsed once (statement-shapes.ts): the parents' relation names of two
// models made from one pattern give one text, and each model's lineage, traced from the shared
// tree with its own identifiers put back, is what parsing its own SQL gives.
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Manifest } from '../manifest/types.js';
import { projectLineage } from './column-lineage.js';
import { statementShape } from './statement-shapes.js';

describe('statementShape', () => {
  it('replaces each quoted identifier of a parent relation by a placeholder, the same for statements of one pattern', () => {
    const a = statementShape('select o.id from "db"."an"."orders" as o join "db"."an"."users" u using (id)', ['"db"."an"."orders"', '"db"."an"."users"']);
    const b = statementShape('select o.id from "db"."an"."carts" as o join "db"."an"."people" u using (id)', ['"db"."an"."people"', '"db"."an"."carts"']);
    expect(a.text).toBe(b.text);
    expect(a.text).toBe('select o.id from "\u0001t0"."\u0001t1"."\u0001t2" as o join "\u0001t0"."\u0001t1"."\u0001t3" u using (id)');
    expect([...b.identifiers.values()]).toEqual(['db', 'an', 'carts', 'people']);
  });

  it('leaves a name that is part of a longer one, unquoted or escaped names, and text already holding a placeholder as they are', () => {
    expect(statementShape('select * from "db"."an"."orders"', ['"an"."orders"']).text).toBe('select * from "db"."an"."orders"');
    expect(statementShape('select * from db.an.orders', ['db.an.orders']).text).toBe('select * from db.an.orders');
    expect(statementShape('select * from "db"."a""b"', ['"db"."a""b"']).text).toBe('select * from "db"."a""b"');
    expect(statementShape('select \'\u0001t0\' from "db"."t"', ['"db"."t"']).text).toBe('select \'\u0001t0\' from "db"."t"');
  });
});

describe('projectLineage over models of one shape', () => {
  const parser = createRequire(import.meta.url)('node-sql-parser/build/postgresql') as { Parser: { prototype: { astify(sql: string, options: unknown): unknown } } };
  afterEach(() => vi.restoreAllMocks());

  it('parses the shape once and gives each model the lineage of its own parents', () => {
    const source = (name: string, columns: string[]) => ({ unique_id: `source.p.raw.${name}`, resource_type: 'source', schema: 'raw', identifier: name, relation_name: `"db"."raw"."${name}"`, columns: Object.fromEntries(columns.map((c) => [c, { name: c }])) });
    const staging = (name: string) => ({
      unique_id: `model.p.stg_${name}`,
      resource_type: 'model',
      schema: 'an',
      alias: `stg_${name}`,
      relation_name: `"db"."an"."stg_${name}"`,
      compiled_code: `select s.id, upper(s.label) as label_upper from "db"."raw"."${name}" as s`,
      columns: {},
      depends_on: { nodes: [`source.p.raw.${name}`], macros: [] },
    });
    const sources = [source('orders', ['id', 'label']), source('users', ['id', 'label', 'email']), source('carts', ['id', 'label'])];
    const models = ['orders', 'users', 'carts'].map(staging);
    const manifest = {
      nodes: Object.fromEntries(models.map((m) => [m.unique_id, m])),
      sources: Object.fromEntries(sources.map((s) => [s.unique_id, s])),
      parent_map: Object.fromEntries(models.map((m) => [m.unique_id, m.depends_on.nodes])),
    } as unknown as Manifest;
    const astify = vi.spyOn(parser.Parser.prototype, 'astify');
    const all = projectLineage(manifest, null, 'postgresql');
    expect(astify).toHaveBeenCalledTimes(1);
    for (const name of ['orders', 'users', 'carts']) {
      expect(all[`model.p.stg_${name}`]).toEqual({ columns: { id: [{ node: `source.p.raw.${name}`, column: 'id' }], label_upper: [{ node: `source.p.raw.${name}`, column: 'label' }] } });
    }
  });
});

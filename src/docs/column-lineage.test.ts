// Column-level lineage of compiled SQL (tsdbt's addition, in manifest.json's tsdbt.column_lineage
// and on each model's page): each output column lists the upstream columns it is computed from,
// through CTEs, joins, `select *` and unions; SQL the parser cannot read is said so.
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../manifest/types.js';
import { lineageKey, projectLineage, statementLineage, traceColumn, type CachedLineage, type LineageCache } from './column-lineage.js';

/** Relations by name: their id and known columns (null: unknown). */
const RELATIONS: Record<string, { id: string; columns: string[] | null }> = {
  orders: { id: 'model.p.orders', columns: ['order_id', 'customer_id', 'amount'] },
  customers: { id: 'model.p.customers', columns: ['customer_id', 'name'] },
  opaque: { id: 'source.p.app.opaque', columns: null },
};
const resolve = (table: string) => RELATIONS[table.toLowerCase()] ?? null;
const lineage = (sql: string) => statementLineage(sql, 'postgresql', resolve);

describe('statementLineage', () => {
  it('follows each output column through a CTE and a join to the columns it is computed from', () => {
    const sql = `with totals as (select customer_id, sum(amount) as total from orders group by customer_id)
      select c.name, t.total * 100 as total_cents from customers c join totals t on t.customer_id = c.customer_id`;
    expect(lineage(sql)).toEqual({
      columns: {
        name: [{ node: 'model.p.customers', column: 'name' }],
        total_cents: [{ node: 'model.p.orders', column: 'amount' }],
      },
    });
  });

  it('expands `select *` with the relation’s known columns and merges a union’s columns by position', () => {
    expect(lineage('select * from customers')).toEqual({
      columns: { customer_id: [{ node: 'model.p.customers', column: 'customer_id' }], name: [{ node: 'model.p.customers', column: 'name' }] },
    });
    expect(lineage('select customer_id as id from orders union all select customer_id from customers')).toEqual({
      columns: { id: [{ node: 'model.p.customers', column: 'customer_id' }, { node: 'model.p.orders', column: 'customer_id' }] },
    });
  });

  it('attributes a column of a relation whose columns are unknown to that relation, and lists no column for `select *` over it', () => {
    expect(lineage('select id, kind from opaque')).toEqual({
      columns: { id: [{ node: 'source.p.app.opaque', column: 'id' }], kind: [{ node: 'source.p.app.opaque', column: 'kind' }] },
    });
    // Every output column is a named one with its upstream columns: never the internal marker.
    expect(lineage('select * from opaque')).toEqual({ columns: {} });
    expect(lineage('with o as (select * from opaque) select o.id from o')).toEqual({ columns: { id: [{ node: 'source.p.app.opaque', column: 'id' }] } });
  });

  it('says when it cannot read the SQL instead of guessing', () => {
    expect(lineage('select from where')).toMatchObject({ error: expect.stringMatching(/^the SQL parser could not read this model \(postgresql\)/) as unknown });
    expect(lineage('insert into orders values (1)')).toEqual({ error: 'not a single SELECT statement' });
  });
});

describe('projectLineage and traceColumn', () => {
  const model = (name: string, parents: string[], sql: string) => ({ unique_id: `model.p.${name}`, resource_type: 'model', schema: 'analytics', alias: name, compiled_code: sql, columns: {}, depends_on: { nodes: parents, macros: [] } });
  const manifest = {
    nodes: Object.fromEntries(
      [
        model('stg', [], "select cast(id as int) as id, lower(email) as email from raw_users"),
        model('users', ['model.p.stg'], 'select * from analytics.stg'),
        model('report', ['model.p.users'], 'select id, email as contact from analytics.users'),
      ].map((n) => [n.unique_id, n]),
    ),
    sources: {},
    parent_map: { 'model.p.stg': [], 'model.p.users': ['model.p.stg'], 'model.p.report': ['model.p.users'] },
  } as unknown as Manifest;

  it('traces each model in DAG order, so `select *` sees its parent’s columns, and a column back to where it starts', () => {
    const all = projectLineage(manifest, null, 'postgresql');
    expect(all['model.p.users']).toEqual({ columns: { id: [{ node: 'model.p.stg', column: 'id' }], email: [{ node: 'model.p.stg', column: 'email' }] } });
    expect(all['model.p.report']).toEqual({ columns: { id: [{ node: 'model.p.users', column: 'id' }], contact: [{ node: 'model.p.users', column: 'email' }] } });
    // stg's email comes from a table tsdbt does not know: the trail names no origin past it.
    expect(traceColumn(all, 'model.p.report', 'contact', () => false)).toEqual([]);
    expect(traceColumn(all, 'model.p.report', 'contact', (id) => id === 'model.p.stg')).toEqual([{ node: 'model.p.stg', column: 'email' }]);
  });

  it('takes a model from the cache while its SQL and the columns of what it reads are unchanged, and traces it again when they change', () => {
    const first: LineageCache = { entries: new Map(), used: new Map() };
    const traced = projectLineage(manifest, null, 'postgresql', undefined, first);
    expect(first.used.size).toBe(3);
    // report's cached lineage replaced by a marker: taken from the cache, report shows the marker.
    const report = manifest.nodes['model.p.report'] as { compiled_code: string };
    const marker = { error: 'from the cache' };
    const marked = (): LineageCache => {
      const entries = new Map(first.used);
      const k = lineageKey('postgresql', report.compiled_code);
      entries.set(k, { ...(entries.get(k) as CachedLineage), lineage: marker });
      return { entries, used: new Map() };
    };
    const again = marked();
    const reused = projectLineage(manifest, null, 'postgresql', undefined, again);
    expect(reused).toEqual({ ...traced, 'model.p.report': marker });
    expect(again.used.size).toBe(3);
    // stg gains a column: stg (new SQL), users (`select *` over stg) and report (reads users, whose columns changed) are traced again.
    const stg = manifest.nodes['model.p.stg'] as { compiled_code: string };
    const changed = { ...manifest, nodes: { ...manifest.nodes, 'model.p.stg': { ...stg, compiled_code: 'select cast(id as int) as id, lower(email) as email, name from raw_users' } } } as unknown as Manifest;
    const retraced = projectLineage(changed, null, 'postgresql', undefined, marked());
    expect(retraced['model.p.users']).toEqual({ columns: { id: [{ node: 'model.p.stg', column: 'id' }], email: [{ node: 'model.p.stg', column: 'email' }], name: [{ node: 'model.p.stg', column: 'name' }] } });
    expect(retraced['model.p.report']).toEqual(traced['model.p.report']);
    expect(retraced['model.p.stg']).toMatchObject({ columns: { name: [] } });
  });
});

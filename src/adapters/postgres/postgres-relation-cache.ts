// What a run knows of the relations in the schemas it builds into, as dbt's adapter cache: each
// schema is listed once (when the run makes sure it exists, before any node), with whether anything
// depends on each relation, and the run's own swaps keep it up to date. It is only ever a guess: a
// swap that trusts it (postgres-replace.ts) is checked by the server and done the careful way when
// the guess was wrong, so another session changing the schema meanwhile costs time, never a relation.
import { queueStatement, type Connection } from '../adapter.js';
import type { RelationType } from '../relation.js';
import { KIND_LIST, relationTypeOf } from './postgres-introspector.js';
import { quoteString } from './postgres-sql.js';

/** A relation as the cache knows it. */
export interface CachedRelation {
  type: RelationType;
  /**
   * Whether another object depends on it (a view, a foreign key of another table...), so that a
   * DROP without CASCADE would fail.
   */
  hasDependents: boolean;
  /**
   * Whether it has a comment (its own or a column's), grants or storage options, which a view
   * replaced in place (`create or replace view`) would keep and one built beside it would not.
   */
  decorated?: boolean;
}

/**
 * Whether the schema exists and its relations (one row with a null name when it has none), each
 * with whether anything outside it depends on it: a `normal` dependency in pg_depend (a view's
 * rule, a foreign key, a function's body), not counting a view's rule on its own relation; and
 * whether it has comments, grants or options (CachedRelation.decorated).
 */
function schemaSql(schema: string): string {
  return [
    'select n.oid is not null as schema_exists, c.relname as name, c.relkind::text as relkind,',
    '       exists (select 1 from pg_catalog.pg_depend d',
    "               where d.refclassid = 'pg_catalog.pg_class'::regclass and d.refobjid = c.oid and d.deptype = 'n'",
    "                 and not (d.classid = 'pg_catalog.pg_rewrite'::regclass",
    '                          and exists (select 1 from pg_catalog.pg_rewrite r where r.oid = d.objid and r.ev_class = c.oid))) as has_dependents,',
    '       (c.relacl is not null or c.reloptions is not null',
    "        or exists (select 1 from pg_catalog.pg_description ds where ds.objoid = c.oid and ds.classoid = 'pg_catalog.pg_class'::regclass)) as decorated",
    'from (select 1) as one',
    `left join pg_catalog.pg_namespace n on n.nspname = ${quoteString(schema)}`,
    `left join pg_catalog.pg_class c on c.relnamespace = n.oid and c.relkind in (${KIND_LIST})`,
  ].join('\n');
}

export class RelationCache {
  /** The schemas listed so far (a schema found missing is not listed). */
  private readonly schemas = new Map<string, Map<string, CachedRelation>>();

  /** True when `schema` was listed (so it exists, as far as this run knows). */
  listed(schema: string): boolean {
    return this.schemas.has(schema);
  }

  /** Lists `schema` on `conn`: false when it does not exist. */
  async list(conn: Connection, schema: string): Promise<boolean> {
    // Inside a transaction it travels with what the caller queued (the staging relation's build).
    const read = await queueStatement(conn, schemaSql(schema));
    const { rows } = await read.result();
    if (rows[0]?.schema_exists !== true) return false;
    const relations = new Map<string, CachedRelation>();
    for (const row of rows) {
      const type = relationTypeOf(row.relkind);
      if (type && row.name !== null && row.name !== undefined) relations.set(String(row.name), { type, hasDependents: row.has_dependents === true, decorated: row.decorated === true });
    }
    this.schemas.set(schema, relations);
    return true;
  }

  /** The relations of `schema` as listed (and kept up to date by this run's swaps), or undefined when not listed. */
  known(schema: string): ReadonlyMap<string, CachedRelation> | undefined {
    return this.schemas.get(schema);
  }

  /** Forgets `schema` (dropped): the next look lists it again. */
  forget(schema: string): void {
    this.schemas.delete(schema);
  }

  /** Records a schema this run created: nothing in it. */
  created(schema: string): void {
    this.schemas.set(schema, new Map());
  }

  /**
   * What the cache holds for `schema.identifier` (null: no such relation), listing the schema on
   * `conn` if it was not yet. Undefined when it cannot tell (the schema is missing, or could not be listed).
   */
  async lookup(conn: Connection, schema: string, identifier: string): Promise<CachedRelation | null | undefined> {
    if (!this.schemas.has(schema)) {
      try {
        if (!(await this.list(conn, schema))) return undefined;
      } catch {
        return undefined;
      }
    }
    return this.schemas.get(schema)?.get(identifier) ?? null;
  }

  /** Records what a swap of this run made of `schema.identifier` (in a schema listed already). */
  record(schema: string, identifier: string, relation: CachedRelation): void {
    this.schemas.get(schema)?.set(identifier, relation);
  }
}

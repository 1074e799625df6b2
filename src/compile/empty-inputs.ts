// `--empty` (dbt 1.8's flag for run, build, snapshot and compile): every `ref()` and `source()`
// renders as a subquery that reads no rows, as dbt-adapters' BaseRelation.render_limited writes it
// for a limit of 0, so each model is built with its columns and types but without data: a cheap
// check of the SQL and the schema in CI. `{{ this }}` is untouched.
import { LimitedRelation, type Relation } from '../adapters/relation.js';

/** A relation that renders as `(select * from rel where false limit 0) _dbt_limit_subq_<name>` (its `limit` is 0). */
export class EmptyInputRelation extends LimitedRelation {
  constructor(inner: Relation) {
    super(inner, 0);
  }
}

/** Words that may follow a subquery in a FROM clause without being its alias. */
const NOT_AN_ALIAS = new Set(
  'where join left right inner full outer cross natural on using group order limit offset fetch union intersect except having window qualify lateral for returning into then else end when and or as with tablesample final sample prewhere array settings format'.split(' '),
);

/**
 * A model that aliases its input (`from {{ ref('orders') }} as o`) would read `(...) _dbt_limit_subq_orders
 * as o` (or `_dbt_et_filter_subq_orders as o`, under --sample or in a microbatch batch), two aliases, which the database refuses (dbt has this bug: dbt-adapters' relation adds its
 * alias blindly). The model's own alias wins: ours is dropped where another follows.
 */
export function dropShadowedAliases(sql: string): string {
  return sql.replace(/\) _dbt_(?:limit|et_filter)_subq_\w+(?=(\s+)(\w+))/g, (whole, _space: string, next: string) => (NOT_AN_ALIAS.has(next.toLowerCase()) && next.toLowerCase() !== 'as' ? whole : ')'));
}

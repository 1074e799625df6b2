// The CoreQueries every SQL warehouse can run as written here (ANSI SQL, names quoted by the
// dialect's own quoting), so a new adapter overrides only the ones its warehouse reads differently.
import type { CoreQueries, SqlBuilders } from './adapter.js';
import type { Relation } from './relation.js';

type Quoting = Pick<SqlBuilders, 'quoteIdentifier'>;

/** The ANSI CoreQueries of a dialect; `own` replaces any of them. */
export function coreQueries(sql: Quoting, own: Partial<CoreQueries> = {}): CoreQueries {
  const q = (name: string) => sql.quoteIdentifier(name);
  const matching = (where: [string, string][]) => where.map(([column, literal]) => `${q(column)} = ${literal}`).join(' and ');
  const defaults: CoreQueries = {
    countRows: (relation: Relation) => `select count(*) as n from ${relation.render()}`,

    keptRowsAndBatch(target, batch, keys, columns) {
      // An anti-join: the target's rows whose key the batch lacks (on ClickHouse the session sets
      // join_use_nulls, so an unmatched key reads NULL as the standard says).
      const kept = [
        `select ${columns.map((c) => `t.${q(c)} as ${q(c)}`).join(', ')}`,
        `from ${target.render()} t`,
        `left join (select distinct ${keys.map(q).join(', ')} from ${batch.render()}) b on ${keys.map((k) => `t.${q(k)} = b.${q(k)}`).join(' and ')}`,
        `where b.${q(keys[0] as string)} is null`,
      ].join('\n');
      return `${kept}\nunion all\nselect ${columns.map(q).join(', ')} from ${batch.render()}`;
    },

    selectWhereEqual: (relation, columns, where) => `select ${columns.map(q).join(', ')} from ${relation.render()} where ${matching(where)}`,

    deleteWhereEqual: (relation, where) => `delete from ${relation.render()} where ${matching(where)}`,

    maxByGroup: (relation, group, value, where) =>
      `select ${q(group)} as group_value, max(${q(value)}) as max_value from ${relation.render()} where ${matching(where)} group by ${q(group)}`,

    keysWhereEveryRow: (relation, key, [column, literal], least) =>
      `select ${[`${q(key)} as ${q(key)}`, ...least.map((c) => `min(${q(c)}) as ${q(c)}`)].join(', ')} from ${relation.render()} group by ${q(key)} having sum(case when ${q(column)} = ${literal} then 0 else 1 end) = 0`,

    insertLiterals: (relation, columns, rows) => `insert into ${relation.render()} (${columns.map(q).join(', ')}) values ${rows.map((r) => `(${r.join(', ')})`).join(', ')}`,
  };
  return Object.freeze({ ...defaults, ...own });
}

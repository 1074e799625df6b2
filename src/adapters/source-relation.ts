// The relations of sources: the quote policy a source's `quoting:` gives, the relation `source()`
// returns, and the parts the warehouse stores a source's table under.
import { Relation } from './relation.js';
import { sourceRelationParts, type QuotePolicy, type RelationDialect, type SourceRelationInput } from './relation-dialect.js';

/** A `quoting:` mapping as a quote policy: its database, schema and identifier booleans (dbt's Quoting.to_dict(omit_none=True), `column` left out). */
export function quotePolicyOf(quoting: Record<string, unknown> | null | undefined): Partial<QuotePolicy> {
  const q = quoting ?? {};
  return Object.fromEntries((['database', 'schema', 'identifier'] as const).filter((k) => typeof q[k] === 'boolean').map((k) => [k, q[k]]));
}

/**
 * The parts of a source's relation as the warehouse stores them: where the source's `quoting:` turns
 * a part's quoting off, a name that can be written bare is the one the warehouse folds it to
 * (TPCH_SF1 is tpch_sf1 on PostgreSQL), what `source()`'s unquoted name reaches; any other name as
 * written. The catalog matches its rows by these, and the loader creates its table under them.
 */
export function sourceStoredParts(source: SourceRelationInput & { quoting?: Record<string, unknown> | null }, dialect: Pick<RelationDialect, 'bareIdentifierName' | 'sourceSchema'>): { database: string | null; schema: string; identifier: string } {
  const parts = sourceRelationParts(source, dialect);
  const quote = quotePolicyOf(source.quoting);
  const stored = <T extends string | null>(part: 'database' | 'schema' | 'identifier', name: T): T => (quote[part] === false && name !== null ? ((dialect.bareIdentifierName(name) ?? name) as T) : name);
  return { database: stored('database', parts.database), schema: stored('schema', parts.schema), identifier: stored('identifier', parts.identifier) };
}

/**
 * The relation `source(...)` returns: the adapter's quoting with the source's own `quoting:` (the
 * source's, then its table's) over it, as dbt-adapters' `create_from` merges the node's
 * `quoting_dict`; the project's `quoting:` does not reach it (dbt-core's SourceQuotingBaseConfig).
 */
export function sourceRelation(source: SourceRelationInput & { quoting?: Record<string, unknown> | null }, dialect: RelationDialect): Relation {
  return new Relation(sourceRelationParts(source, dialect), dialect, { quote: quotePolicyOf(source.quoting) });
}

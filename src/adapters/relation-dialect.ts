// How a dialect names relations: the types, quoting and include policies, and the parts a relation
// is made of (a source's parts included), which each adapter supplies and `Relation` renders with.

/** `dictionary`: a ClickHouse dictionary (dbt-clickhouse's ClickHouseRelationType.Dictionary). */
export type RelationType = 'table' | 'view' | 'materialized_view' | 'cte' | 'external' | 'function' | 'dictionary';

export interface QuotePolicy {
  database: boolean;
  schema: boolean;
  identifier: boolean;
}

export interface IncludePolicy {
  database: boolean;
  schema: boolean;
  identifier: boolean;
}

/** How one dialect renders relation names. Implemented by each adapter. */
export interface RelationDialect {
  quoteIdentifier(name: string): string;
  /**
   * The name the warehouse gives `name` written bare, unquoted (PostgreSQL folds ASCII letters to
   * lower case), or null when `name` is not an identifier that can be written bare at all
   * (spaces, punctuation, quotes, a leading digit).
   */
  bareIdentifierName(name: string): string | null;
  defaultQuotePolicy: QuotePolicy;
  defaultIncludePolicy: IncludePolicy;
  /** The adapter's Relation class name, as repr() shows a relation (`<PostgresRelation "db"."s"."t">`). Absent: dbt's BaseRelation. */
  relationClassName?: string;
  /** dbt-adapters' `renameable_relations`: the types the warehouse renames (`relation.can_be_renamed`). Absent: none, as BaseRelation. */
  renameableRelations?: readonly RelationType[];
  /** dbt-adapters' `replaceable_relations`: the types `create or replace` replaces (`relation.can_be_replaced`). Absent: none. */
  replaceableRelations?: readonly RelationType[];
  /**
   * Which name parts a user-defined function's relation renders (type `function`), where the
   * warehouse names functions otherwise than tables (ClickHouse's are global: the name alone).
   * Absent: as any relation.
   */
  functionIncludePolicy?: IncludePolicy;
  /**
   * The schema a source's relation names, where the warehouse reads a source's parts otherwise
   * than dbt's manifest stores them (dbt-clickhouse's `create_from`: a source whose schema is its
   * name, by default, and that sets `database` reads the ClickHouse database `database`). Absent:
   * the source's `schema`.
   */
  sourceSchema?(source: SourceRelationInput): string;
}

/** What a source's relation is built from (a manifest source's fields). */
export interface SourceRelationInput {
  database: string | null;
  schema: string;
  identifier: string;
  source_name: string;
}

/**
 * The parts of the relation `source(...)` reads, as the target's adapter builds them from the
 * manifest's source (dbt's `Relation.create_from(config, source)`): every place that names a
 * source's table (compile, freshness, catalog, loaders, `relation_name`) goes through here.
 */
export function sourceRelationParts(source: SourceRelationInput, dialect: Pick<RelationDialect, 'sourceSchema'> | undefined): { database: string | null; schema: string; identifier: string; type: 'table' } {
  const schema = dialect?.sourceSchema ? dialect.sourceSchema(source) : source.schema;
  return { database: source.database, schema, identifier: source.identifier, type: 'table' };
}

export interface RelationParts {
  database?: string | null;
  schema?: string | null;
  identifier: string;
  type?: RelationType | null;
}

/** dbt-adapters' FunctionConfig, what a function's materialization dispatches on. */
export interface FunctionRelationConfig {
  language: string;
  type: string;
  runtime_version: unknown;
  entry_point: unknown;
}

// How a dialect's type names, errors and bookkeeping statements read to core code (Adapter.rules,
// Adapter.queries; the shared defaults are default-rules.ts and default-queries.ts). Split out of
// adapter.ts, which re-exports it.

import type { Relation, RelationType } from './relation.js';
import type { ColumnClassRules } from './column-class.js';
import type { AdapterResponse } from '../manifest/results.js';

/** agate's type names, as templates see a query result's columns (`Integer` is dbt's addition). */
export type AgateTypeName = 'Text' | 'Number' | 'Integer' | 'Boolean' | 'Date' | 'DateTime' | 'TimeDelta';

/**
 * dbt's `api.Column` for one dialect (dbt-adapters' `Column`, which each dbt adapter subclasses):
 * which base type names (lower case, size removed) are strings, floats, integers and fixed-point
 * numbers, and how a string column of a given size is written.
 */
export interface ColumnTypeRules {
  stringTypes: ReadonlySet<string>;
  floatTypes: ReadonlySet<string>;
  integerTypes: ReadonlySet<string>;
  numericTypes: ReadonlySet<string>;
  /**
   * True when a string column's type renders as written rather than as `stringType(size)`
   * (dbt-postgres: `text`, and `character varying` without a size).
   */
  keepsStringType(dtype: string, charSize: number | null): boolean;
  /** The type of a string column of `size` characters (`character varying(size)` in dbt's base Column). */
  stringType(size: number): string;
  /**
   * The adapter Column's TYPE_LABELS: what a portable label (`string`, `integer`...) means here, for
   * `Column.translate_type` and a contract's `data_type` (dbt's base: `TEXT`, `INT`...).
   */
  typeLabels: Readonly<Record<string, string>>;
  /** The adapter Column's class name, as its repr shows it (`Column`, dbt-postgres's `PostgresColumn`). */
  className: string;
  /** Where the adapter's Column subclass departs from dbt's base Column further (dbt-clickhouse's ClickHouseColumn). */
  columnClass?: ColumnClassRules;
}

/**
 * What a dialect knows besides its SQL builders: how its type names and errors read to core code.
 * The defaults every SQL warehouse can share are in default-rules.ts; an adapter overrides what differs.
 */
export interface DialectRules {
  /** The agate type of a column of warehouse type `dataType`, or null for a name it does not know (typed from its values). */
  agateType(dataType: string): AgateTypeName | null;
  /** True when values of `dataType` carry a time zone (templates get aware datetimes). */
  timeZoneAware(dataType: string): boolean;
  /** `api.Column`'s type families and string type. */
  columnTypes: ColumnTypeRules;
  /**
   * True when the warehouse refused a value for its column (a bad number, date, JSON, a NULL in a
   * NOT NULL column): the data's fault, not the statement's, so the loader dead-letters the row.
   */
  isDataError(err: unknown): boolean;
  /**
   * True when rows broke a constraint of the table they were written to (a unique key already
   * taken, a check, a foreign key; SQL's integrity constraint violations): the loader's direct COPY
   * then goes the way that handles them (the staging table and its ON CONFLICT).
   */
  isConstraintViolation(err: unknown): boolean;
  /** The moment a value of a timestamp column holds, as the driver returns it (a time without zone is UTC). */
  readTimestamp(value: unknown): Date;
  /** A relation's `metadata.type` in catalog.json (dbt's get_catalog `table_type`). */
  catalogTableType(type: RelationType | null): string;
  /**
   * The status of rows a materialization inserted as the warehouse reports an insert (PostgreSQL:
   * `INSERT 0 5`), for the steps that count their rows themselves (snapshots, batches, rewrites),
   * so their lines read as the models' whose status the warehouse gives. Seeds keep dbt-core's own
   * `INSERT 5`.
   */
  insertedRows(rows: number): AdapterResponse;
}

/**
 * Statements core code runs on relations it owns: a relation's row count, and the bookkeeping
 * tables (microbatch windows). Every one has an ANSI default (default-queries.ts) written with the
 * dialect's quoting, so a new adapter overrides only what its warehouse reads differently.
 */
export interface CoreQueries {
  /** One row with `n`, the number of rows of `relation`. */
  countRows(relation: Relation): string;
  /**
   * The rows of `target` whose `keys` no row of `batch` has, followed by every row of `batch`, as
   * `columns` (the `legacy` incremental strategy rewrites its table from this).
   */
  keptRowsAndBatch(target: Relation, batch: Relation, keys: string[], columns: string[]): string;
  /** `columns` of the rows of `relation` where each column of `where` equals its SQL literal. */
  selectWhereEqual(relation: Relation, columns: string[], where: [column: string, literal: string][]): string;
  /** Deletes the rows of `relation` where each column of `where` equals its SQL literal. */
  deleteWhereEqual(relation: Relation, where: [column: string, literal: string][]): string;
  /** Inserts rows of SQL literals (one per column of `columns`) into `relation`. */
  insertLiterals(relation: Relation, columns: string[], rows: string[][]): string;
  /**
   * One row per value `group_value` of column `group` among the rows of `relation` where each
   * column of `where` equals its SQL literal, with `max_value`, the largest `value` of the group
   * (the loader's stored and recorded offsets per partition).
   */
  maxByGroup(relation: Relation, group: string, value: string, where: [column: string, literal: string][]): string;
  /**
   * One row per value of column `key` whose every row in `relation` has `column` equal to the SQL
   * `literal`, with `key` and the smallest value of each of `least` under their own names (the
   * scheduler's runs that never recorded an end).
   */
  keysWhereEveryRow(relation: Relation, key: string, equal: [column: string, literal: string], least: string[]): string;
}

// The default SQL builders' first half (default-sql.ts has the statements): ANSI SQL's names,
// literals, types and the protected hooks that name the pieces dialects spell differently inside
// otherwise shared statements. The constructor binds every method, this class's and its
// subclasses', to the instance, as builders are handed around unbound.
import type { FixtureValue, LoadColumn, LogicalType, SeedColumnShape } from './adapter.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { IncludePolicy, QuotePolicy, RelationType } from './relation.js';

/** SQL's standard types for the logical seed types. */
const ANSI_TYPES: Record<LogicalType, string> = {
  integer: 'integer',
  bigint: 'bigint',
  float: 'double precision',
  numeric: 'numeric',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
  text: 'varchar',
};

/** SQL's regular identifier: a letter, then letters, digits and `_`. */
const REGULAR_IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

function bindingCount(given: number, message: string): TsdbtError {
  return new TsdbtError(`adapter.add_query(): ${message} (${given} bindings)`, {
    code: 'adapter-args',
    hint: 'give one binding per %s placeholder (get_binding_char()), and write a literal percent sign as %%',
  });
}

/** ANSI SQL's names, literals, types and hooks; AnsiSqlBuilders adds the statements. */
export abstract class AnsiSqlNames {
  readonly defaultQuotePolicy: QuotePolicy = { database: true, schema: true, identifier: true };
  readonly defaultIncludePolicy: IncludePolicy = { database: true, schema: true, identifier: true };
  readonly dispatchPrefixes: string[] = ['default'];
  /** node-sql-parser has no ANSI grammar: PostgreSQL's reads double-quoted identifiers and standard queries. */
  readonly sqlParserDialect: string = 'PostgresQL';
  /** The warehouse's name in messages (`... which <name> names cannot hold`). */
  protected readonly warehouseName: string = 'this warehouse';
  /** The seed types (`typeFor`). */
  protected readonly logicalTypes: Record<LogicalType, string> = ANSI_TYPES;

  constructor() {
    // Most derived first, so an override is the method bound.
    for (let proto = Object.getPrototypeOf(this) as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
      for (const name of Object.getOwnPropertyNames(proto)) {
        const value: unknown = (this as unknown as Record<string, unknown>)[name];
        if (name === 'constructor' || Object.hasOwn(this, name) || typeof value !== 'function') continue;
        Object.defineProperty(this, name, { value: (value as (...args: unknown[]) => unknown).bind(this), writable: true, configurable: true, enumerable: true });
      }
    }
  }

  // ---- hooks: the pieces dialects spell differently ----

  /** A name as DDL and mutations address it (ClickHouse adds `on cluster`). */
  protected clustered(name: string): string {
    return name;
  }

  /** The keyword naming a relation kind in DROP / ALTER / COMMENT. */
  protected objectKeyword(type: RelationType | null | undefined): string {
    return type === 'view' ? 'view' : 'table';
  }

  /** The words before the name in `create table` (PostgreSQL's `create unlogged table`). */
  protected createTableKeyword(_config: Record<string, unknown>): string {
    return 'create table';
  }

  /** What follows a created table's column list (ClickHouse's engine clause). */
  protected tableOptions(_config: Record<string, unknown>): string {
    return '';
  }

  /** A query's row limit. */
  protected limitClause(n: number): string {
    return `fetch first ${n} rows only`;
  }

  /** The aggregate counting rows. */
  protected countRows(): string {
    return 'count(*)';
  }

  /** Multiset difference (unit tests' rowsDiff). */
  protected exceptAll(): string {
    return 'except all';
  }

  /** A column as rowsDiff compares it: as it is, unless its type has no equality (a dialect's override). */
  protected comparable(quoted: string, _dataType: string | null): string {
    return quoted;
  }

  /** A fixture or offset value as a literal. */
  protected literal(value: FixtureValue): string {
    return value === null ? 'null' : typeof value === 'string' ? this.quoteString(value) : String(value);
  }

  /** A fixture cell: the literal, cast to its column's type when known. */
  protected fixtureCell(value: FixtureValue, dataType: string | null): string {
    const literal = this.literal(value);
    // A string cast to `character varying(5)` would be cut to 5 characters; dbt casts a fixture's
    // strings to the type without its length (dbt-core#11974), so a value longer than the input's
    // column stays whole.
    const type = dataType && typeof value === 'string' && /varying/i.test(dataType) ? (dataType.split('(')[0] ?? dataType).trim() : dataType;
    return type ? `cast(${literal} as ${type})` : literal;
  }

  /** A condition no row meets (an empty fixture). */
  protected falseCondition(): string {
    return 'false';
  }

  /** `"a", "b"`. */
  protected columnList(columns: readonly string[]): string {
    return columns.map((c) => this.quoteIdentifier(c)).join(', ');
  }

  /** A table's column definitions, one per line. */
  protected columnDefinitions(columns: readonly LoadColumn[]): string[] {
    return columns.map((c) => `    ${this.quoteIdentifier(c.name)} ${c.dataType}`);
  }

  /** `dbt_internal_dest."k" = dbt_internal_source."k"` per key: the match of merges and deletes. */
  protected keysMatch(keys: readonly string[]): string[] {
    return keys.map((k) => `dbt_internal_dest.${this.quoteIdentifier(k)} = dbt_internal_source.${this.quoteIdentifier(k)}`);
  }

  // ---- names and literals ----

  /** `"name"`, with embedded double quotes doubled. */
  quoteIdentifier(name: string): string {
    return `"${name.replace(/"/g, '""')}"`;
  }

  /** `'text'`, with embedded single quotes doubled. */
  quoteString(value: string): string {
    return `'${value.replace(/'/g, "''")}'`;
  }

  /**
   * psycopg2's paramstyle `format`, dbt-adapters' `get_binding_char()` (`%s`): each `%s` is the next
   * binding as a literal, `%%` a percent sign; as psycopg2, a count that differs is an error.
   */
  bindParameters(sql: string, bindings: readonly FixtureValue[]): string {
    let next = 0;
    const bound = sql.replace(/%([%s])/g, (_all, kind: string) => {
      if (kind === '%') return '%';
      if (next >= bindings.length) throw bindingCount(bindings.length, 'not enough arguments for format string');
      return this.literal(bindings[next++] ?? null);
    });
    if (next < bindings.length) throw bindingCount(bindings.length, 'not all arguments converted during string formatting');
    return bound;
  }

  /** SQL folds a regular identifier to upper case. */
  bareIdentifierName(name: string): string | null {
    return REGULAR_IDENTIFIER.test(name) ? name.toUpperCase() : null;
  }

  storedColumnName(name: string): string {
    return name;
  }

  relationNameProblem(_identifier: string): string | null {
    return null;
  }

  columnNameProblem(name: string): string | null {
    return name.includes('\u0000') ? `contains a NUL character, which ${this.warehouseName} names cannot hold` : null;
  }

  typeFor(type: LogicalType): string {
    return this.logicalTypes[type];
  }

  seedType(column: SeedColumnShape): string {
    return this.typeFor(column.type);
  }

  /** Lower case, without length, precision or surrounding space. */
  canonicalType(dataType: string): string {
    return dataType.trim().toLowerCase().replace(/\s+/g, ' ').replace(/\s*\([^)]*\)/g, '');
  }

  contractTypeKey(dataType: string): string {
    return this.canonicalType(dataType);
  }

  contractTypeName(dataType: string): string {
    return dataType;
  }

  timestamp(at: Date): string {
    return `cast('${at.toISOString().replace('T', ' ').replace('Z', '')}' as timestamp)`;
  }

  /**
   * A bound of an input's event-time filter (microbatch, --sample), as dbt-adapters'
   * `_render_event_time_filtered` writes it: the UTC datetime's Python text in quotes,
   * `'2025-01-01 02:03:00+00:00'`, which a timestamptz column reads as that instant whatever the
   * session's time zone.
   */
  eventTimeBound(at: Date): string {
    const iso = at.toISOString();
    const ms = at.getUTCMilliseconds();
    return `'${iso.slice(0, 10)} ${iso.slice(11, 19)}${ms === 0 ? '' : `.${String(ms * 1000).padStart(6, '0')}`}+00:00'`;
  }

  nullTimestamp(): string {
    return 'cast(null as timestamp)';
  }

  hashOf(expressions: string[]): string {
    return `md5(${expressions.map((e) => `coalesce(cast(${e} as varchar), '')`).join(` || '|' || `)})`;
  }
}

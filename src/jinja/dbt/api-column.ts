// dbt's `api.Column`: a warehouse column as macros see it (`adapter.get_columns_in_relation`,
// `api.Column('id', 'integer')`): its name, quoted name, rendered type (`character varying(256)`,
// `numeric(28,6)`), type tests (`is_string()`, `is_number()`...) and the string-widening check
// snapshots and incremental models use (`can_expand_to`). Quoting and the rendering of unsized
// strings depend on the dialect: its quoting and its ColumnTypeRules (the adapter's
// `rules.columnTypes`; dbt's base Column when none is given), passed as an ApiColumnDialect.
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { ColumnTypeRules } from '../../adapters/adapter.js';
import type { ColumnFamily, ColumnFields } from '../../adapters/column-class.js';
import { DEFAULT_COLUMN_TYPES } from '../../adapters/default-rules.js';
import { translateType } from '../../adapters/contract-columns.js';
import { pyRepr, pyStr } from '../engine/index.js';
import { callArgs } from '../pylib/args/index.js';

export type QuoteFn = (name: string) => string;

/** How one dialect renders columns: its quoting and its type families (ColumnTypeRules). */
export interface ApiColumnDialect extends ColumnTypeRules {
  /** Quotes a column name (`"id"` by default). */
  quote: QuoteFn;
}

/** A quote function, or part of a dialect (the rest defaulted). */
export type ApiColumnDialectInput = QuoteFn | Partial<ApiColumnDialect>;

const DEFAULT_DIALECT: ApiColumnDialect = {
  ...DEFAULT_COLUMN_TYPES,
  quote: (name) => `"${name}"`,
};

function dialectOf(input: ApiColumnDialectInput | undefined): ApiColumnDialect {
  if (input === undefined) return DEFAULT_DIALECT;
  if (typeof input === 'function') return { ...DEFAULT_DIALECT, quote: input };
  return { ...DEFAULT_DIALECT, ...input };
}

function columnError(message: string): TsdbtError {
  return new TsdbtError(message, { code: 'column-type' });
}

/** A size, precision or scale: a number, a numeric string, or null when absent. */
function optionalInt(value: unknown, what: string): number | null {
  if (value === null || value === undefined) return null;
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw columnError(`Could not interpret ${what} '${String(value)}' as a number`);
  return n;
}

/** The default size of a string column whose size is unknown (`text`, unsized varchar). */
const DEFAULT_STRING_SIZE = 256;

const DIALECT: unique symbol = Symbol('api-column.dialect');

const NO_FLAGS: Readonly<Record<string, boolean>> = Object.freeze({});

/** The family of a type: the adapter Column's rule, else the dialect's type sets. */
function familyOf(d: ApiColumnDialect, dtype: string): ColumnFamily | null {
  if (d.columnClass?.family) return d.columnClass.family(dtype);
  const lower = dtype.toLowerCase();
  if (d.stringTypes.has(lower)) return 'string';
  if (d.integerTypes.has(lower)) return 'integer';
  if (d.floatTypes.has(lower)) return 'float';
  if (d.numericTypes.has(lower)) return 'numeric';
  return null;
}

/**
 * dbt's base `Column` (dbt-adapters), with the PostgreSQL rendering of unsized strings by default;
 * its fields are the ones an adapter's Column rules read (ColumnFields), so the two stay one shape.
 */
export class ApiColumn implements ColumnFields {
  /** dbt's base `Column.TYPE_LABELS`: what `create()` translates agate-style labels to (the dialect's own through `api.Column`). */
  static readonly TYPE_LABELS = DEFAULT_COLUMN_TYPES.typeLabels;

  readonly column: string;
  readonly dtype: string;
  readonly char_size: number | null;
  readonly numeric_precision: number | null;
  readonly numeric_scale: number | null;
  /** What the adapter's Column read off the type (dbt-clickhouse's is_nullable...), also members of their own. */
  readonly flags: Readonly<Record<string, boolean>>;
  readonly [DIALECT]: ApiColumnDialect;

  constructor(
    column: string,
    dtype: string,
    charSize: number | string | null = null,
    numericPrecision: number | string | null = null,
    numericScale: number | string | null = null,
    dialect?: ApiColumnDialectInput,
  ) {
    const d = dialectOf(dialect);
    this.column = String(column);
    this[DIALECT] = d;
    const read = d.columnClass?.readType?.(String(dtype));
    if (read) {
      // The adapter's constructor takes the type alone (dbt-clickhouse's ClickHouseColumn(column, dtype)).
      this.dtype = read.dtype;
      this.char_size = read.charSize;
      this.numeric_precision = read.precision;
      this.numeric_scale = read.scale;
      this.flags = Object.freeze({ ...read.flags });
      for (const [key, value] of Object.entries(read.flags)) Object.defineProperty(this, key, { value, enumerable: true });
    } else {
      this.dtype = String(dtype);
      this.char_size = optionalInt(charSize, 'char_size');
      this.numeric_precision = optionalInt(numericPrecision, 'numeric_precision');
      this.numeric_scale = optionalInt(numericScale, 'numeric_scale');
      this.flags = NO_FLAGS;
    }
  }

  /** `Column.translate_type('string')` -> `TEXT` (or the dialect's label); unknown labels pass through. */
  static translate_type(dtype: string, dialect?: ApiColumnDialectInput): string {
    return translateType(String(dtype), dialectOf(dialect).typeLabels);
  }

  /** `Column.create(name, label_or_dtype)`: a column whose type is a label (`string`) or a type. */
  static create(name: string, labelOrDtype: string, dialect?: ApiColumnDialectInput): ApiColumn {
    return new ApiColumn(name, ApiColumn.translate_type(labelOrDtype, dialect), null, null, null, dialect);
  }

  /** `Column.string_type(size)` -> `character varying(size)`. */
  static string_type(size: number, dialect?: ApiColumnDialectInput): string {
    return dialectOf(dialect).stringType(size);
  }

  /** `Column.numeric_type('numeric', 28, 6)` -> `numeric(28,6)`; the bare type when either is missing. */
  static numeric_type(dtype: string, precision: unknown, scale: unknown, dialect?: ApiColumnDialectInput): string {
    const own = dialect === undefined ? undefined : dialectOf(dialect).columnClass?.numericType;
    if (own) return own(String(dtype), precision, scale);
    if (precision === null || precision === undefined || scale === null || scale === undefined) return String(dtype);
    return `${String(dtype)}(${pyStr(precision)},${pyStr(scale)})`;
  }

  /** `Column.from_description('price', 'numeric(10,2)')`: splits the size off a type as a warehouse describes it. */
  static from_description(name: string, rawDataType: string, dialect?: ApiColumnDialectInput): ApiColumn {
    const raw = String(rawDataType);
    const match = /^([^(]+)(\(([^)]+)\))?/.exec(raw);
    if (!match || match[1] === undefined) throw columnError(`Could not interpret data type "${raw}"`);
    const dtype = match[1];
    const sizes = match[3];
    if (sizes === undefined) return new ApiColumn(name, dtype, null, null, null, dialect);
    const parts = sizes.split(',').map((p) => p.trim());
    const toInt = (p: string): number => {
      if (!/^[+-]?\d+$/.test(p)) throw columnError(`Could not interpret data_type "${raw}": could not convert "${p}" to an integer`);
      return Number(p);
    };
    if (parts.length === 1) return new ApiColumn(name, dtype, toInt(parts[0] ?? ''), null, null, dialect);
    if (parts.length === 2) return new ApiColumn(name, dtype, null, toInt(parts[0] ?? ''), toInt(parts[1] ?? ''), dialect);
    return new ApiColumn(name, dtype, null, null, null, dialect);
  }

  get name(): string {
    return this.column;
  }

  /** The name quoted for the dialect. */
  get quoted(): string {
    return this[DIALECT].quote(this.column);
  }

  /** The type as DDL spells it: sized strings, numerics with precision and scale, else `dtype`. */
  get data_type(): string {
    const rendered = this.baseDataType();
    const own = this[DIALECT].columnClass?.dataType;
    return own ? own(this, rendered) : rendered;
  }

  private baseDataType(): string {
    if (this.is_string()) {
      if (this[DIALECT].keepsStringType(this.dtype, this.char_size)) return this.dtype;
      return this[DIALECT].stringType(this.string_size());
    }
    if (this.is_numeric()) return ApiColumn.numeric_type(this.dtype, this.numeric_precision, this.numeric_scale, this[DIALECT]);
    return this.dtype;
  }

  /**
   * dbt-adapters' `expanded_data_type` (1.21): the type with what an adapter adds for DDL and schema
   * comparisons (dbt-snowflake's collation); `data_type` in the base Column and dbt-postgres's.
   */
  get expanded_data_type(): string {
    return this.data_type;
  }

  // The class's members, which Python also reaches through an instance (`column.string_type(10)`).
  get TYPE_LABELS(): Readonly<Record<string, string>> {
    return this[DIALECT].typeLabels;
  }

  translate_type(...args: unknown[]): string {
    return ApiColumn.translate_type(String(callArgs(args, ['dtype']).dtype), this[DIALECT]);
  }

  create(...args: unknown[]): ApiColumn {
    const a = callArgs(args, ['name', 'label_or_dtype']);
    return ApiColumn.create(String(a.name), String(a.label_or_dtype), this[DIALECT]);
  }

  string_type(...args: unknown[]): string {
    return ApiColumn.string_type(Number(callArgs(args, ['size']).size), this[DIALECT]);
  }

  numeric_type(...args: unknown[]): string {
    const a = callArgs(args, ['dtype', 'precision', 'scale']);
    return ApiColumn.numeric_type(String(a.dtype), a.precision, a.scale, this[DIALECT]);
  }

  from_description(...args: unknown[]): ApiColumn {
    const a = callArgs(args, ['name', 'raw_data_type']);
    return ApiColumn.from_description(String(a.name), String(a.raw_data_type), this[DIALECT]);
  }

  is_string(): boolean {
    return familyOf(this[DIALECT], this.dtype) === 'string';
  }

  is_number(): boolean {
    return this.is_integer() || this.is_numeric() || this.is_float();
  }

  is_float(): boolean {
    return familyOf(this[DIALECT], this.dtype) === 'float';
  }

  is_integer(): boolean {
    return familyOf(this[DIALECT], this.dtype) === 'integer';
  }

  is_numeric(): boolean {
    return familyOf(this[DIALECT], this.dtype) === 'numeric';
  }

  /** The size of a string column (256 for `text` and unsized strings); an error for other types. */
  string_size(): number {
    if (!this.is_string()) throw columnError('Called string_size() on non-string field!');
    if (this.dtype.toLowerCase() === 'text' || this.char_size === null) return DEFAULT_STRING_SIZE;
    return this.char_size;
  }

  /** True when both are strings and `other` is wider: this column can be widened to it. */
  can_expand_to(...args: unknown[]): boolean {
    const other = callArgs(args, ['other_column']).other_column;
    if (!(other instanceof ApiColumn)) return false;
    if (!this.is_string() || !other.is_string()) return false;
    return other.string_size() > this.string_size();
  }

  /** `value::data_type`. */
  literal(...args: unknown[]): string {
    const value = pyStr(callArgs(args, ['value']).value);
    const own = this[DIALECT].columnClass?.literal;
    return own ? own(this, value) : `${value}::${this.data_type}`;
  }

  /** What `{{ column }}` renders: the adapter Column's str(), else the dataclass's repr (dbt-adapters 1.4 dropped `<Column name (type)>`). */
  toString(): string {
    const own = this[DIALECT].columnClass?.str;
    return own ? own(this, this.data_type) : this.__repr__();
  }

  /** repr(column), as a printed list shows it. */
  __repr__(): string {
    const own = this[DIALECT].columnClass?.repr;
    if (own) return own(this, this.data_type);
    const fields = [`column=${pyRepr(this.column)}`, `dtype=${pyRepr(this.dtype)}`, `char_size=${pyRepr(this.char_size)}`, `numeric_precision=${pyRepr(this.numeric_precision)}`, `numeric_scale=${pyRepr(this.numeric_scale)}`];
    return `${this[DIALECT].className}(${fields.join(', ')})`;
  }

  /** The dataclass's `==`: the same class and fields. */
  __eq__(other: unknown): boolean {
    if (!(other instanceof ApiColumn) || other[DIALECT].className !== this[DIALECT].className) return false;
    const sameFlags = Object.keys({ ...this.flags, ...other.flags }).every((k) => this.flags[k] === other.flags[k]);
    return sameFlags && other.column === this.column && other.dtype === this.dtype && other.char_size === this.char_size && other.numeric_precision === this.numeric_precision && other.numeric_scale === this.numeric_scale;
  }

  toJSON(): { name: string; data_type: string } {
    return { name: this.name, data_type: this.data_type };
  }
}

/** A column as a warehouse's catalog describes it. */
export interface ColumnInfoLike {
  name: string;
  dataType: string;
  charMaxLength?: number | null;
  numericPrecision?: number | null;
  numericScale?: number | null;
}

const SIZED = /^\s*([^()]+?)\s*\(\s*([^()]*?)\s*\)\s*$/;

/**
 * ApiColumns from catalog rows. A size written into the type (PostgreSQL's `format_type`:
 * `character varying(20)`, `numeric(10,2)`) is split off for string and numeric types when the
 * row has no separate size; any other type (`timestamp(3) without time zone`, `Decimal(10, 2)`,
 * `Nullable(String)`) is kept whole, so `data_type` gives it back unchanged.
 */
export function columnsFromInfo(info: readonly ColumnInfoLike[], dialect?: ApiColumnDialectInput): ApiColumn[] {
  const types = dialectOf(dialect);
  return info.map((c) => {
    // dbt-clickhouse's sql_convert_columns_in_relation: api.Column(name, type), the constructor reading the type.
    if (types.columnClass?.readType) return new ApiColumn(c.name, c.dataType, null, null, null, types);
    let dtype = c.dataType;
    let charSize = c.charMaxLength ?? null;
    let precision = c.numericPrecision ?? null;
    let scale = c.numericScale ?? null;
    const sized = SIZED.exec(c.dataType);
    if (sized && sized[1] !== undefined && sized[2] !== undefined) {
      const base = sized[1];
      const parts = sized[2].split(',').map((p) => p.trim());
      const ints = parts.every((p) => /^\d+$/.test(p));
      const lower = base.toLowerCase();
      if (ints && types.stringTypes.has(lower) && parts.length === 1) {
        dtype = base;
        charSize ??= Number(parts[0]);
      } else if (ints && types.numericTypes.has(lower) && parts.length <= 2 && base === lower) {
        dtype = base;
        precision ??= Number(parts[0]);
        scale ??= parts.length === 2 ? Number(parts[1]) : 0;
      }
    }
    return new ApiColumn(c.name, dtype, charSize, precision, scale, types);
  });
}

/** `api.Column` as templates see it: callable, with the class methods as properties. */
export interface ApiColumnFactory {
  (...args: unknown[]): ApiColumn;
  TYPE_LABELS: Readonly<Record<string, string>>;
  translate_type(...args: unknown[]): string;
  create(...args: unknown[]): ApiColumn;
  string_type(...args: unknown[]): string;
  numeric_type(...args: unknown[]): string;
  from_description(...args: unknown[]): ApiColumn;
}

const NULLABLE = (v: unknown): number | string | null => (v === undefined ? null : (v as number | string | null));

/**
 * `api.Column` for one dialect: `api.Column('id', 'integer')`,
 * `api.Column(column='n', dtype='numeric', numeric_precision=10, numeric_scale=2)`,
 * `api.Column.string_type(10)`, `api.Column.create('x', 'string')`, `api.Column.from_description(...)`.
 */
export function apiColumnFactory(dialect?: ApiColumnDialectInput): ApiColumnFactory {
  const d = dialectOf(dialect);
  const factory = (...args: unknown[]): ApiColumn => {
    const a = callArgs(args, ['column', 'dtype', 'char_size', 'numeric_precision', 'numeric_scale']);
    if (a.column === undefined || a.column === null) throw columnError("Column() missing required argument 'column'");
    if (a.dtype === undefined || a.dtype === null) throw columnError("Column() missing required argument 'dtype'");
    return new ApiColumn(String(a.column), String(a.dtype), NULLABLE(a.char_size), NULLABLE(a.numeric_precision), NULLABLE(a.numeric_scale), d);
  };
  return Object.assign(factory, {
    TYPE_LABELS: d.typeLabels,
    translate_type: (...args: unknown[]) => ApiColumn.translate_type(String(callArgs(args, ['dtype']).dtype), d),
    create: (...args: unknown[]) => {
      const a = callArgs(args, ['name', 'label_or_dtype']);
      return ApiColumn.create(String(a.name), String(a.label_or_dtype), d);
    },
    string_type: (...args: unknown[]) => ApiColumn.string_type(Number(callArgs(args, ['size']).size), d),
    numeric_type: (...args: unknown[]) => {
      const a = callArgs(args, ['dtype', 'precision', 'scale']);
      return ApiColumn.numeric_type(String(a.dtype), a.precision, a.scale, d);
    },
    from_description: (...args: unknown[]) => {
      const a = callArgs(args, ['name', 'raw_data_type']);
      return ApiColumn.from_description(String(a.name), String(a.raw_data_type), d);
    },
  });
}
